"""One pass over a round's answers: section scores per country, respondents per country and
agency, and the difficulties written, before anything is suppressed (analysis.py decides
what may be shown to whom).

Measured on this machine (benchmarks/cooperation.py): 20,000 responses of 60 questions in
about half a second on SQLite, most of it decoding the answers' JSON; the scoring itself is a
dictionary look-up per answer (`Rule.normaliser`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count

from caseroom.surveys import models as surveys_models
from caseroom.surveys.models import QuestionnaireVersion, Response
from caseroom.surveys.models import Round as SurveyRound
from caseroom.surveys.registry import form_of

from .scoring import AGENCY, COUNTRY, Scoring, scoring_of

__all__ = ["Tally", "invited_counts", "response_fields", "scoring_for", "tally"]

_CHUNK = 2000  # rows fetched at a time: memory stays flat on 20,000 responses


@dataclass
class Tally:
    """Raw sums of one round, keyed by country code ("" when a response has none)."""

    sections: tuple[str, ...]
    responses: int = 0
    # (country, section) -> (sum of respondents' section scores, respondents)
    sums: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    answered: Counter[tuple[str, str]] = field(default_factory=Counter)  # (country, agency)
    # (section, country, agency) -> texts written
    texts: dict[tuple[str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    # (section, country) and (section, country, agency) -> respondents who wrote a text
    writers: Counter[tuple[str, ...]] = field(default_factory=Counter)

    def mean(self, country: str, section: str) -> tuple[float, int]:
        n = self.counts[(country, section)]
        return (self.sums[(country, section)] / n if n else 0.0), n

    def region(self, section: str) -> tuple[float, int]:
        total = sum(v for (_c, s), v in self.sums.items() if s == section)
        n = sum(v for (_c, s), v in self.counts.items() if s == section)
        return (total / n if n else 0.0), n


def scoring_for(version: QuestionnaireVersion, language: str = "") -> Scoring:
    """The version's scoring (the form itself is cached by surveys; parsing the rules of
    60 questions takes well under a millisecond)."""
    return scoring_of(form_of(version), language)


@lru_cache(maxsize=1)
def response_fields() -> tuple[str, ...]:
    """The columns of a response that say its country and agency, where surveys has them
    (responses through a personal link carry the invitation's); the answers otherwise."""
    found = []
    for name in (COUNTRY, AGENCY):
        try:
            Response._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        found.append(name)
    return tuple(found)


def _rows(round_: SurveyRound) -> Iterable[tuple[Any, ...]]:
    fields = ("answers", *response_fields())
    # Drafts (no submitted_at: "save and continue later") count nowhere.
    query = (
        Response.objects.filter(round_id=round_.pk, submitted_at__isnull=False)
        .order_by()
        .values_list(*fields)
    )
    return query.iterator(chunk_size=_CHUNK)


def tally(
    round_: SurveyRound,
    scoring: Scoring,
    *,
    texts_of: Callable[[str], bool] = lambda country: True,
) -> Tally:
    """Sums of the round's responses (one query); difficulties kept only for the countries
    `texts_of` accepts (a focal point reads their own country's only)."""
    result = Tally(scoring.sections)
    by_section: dict[str, list[tuple[str, Callable[[Any], float | None]]]] = {}
    for name, section, rule in scoring.scored:
        by_section.setdefault(section, []).append((name, rule.normaliser()))
    rules = list(by_section.items())
    texts = scoring.texts
    extra = response_fields()
    sums, counts, answered = result.sums, result.counts, result.answered
    for row in _rows(round_):
        answers: Mapping[str, Any] = row[0] if isinstance(row[0], dict) else {}
        given = dict(zip(extra, row[1:], strict=True))
        country = str(given.get(COUNTRY) or answers.get(COUNTRY) or "")
        agency = str(given.get(AGENCY) or answers.get(AGENCY) or "")
        result.responses += 1
        answered[(country, agency)] += 1
        for section, questions in rules:
            total, n = 0.0, 0
            for name, normalise in questions:
                value = answers.get(name)
                if value is None:
                    continue
                score = normalise(value)
                if score is not None:
                    total += score
                    n += 1
            if n:
                sums[(country, section)] += total / n
                counts[(country, section)] += 1
        if texts and texts_of(country):
            _add_texts(result, answers, texts, country, agency)
    return result


def _add_texts(
    result: Tally,
    answers: Mapping[str, Any],
    texts: tuple[tuple[str, str], ...],
    country: str,
    agency: str,
) -> None:
    wrote: set[str] = set()
    for name, section in texts:
        text = answers.get(name)
        if isinstance(text, str) and text.strip():
            result.texts[(section, country, agency)].append(text.strip())
            wrote.add(section)
    for section in wrote:
        result.writers[(section, country)] += 1
        result.writers[(section, country, agency)] += 1


def invited_counts(round_: SurveyRound) -> Counter[tuple[str, str]] | None:
    """Personal links handed out (and not withdrawn) per (country, agency), or None where
    surveys has no invitations (one query)."""
    invitation = getattr(surveys_models, "Invitation", None)
    if invitation is None:
        return None
    rows = (
        invitation.objects.filter(round_id=round_.pk, revoked_at__isnull=True)
        .order_by()
        .values_list("country", "agency")
        .annotate(n=Count("pk"))
    )
    return Counter({(str(c or ""), str(a or "")): int(n) for c, a, n in rows})
