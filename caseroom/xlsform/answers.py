"""A submission checked against its form, and the score of a test.

Answers are JSON-ready: a choice name (select_one), a list of names in the list's order
(select_multiple), text, an int, a float, an ISO date 'YYYY-MM-DD', "OK" (acknowledge).
`review_answers` normalises what a web form or an API gives, works out which questions are
relevant, drops the answers to the others, and says what is wrong with the rest: the type,
`required` (only where relevant), the `constraint`, the choices and the bounds. Relevance is
evaluated in the order of the survey sheet, and a question found not relevant counts as
unanswered for the questions after it, as in ODK; a reference to a later question reads that
question's answer as given.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import limits
from .expressions import Context, Value
from .model import Form, Question

__all__ = [
    "Answer",
    "Complaint",
    "QuestionScore",
    "Review",
    "Score",
    "check_answers",
    "clean_answers",
    "relevant_questions",
    "review_answers",
    "score",
    "xpath_value",
]

Answer = str | int | float | list[str]

# The words of a complaint when the author wrote none (the web form shows its own translation
# of each code; these are for the command line, an API and tests).
MESSAGES = {
    "required": "This question needs an answer.",
    "constraint": "This answer is not accepted.",
    "not_a_choice": "Choose one of the options given.",
    "not_a_number": "Enter a number.",
    "not_a_whole_number": "Enter a whole number.",
    "out_of_range": "This number is too large.",
    "not_a_date": "Enter a date (YYYY-MM-DD).",
    "too_long": f"At most {limits.MAX_TEXT_ANSWER_CHARS:,} characters.",
    "not_text": "Enter text.",
}


@dataclass(frozen=True)
class Complaint:
    """What is wrong with one answer: a stable `code` (a key of MESSAGES) and the words, the
    author's `required_message` / `constraint_message` where written (`authored` is True)."""

    code: str
    message: str
    authored: bool = False

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Review:
    answers: dict[str, Answer]  # normalised answers to relevant questions only
    complaints: dict[str, Complaint]
    relevant: frozenset[str]

    @property
    def ok(self) -> bool:
        return not self.complaints


class _Bad(Exception):
    def __init__(self, code: str) -> None:
        self.code = code


def _empty(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return not value
    return value is None or value is False


def _number(value: object, whole: bool) -> int | float:
    if isinstance(value, bool):
        raise _Bad("not_a_number")
    if isinstance(value, str):
        text = value.strip()
        if "," in text and "." not in text:
            # 12,5: the decimal comma of Albanian, Macedonian and Serbian keyboards.
            text = text.replace(",", ".")
        if len(text) > 40:  # longer than any number within MAX_NUMBER: not worth parsing
            raise _Bad("out_of_range")
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            raise _Bad("not_a_whole_number" if whole else "not_a_number") from None
    if isinstance(value, Decimal):
        value = float(value)
    if not isinstance(value, int | float) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        raise _Bad("not_a_number")
    if abs(value) > limits.MAX_NUMBER:
        raise _Bad("out_of_range")
    if whole:
        if isinstance(value, float) and not value.is_integer():
            raise _Bad("not_a_whole_number")
        return int(value)
    return float(value)


def _normalise(form: Form, question: Question, value: object) -> Answer:
    kind = question.type
    if kind in ("select_one", "select_multiple"):
        names = [c.name for c in form.choices_of(question)]
        if kind == "select_one":
            if not isinstance(value, str) or value not in names:
                raise _Bad("not_a_choice")
            return value
        picked = value.split() if isinstance(value, str) else value
        if not isinstance(picked, list | tuple | set | frozenset):
            raise _Bad("not_a_choice")
        if not all(isinstance(p, str) for p in picked) or not set(picked) <= set(names):
            raise _Bad("not_a_choice")
        chosen = set(picked)
        return [name for name in names if name in chosen]
    if kind == "text":
        if not isinstance(value, str):
            raise _Bad("not_text")
        if len(value) > limits.MAX_TEXT_ANSWER_CHARS:
            raise _Bad("too_long")
        return value
    if kind in ("integer", "decimal"):
        return _number(value, kind == "integer")
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise _Bad("not_a_date") from None
    return "OK"  # acknowledge: anything not empty


def xpath_value(answer: object) -> Value:
    """An answer as expressions see it: names joined by spaces, numbers as floats, "" if none."""
    if answer is None:
        return ""
    if isinstance(answer, list):
        return " ".join(str(a) for a in answer)
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, int | float):
        return float(answer)
    return str(answer)


def _language(form: Form, language: str) -> str:
    keys = {lang.key for lang in form.languages}
    return language if language in keys or not language else form.language_for(language)


def review_answers(
    form: Form, answers: Mapping[str, Any], language: str = "", *, today: dt.date | None = None
) -> Review:
    """Normalise, drop what is not relevant, and find what is wrong. `language` is a language
    key of the form or a reader's language code (for the author's messages)."""
    today = today or dt.date.today()  # noqa: DTZ011 - the respondent's day, as ODK's today()
    key = _language(form, language)
    normalised: dict[str, Answer] = {}
    complaints: dict[str, Complaint] = {}
    for question in form.questions:
        value = answers.get(question.name)
        if not question.answerable or _empty(value):
            continue
        try:
            normalised[question.name] = _normalise(form, question, value)
        except _Bad as bad:
            complaints[question.name] = Complaint(bad.code, MESSAGES[bad.code])
    values = {name: xpath_value(answer) for name, answer in normalised.items()}
    relevant = _relevance(form, values, today)
    kept = {name: answer for name, answer in normalised.items() if name in relevant}
    found: dict[str, Complaint] = {}
    for question in form.questions:
        name = question.name
        if name not in relevant or not question.answerable:
            continue
        if name in complaints:
            found[name] = complaints[name]
        elif name not in kept:
            if question.required or (
                question.required_if is not None
                and question.required_if.evaluate(Context(values, today=today))
            ):
                found[name] = _complaint("required", form.text(question.required_message, key))
        elif question.constraint is not None and not question.constraint.evaluate(
            Context(values, current=values[name], today=today)
        ):
            found[name] = _complaint("constraint", form.text(question.constraint_message, key))
    return Review(kept, found, frozenset(relevant))


def _complaint(code: str, authored: str) -> Complaint:
    return Complaint(code, authored, True) if authored else Complaint(code, MESSAGES[code])


def _relevance(form: Form, values: dict[str, Value], today: dt.date) -> set[str]:
    """Names of the relevant questions; `values` loses the answers of the others (in place)."""
    context = Context(values, today=today)
    groups: dict[str, bool] = {}
    relevant = set()
    for question in form.questions:
        shown = True
        for group_name in question.groups:
            if group_name not in groups:
                group = form.groups[group_name]
                groups[group_name] = group.relevant is None or group.relevant.evaluate(context)
            shown = shown and groups[group_name]
        if shown and question.relevant is not None:
            shown = question.relevant.evaluate(context)
        if shown:
            relevant.add(question.name)
        else:
            values[question.name] = ""
    return relevant


def relevant_questions(
    form: Form, answers: Mapping[str, Any], *, today: dt.date | None = None
) -> frozenset[str]:
    """Names of the questions (notes included) to show, given the answers so far."""
    return review_answers(form, answers, today=today).relevant


def check_answers(
    form: Form, answers: Mapping[str, Any], language: str = "", *, today: dt.date | None = None
) -> dict[str, Complaint]:
    """What is wrong with a submission, by question name; empty when it can be stored."""
    return review_answers(form, answers, language, today=today).complaints


def clean_answers(
    form: Form, answers: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, Answer]:
    """The answers to store: normalised, those to questions not relevant dropped."""
    return review_answers(form, answers, today=today).answers


@dataclass(frozen=True)
class QuestionScore:
    name: str
    points: int
    max_points: int
    answered: bool


@dataclass(frozen=True)
class Score:
    points: int
    max_points: int
    per_question: tuple[QuestionScore, ...]

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.max_points if self.max_points else None


def score(form: Form, answers: Mapping[str, Any]) -> Score:
    """Points for the questions with a `correct` answer: a single choice all or nothing, a
    multiple choice only for exactly the right set. Every scored question counts in
    `max_points`, answered or not (a test compares people who saw the same questions)."""
    results = []
    for question in form.questions:
        if not question.correct:
            continue
        value = answers.get(question.name)
        if question.type == "select_multiple":
            picked = value.split() if isinstance(value, str) else value
            right = (
                isinstance(picked, list | tuple)
                and all(isinstance(p, str) for p in picked)
                and set(picked) == set(question.correct)
            )
        else:
            right = value == question.correct[0]
        points = question.points if right else 0
        results.append(QuestionScore(question.name, points, question.points, not _empty(value)))
    return Score(sum(r.points for r in results), sum(r.max_points for r in results), tuple(results))
