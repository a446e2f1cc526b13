"""Per-question summaries of the needs assessment, fit to publish.

Every count of respondents by an answer breaks people down by an attribute, so it goes
through `disclosure.count_list` with the programme's `min_cell`: a single choice is one
list; each choice of a multiple choice is the list "chose it / did not" (both sides count
people). A number question shows its mean and median only with `min_cell` answers, and
never its minimum or maximum (one person's answer). Free text is not summarised: its count
only (the answers are in the raw export, for managers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caseroom.surveys.results import QuestionResult, Summary

from ..disclosure import count_list

__all__ = ["ChoiceRow", "QuestionSummary", "question_summaries"]


@dataclass(frozen=True)
class ChoiceRow:
    label: str
    count: int | None  # None: suppressed


@dataclass(frozen=True)
class QuestionSummary:
    name: str
    label: str
    type: str
    topic: str
    answered: int
    choices: tuple[ChoiceRow, ...] = ()
    withheld: bool = False  # too few answers for any breakdown
    mean: float | None = None
    median: float | None = None

    @property
    def is_select(self) -> bool:
        return self.type in ("select_one", "select_multiple")

    @property
    def is_number(self) -> bool:
        return self.type in ("integer", "decimal")


def question_summaries(summary: Summary, min_cell: int) -> tuple[QuestionSummary, ...]:
    """One summary per answerable question of the form, in the form's order."""
    return tuple(_summary(result, min_cell) for result in summary.questions)


def _summary(result: QuestionResult, min_cell: int) -> QuestionSummary:
    base = QuestionSummary(result.name, result.label, result.type, result.topic, result.answered)
    if result.type == "select_one":
        keys = [c.name for c in result.choices]
        table = count_list(
            {c.name: c.count for c in result.choices},
            [c.label for c in result.choices],
            keys=keys,
            min_cell=min_cell,
        )
        rows = tuple(ChoiceRow(c.label, table.cells[i][0]) for i, c in enumerate(result.choices))
        return replace(base, choices=rows, withheld=table.withheld)
    if result.type == "select_multiple":
        rows = tuple(
            ChoiceRow(c.label, _chose(c.count, result.answered, min_cell)) for c in result.choices
        )
        withheld = 0 < result.answered < min_cell
        return replace(base, choices=rows, withheld=withheld)
    numbers = result.numbers
    if result.type in ("integer", "decimal") and numbers and numbers.count >= min_cell:
        return replace(base, mean=numbers.mean, median=numbers.median)
    return base


def _chose(count: int, answered: int, min_cell: int) -> int | None:
    """How many chose a choice, unless they or those who did not are too few to show."""
    table = count_list(
        {"chose": count, "not": answered - count}, ["chose", "not"], min_cell=min_cell
    )
    return table.cells[0][0]
