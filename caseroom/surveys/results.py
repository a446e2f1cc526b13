"""What the responses say: counts of choices, numbers, scores, by group and by section.

Plain functions over the responses a using app selects (a round, several rounds of one
version, a programme's), returning frozen dataclasses for its pages. One query and one pass
over the answers, whatever the number of questions or groups: 50,000 responses of a
30-question form take about a second on a laptop (tests/surveys/test_results.py measures a
smaller case; the report of this app's first commit gives the numbers). No small-cell
suppression here: the page that shows the numbers decides what may be shown to whom. Drafts
are left out of every count.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from caseroom.lib.markdown import plain_text
from caseroom.xlsform import SELECT_TYPES, Form, Question

from .models import QuestionnaireVersion, Response
from .registry import form_of

__all__ = [
    "ChoiceCount",
    "GroupCount",
    "GroupSummary",
    "Numbers",
    "QuestionResult",
    "SectionResult",
    "Summary",
    "counts_by",
    "sections",
    "summarise",
    "summarise_by",
]

_CHUNK = 2000  # rows fetched at a time: memory stays flat on 50,000 responses


@dataclass(frozen=True)
class ChoiceCount:
    name: str
    label: str
    count: int


@dataclass(frozen=True)
class Numbers:
    count: int
    mean: float
    median: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class QuestionResult:
    name: str
    type: str
    label: str  # plain text in the language asked for
    topic: str
    guideline_section: str
    answered: int  # responses with an answer to it
    choices: tuple[ChoiceCount, ...] = ()  # select questions, in the list's order
    numbers: Numbers | None = None  # integer and decimal questions, and Likert-like choices
    correct: int | None = None  # scored questions: responses with the right answer
    points: int = 0  # points of the question (scored questions)


@dataclass(frozen=True)
class Summary:
    responses: int
    questions: tuple[QuestionResult, ...]

    def question(self, name: str) -> QuestionResult:
        return next(q for q in self.questions if q.name == name)


@dataclass(frozen=True)
class GroupCount:
    key: tuple[str, ...]  # the answers to the `by` questions ("" where unanswered)
    labels: tuple[str, ...]  # the same as the reader reads them (choice labels)
    count: int


@dataclass(frozen=True)
class GroupSummary:
    key: tuple[str, ...]
    labels: tuple[str, ...]
    summary: Summary


@dataclass(frozen=True)
class SectionResult:
    """Questions sharing a `guideline_section` (or `topic`) value, taken together."""

    section: str
    questions: tuple[str, ...]
    answers: int  # answers given to these questions, all responses together
    points: int  # scored questions: points earned, all responses together
    max_points: int  # ... and the points there were to earn (responses × points)
    mean_choice: float | None  # mean of numeric choice names (a 1-5 scale), if any


@dataclass
class _Tally:
    answered: int = 0
    choices: Counter[str] = field(default_factory=Counter)
    numbers: list[float] = field(default_factory=list)
    correct: int = 0


class _Count:
    """The answers of a form counted in one pass."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.questions = [q for q in form.questions if q.answerable]
        self.tallies = {q.name: _Tally() for q in self.questions}
        self.responses = 0

    def add(self, answers: Mapping[str, Any]) -> None:
        self.responses += 1
        for question in self.questions:
            value = answers.get(question.name)
            if value is None:
                continue
            tally = self.tallies[question.name]
            tally.answered += 1
            kind = question.type
            if kind == "select_multiple" and isinstance(value, list):
                tally.choices.update(value)
                if question.correct and set(value) == set(question.correct):
                    tally.correct += 1
            elif kind == "select_one":
                tally.choices[value] += 1
                if question.correct and value == question.correct[0]:
                    tally.correct += 1
            elif kind in ("integer", "decimal") and isinstance(value, int | float):
                tally.numbers.append(float(value))

    def summary(self, language: str) -> Summary:
        return Summary(self.responses, tuple(self._result(q, language) for q in self.questions))

    def _result(self, question: Question, language: str) -> QuestionResult:
        tally = self.tallies[question.name]
        form = self.form
        choices: tuple[ChoiceCount, ...] = ()
        numbers = _numbers(tally.numbers)
        if question.type in SELECT_TYPES:
            choices = tuple(
                ChoiceCount(c.name, plain_text(form.text(c.label, language)), tally.choices[c.name])
                for c in form.choices_of(question)
            )
            if numbers is None and question.type == "select_one":
                numbers = _numbers(_numeric_choices(choices))
        return QuestionResult(
            name=question.name,
            type=question.type,
            label=plain_text(form.text(question.label, language)),
            topic=question.topic,
            guideline_section=question.guideline_section,
            answered=tally.answered,
            choices=choices,
            numbers=numbers,
            correct=tally.correct if question.scored else None,
            points=question.points,
        )


def _numeric_choices(choices: Iterable[ChoiceCount]) -> list[float]:
    values: list[float] = []
    for choice in choices:
        try:
            number = float(choice.name)
        except ValueError:
            return []  # not a scale: no mean of its names
        values.extend([number] * choice.count)
    return values


def _numbers(values: list[float]) -> Numbers | None:
    if not values:
        return None
    return Numbers(
        len(values), statistics.fmean(values), statistics.median(values), min(values), max(values)
    )


def _answers(responses: QuerySet[Response]) -> Iterable[Mapping[str, Any]]:
    # Drafts count nowhere, whatever the caller selected.
    sent = responses.filter(submitted_at__isnull=False).order_by()
    return sent.values_list("answers", flat=True).iterator(chunk_size=_CHUNK)


def _language(form: Form, language: str) -> str:
    return form.language_for(language) if language else form.default_language


def summarise(
    version: QuestionnaireVersion, responses: QuerySet[Response], *, language: str = ""
) -> Summary:
    """Counts for every question of `version` over `responses` (all of that version)."""
    form = form_of(version)
    count = _Count(form)
    for answers in _answers(responses):
        count.add(answers)
    return count.summary(_language(form, language))


def _key(answers: Mapping[str, Any], by: Sequence[str]) -> tuple[str, ...]:
    key = []
    for name in by:
        value = answers.get(name)
        key.append(
            " ".join(value) if isinstance(value, list) else "" if value is None else str(value)
        )
    return tuple(key)


def _labels(form: Form, by: Sequence[str], key: tuple[str, ...], language: str) -> tuple[str, ...]:
    labels = []
    for name, value in zip(by, key, strict=True):
        question = form.question(name)
        names = {c.name: c.label for c in form.choices_of(question)}
        parts = [
            plain_text(form.text(names[v], language)) if v in names else v for v in value.split()
        ]
        labels.append(", ".join(parts) if question.type in SELECT_TYPES else value)
    return tuple(labels)


def _check_by(form: Form, by: Sequence[str]) -> None:
    names = {q.name for q in form.questions}
    unknown = [name for name in by if name not in names]
    if unknown:
        raise KeyError(f"no such question: {', '.join(unknown)}")


def counts_by(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    by: Sequence[str],
    *,
    language: str = "",
) -> tuple[GroupCount, ...]:
    """How many responses gave each combination of answers to the `by` questions (e.g.
    agency and country of a needs assessment), most frequent first."""
    form = form_of(version)
    _check_by(form, by)
    counts: Counter[tuple[str, ...]] = Counter(_key(a, by) for a in _answers(responses))
    key = _language(form, language)
    return tuple(
        GroupCount(group, _labels(form, by, group, key), n)
        for group, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


def summarise_by(
    version: QuestionnaireVersion,
    responses: QuerySet[Response],
    by: Sequence[str],
    *,
    language: str = "",
) -> tuple[GroupSummary, ...]:
    """`summarise` for each combination of answers to the `by` questions, in one pass."""
    form = form_of(version)
    _check_by(form, by)
    groups: dict[tuple[str, ...], _Count] = {}
    for answers in _answers(responses):
        group = _key(answers, by)
        if group not in groups:
            groups[group] = _Count(form)
        groups[group].add(answers)
    key = _language(form, language)
    ordered = sorted(groups.items(), key=lambda item: (-item[1].responses, item[0]))
    return tuple(
        GroupSummary(group, _labels(form, by, group, key), count.summary(key))
        for group, count in ordered
    )


def sections(summary: Summary, *, column: str = "guideline_section") -> tuple[SectionResult, ...]:
    """The questions of a summary taken together by `guideline_section` (or `topic`), in
    the order their first question appears; questions without a value are left out."""
    found: dict[str, list[QuestionResult]] = {}
    for question in summary.questions:
        value = question.guideline_section if column == "guideline_section" else question.topic
        if value:
            found.setdefault(value, []).append(question)
    results = []
    for section, questions in found.items():
        scored = [q for q in questions if q.correct is not None]
        scale = [q.numbers for q in questions if q.type == "select_one" and q.numbers]
        weight = sum(n.count for n in scale)
        results.append(
            SectionResult(
                section=section,
                questions=tuple(q.name for q in questions),
                answers=sum(q.answered for q in questions),
                points=sum((q.correct or 0) * q.points for q in scored),
                max_points=sum(summary.responses * q.points for q in scored),
                mean_choice=sum(n.mean * n.count for n in scale) / weight if weight else None,
            )
        )
    return tuple(results)
