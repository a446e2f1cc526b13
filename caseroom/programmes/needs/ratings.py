"""Self-rated competence per topic: which questions rate a topic, and their tallies.

A rating question is a select_one question with a `topic` whose choices are all numbers (a
1-5 scale). "Low" is the two lowest levels of its scale (1 and 2 of 1-5). Tallies add up
across groups, so one pass of surveys.results.summarise_by over every combination of the
grouping questions gives each breakdown by summing (no query per group or per dimension).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from caseroom.surveys.results import Summary, sections
from caseroom.xlsform import Form

__all__ = ["RatingQuestion", "Tally", "rating_questions", "tally_topics"]


@dataclass(frozen=True)
class RatingQuestion:
    name: str
    low_max: float  # a rating at or below this is low


@dataclass
class Tally:
    ratings: int = 0
    total: float = 0.0
    low: int = 0

    def add(self, other: Tally) -> None:
        self.ratings += other.ratings
        self.total += other.total
        self.low += other.low

    @property
    def mean(self) -> float | None:
        return self.total / self.ratings if self.ratings else None

    @property
    def low_share(self) -> float | None:
        return self.low / self.ratings if self.ratings else None


def _scale(form: Form, name: str) -> list[float] | None:
    question = form.question(name)
    if question.type != "select_one":
        return None
    try:
        return sorted(float(choice.name) for choice in form.choices_of(question))
    except ValueError:
        return None  # not a scale


def rating_questions(form: Form, summary: Summary) -> dict[str, tuple[RatingQuestion, ...]]:
    """Topic → its rating questions, topics in the order the form asks them."""
    found: dict[str, tuple[RatingQuestion, ...]] = {}
    for section in sections(summary, column="topic"):
        rated = []
        for name in section.questions:
            scale = _scale(form, name)
            if scale and len(scale) >= 2:
                rated.append(RatingQuestion(name, scale[1]))
        if rated:
            found[section.section] = tuple(rated)
    return found


def tally_topics(
    summary: Summary, topics: Mapping[str, tuple[RatingQuestion, ...]]
) -> dict[str, Tally]:
    """The ratings of each topic in one summary (one group, or everyone)."""
    by_name = {q.name: q for q in summary.questions}
    tallies: dict[str, Tally] = {}
    for topic, questions in topics.items():
        tally = Tally()
        for rated in questions:
            result = by_name.get(rated.name)
            for choice in result.choices if result else ():
                value = float(choice.name)
                tally.ratings += choice.count
                tally.total += value * choice.count
                tally.low += choice.count if value <= rated.low_max else 0
        tallies[topic] = tally
    return tallies
