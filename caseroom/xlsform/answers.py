"""A submission checked against its form, and the score of a test.

Answers are JSON-ready: a choice name (select_one), a list of names in the list's order
(select_multiple), text, an int, a float, an ISO date 'YYYY-MM-DD', "OK" (acknowledge).
`review_answers` normalises what a web form or an API gives, works out which questions are
relevant and what the calculations come to, drops the answers to the others, and says what
is wrong with the rest: the type, `required` (only where relevant), the `constraint`, the
choices (those a choice filter offers) and the bounds. Questions are worked out in
`Form.order` (each after those it reads), and a question found not relevant counts as
unanswered for those after it, as in ODK. `strict` also refuses answers to questions that
are not in the form, or not relevant, or notes; `partial` (a draft) checks the shape only:
not `required`, not `constraint`.

A calculation's value is a string to the expressions that read it, as in ODK (a boolean
result reads as 'true' or 'false'); it is stored as a number when it is one. A calculated
value given with the answers is never taken: it is worked out again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from . import limits
from .model import Choice, Form, Question
from .xpath import Context, Value, to_string

__all__ = [
    "Answer",
    "Complaint",
    "QuestionScore",
    "Review",
    "Score",
    "check_answers",
    "clean_answers",
    "filtered_choices",
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
    "unknown_question": "There is no such question in this form.",
    "not_relevant": "This question does not apply, given the other answers: leave it empty.",
    "not_asked": "This is not a question: it takes no answer.",
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
    answers: dict[str, Answer]  # normalised answers to relevant questions, and calculations
    complaints: dict[str, Complaint]
    relevant: frozenset[str]
    # The choice names offered now, for questions with a choice filter.
    offered: Mapping[str, frozenset[str]] = dataclass_field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.complaints


class Bad(Exception):
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
        raise Bad("not_a_number")
    if isinstance(value, str):
        text = value.strip()
        if "," in text and "." not in text:
            # 12,5: the decimal comma of Albanian, Macedonian and Serbian keyboards.
            text = text.replace(",", ".")
        if len(text) > 40:  # longer than any number within MAX_NUMBER: not worth parsing
            raise Bad("out_of_range")
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            raise Bad("not_a_whole_number" if whole else "not_a_number") from None
    if isinstance(value, Decimal):
        value = float(value)
    if not isinstance(value, int | float) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        raise Bad("not_a_number")
    if abs(value) > limits.MAX_NUMBER:
        raise Bad("out_of_range")
    if whole:
        if isinstance(value, float) and not value.is_integer():
            raise Bad("not_a_whole_number")
        return int(value)
    return float(value)


def normalise(form: Form, question: Question, value: object) -> Answer:
    kind = question.type
    if kind in ("select_one", "select_multiple"):
        names = [c.name for c in form.choices_of(question)]
        if kind == "select_one":
            if not isinstance(value, str) or value not in names:
                raise Bad("not_a_choice")
            return value
        picked = value.split() if isinstance(value, str) else value
        if not isinstance(picked, list | tuple | set | frozenset):
            raise Bad("not_a_choice")
        if not all(isinstance(p, str) for p in picked) or not set(picked) <= set(names):
            raise Bad("not_a_choice")
        chosen = set(picked)
        return [name for name in names if name in chosen]
    if kind == "text":
        if not isinstance(value, str):
            raise Bad("not_text")
        if len(value) > limits.MAX_TEXT_ANSWER_CHARS:
            raise Bad("too_long")
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
            raise Bad("not_a_date") from None
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
    form: Form,
    answers: Mapping[str, Any],
    language: str = "",
    *,
    today: dt.date | None = None,
    strict: bool = False,
    partial: bool = False,
) -> Review:
    """Normalise, work out relevance and calculations, drop what is not relevant, and find
    what is wrong. `language` is a language key of the form or a reader's language code (for
    the author's messages); see the module's docstring for `strict` and `partial`."""
    today = today or dt.date.today()  # noqa: DTZ011 - the respondent's day, as ODK's today()
    key = _language(form, language)
    normalised: dict[str, Answer] = {}
    complaints: dict[str, Complaint] = {}
    given: set[str] = set()
    for question in form.questions:
        value = answers.get(question.name)
        if _empty(value):
            continue
        given.add(question.name)
        if question.type == "note" and strict:
            complaints[question.name] = _ours("not_asked")
        if not question.answerable:
            continue  # a calculated value is worked out below, never taken
        try:
            normalised[question.name] = normalise(form, question, value)
        except Bad as bad:
            complaints[question.name] = _ours(bad.code)
    values = {name: xpath_value(answer) for name, answer in normalised.items()}
    relevant, calculated = _work_out(form, values, today)
    offered = _offered(form, relevant, values, today)
    for name, names in offered.items():
        picked = normalised.get(name)
        chosen = picked if isinstance(picked, list) else [picked] if picked else []
        if not set(chosen) <= names and name not in complaints:
            complaints[name] = _ours("not_a_choice")
    kept = {name: answer for name, answer in normalised.items() if name in relevant}
    kept.update(calculated)
    found: dict[str, Complaint] = {}
    for question in form.questions:
        name = question.name
        if name not in relevant:
            if strict and name in given and question.type != "calculate":
                found[name] = _ours("not_relevant")
            continue
        if name in complaints:
            found[name] = complaints[name]
        elif not question.answerable or partial:
            continue
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
    if strict:
        for name in answers:
            if not form.has_question(name):
                found[str(name)[: limits.MAX_NAME_CHARS + 20]] = _ours("unknown_question")
    return Review(kept, found, frozenset(relevant), offered)


def _ours(code: str) -> Complaint:
    return Complaint(code, MESSAGES[code])


def _complaint(code: str, authored: str) -> Complaint:
    return Complaint(code, authored, True) if authored else Complaint(code, MESSAGES[code])


def _stored(value: Value) -> Answer | None:
    """A calculation's value as a response keeps it; None for nothing (or not a number)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value or None


def _work_out(
    form: Form, values: dict[str, Value], today: dt.date
) -> tuple[set[str], dict[str, Answer]]:
    """The relevant questions and the calculations' values, in `form.order`; `values` loses
    the answers of questions not relevant and gains the calculations' (in place)."""
    context = Context(values, today=today)
    groups: dict[str, bool] = {}
    relevant: set[str] = set()
    calculated: dict[str, Answer] = {}
    for question in form.order:
        shown = True
        for group_name in question.groups:
            if group_name not in groups:
                group = form.groups[group_name]
                groups[group_name] = group.relevant is None or group.relevant.evaluate(context)
            shown = shown and groups[group_name]
        if shown and question.relevant is not None:
            shown = question.relevant.evaluate(context)
        name = question.name
        if shown and question.calculation is not None:
            result = question.calculation.value(context)
            stored = _stored(result)
            values[name] = "" if stored is None else to_string(result)
            if stored is not None:
                calculated[name] = stored
        elif not shown:
            values[name] = ""
        if shown:
            relevant.add(name)
    return relevant, calculated


def _offered(
    form: Form, relevant: set[str], values: Mapping[str, Value], today: dt.date
) -> dict[str, frozenset[str]]:
    """For each relevant question with a choice filter, the names of the choices it offers."""
    found = {}
    for question in form.questions:
        if question.choice_filter is None or question.name not in relevant:
            continue
        found[question.name] = frozenset(
            c.name for c in filtered_choices(form, question, values, today=today)
        )
    return found


def filtered_choices(
    form: Form, question: Question, values: Mapping[str, Value], *, today: dt.date | None = None
) -> tuple[Choice, ...]:
    """The choices a question offers given `values` (expression values by question name)."""
    choices = form.choices_of(question)
    if question.choice_filter is None:
        return choices
    day = today or dt.date.today()  # noqa: DTZ011 - as review_answers
    test = question.choice_filter
    return tuple(c for c in choices if test.evaluate(Context(values, today=day, choice=c.fields)))


def relevant_questions(
    form: Form, answers: Mapping[str, Any], *, today: dt.date | None = None
) -> frozenset[str]:
    """Names of the questions (notes included) to show, given the answers so far."""
    return review_answers(form, answers, today=today).relevant


def check_answers(
    form: Form,
    answers: Mapping[str, Any],
    language: str = "",
    *,
    today: dt.date | None = None,
    strict: bool = False,
) -> dict[str, Complaint]:
    """What is wrong with a submission, by question name; empty when it can be stored."""
    return review_answers(form, answers, language, today=today, strict=strict).complaints


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
