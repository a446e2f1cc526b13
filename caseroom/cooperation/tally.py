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
from functools import cached_property, lru_cache
from itertools import repeat
from operator import call, getitem, itemgetter
from typing import Any

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Max, Q, Sum

from caseroom.surveys.models import Invitation, QuestionnaireVersion, Response
from caseroom.surveys.models import Round as SurveyRound
from caseroom.surveys.registry import form_of

from .scoring import AGENCY, COUNTRY, Scoring, scoring_of

__all__ = ["Tally", "cached_tally", "invited_counts", "response_fields", "scoring_for", "tally"]

_CHUNK = 2000  # rows fetched at a time: memory stays flat on 20,000 responses
_MISSING = object()


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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the cache (the defaultdicts' factories do not pickle)."""
        return {
            "sections": self.sections,
            "responses": self.responses,
            "sums": dict(self.sums),
            "counts": dict(self.counts),
            "answered": dict(self.answered),
            "texts": dict(self.texts),
            "writers": dict(self.writers),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tally:
        found = cls(tuple(data["sections"]), data["responses"])
        found.sums.update(data["sums"])
        found.counts.update(data["counts"])
        found.answered.update(data["answered"])
        found.texts.update(data["texts"])
        found.writers.update(data["writers"])
        return found

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


class _Scores(dict[Any, float | None]):
    """A question's normalised score by answer, worked out once per distinct answer: the
    loop below then looks scores up in C (`map(getitem, ...)`), 3-4 times faster than a
    Python call per answer (20,000 × 60 answers: 1.2 s → 0.3 s on this machine)."""

    def __init__(self, normalise: Callable[[Any], float | None]) -> None:
        super().__init__()
        self.normalise = normalise

    def __missing__(self, answer: Any) -> float | None:
        score = self.normalise(list(answer) if isinstance(answer, tuple) else answer)
        self[answer] = score
        return score


@dataclass(frozen=True, eq=False)
class _Plan:
    """The scored questions in section order, so a section is a slice of the row's scores."""

    names: tuple[str, ...]
    tables: tuple[_Scores, ...]
    multiple: tuple[int, ...]  # positions of multiple choices (lists, made tuples)
    slices: tuple[tuple[str, int, int], ...]  # (section, start, end)

    @cached_property
    def getters(self) -> list[itemgetter[Any]]:
        return [itemgetter(*range(start, end)) for _s, start, end in self.slices]

    @cached_property
    def memos(self) -> list[_Sections]:
        """Kept with the plan (one per form and language, `_plan`): a later page of the
        same form finds its combinations already scored."""
        return [_Sections(self, start, end) for _s, start, end in self.slices]

    @classmethod
    def of(cls, scoring: Scoring) -> _Plan:
        ordered = sorted(scoring.scored, key=lambda item: scoring.sections.index(item[1]))
        slices, start = [], 0
        for section in scoring.sections:
            width = sum(1 for _n, s, _r in ordered if s == section)
            slices.append((section, start, start + width))
            start += width
        return cls(
            names=tuple(name for name, _s, _r in ordered),
            tables=tuple(_Scores(rule.normaliser()) for _n, _s, rule in ordered),
            multiple=tuple(i for i, (_n, _s, rule) in enumerate(ordered) if rule.multiple),
            slices=tuple(slices),
        )

    def values(self, answers: Mapping[str, Any]) -> list[Any]:
        """The row's answers to the scored questions, in order, hashable (None: none)."""
        values = list(map(answers.get, self.names))
        for i in self.multiple:
            value = values[i]
            if value.__class__ is list:
                values[i] = tuple(value)
        return values

    def section_score(self, key: tuple[Any, ...], start: int) -> float | None:
        """Mean normalised score of a section's answers (`key`, from position `start`), or
        None when none of them is scored."""
        tables = self.tables[start : start + len(key)]
        try:
            found: list[float | None] = list(map(getitem, tables, key))
        except TypeError:  # an answer of an unexpected shape (an import): not scored
            found = [t[v] for t, v in zip(tables, key, strict=True) if _hashable(v)]
        scores = [s for s in found if s is not None]
        return sum(scores) / len(scores) if scores else None


class _Sections(dict[tuple[Any, ...], float | None]):
    """A section's score for each distinct combination of its answers, worked out once: with
    choices, a round of 20,000 has a few hundred per section."""

    def __init__(self, plan: _Plan, start: int, end: int) -> None:
        super().__init__()
        self.plan = plan
        self.start = start
        self.wide = end - start > 1

    def __missing__(self, key: Any) -> float | None:
        # itemgetter of one position gives the value itself, not a 1-tuple.
        score = self.plan.section_score(key if self.wide else (key,), self.start)
        self[key] = score
        return score


@lru_cache(maxsize=32)
def _plan(scoring: Scoring) -> _Plan:
    return _Plan.of(scoring)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def tally(round_: SurveyRound, scoring: Scoring) -> Tally:
    """Sums of the round's submitted responses, every country's (one query): the analysis
    decides what a reader may see of them."""
    result = Tally(scoring.sections)
    plan = _plan(scoring)
    texts = scoring.texts
    extra = response_fields()
    # Each country's rows of section scores (None: the section unanswered), summed by column
    # at the end; every step per row is a C loop (map) but the few cache misses.
    by_country: dict[str, list[list[float | None]]] = {}
    answered = result.answered
    getters, memos = plan.getters, plan.memos
    # Where the response's own columns say the country and agency (personal links, imports).
    at_country = 1 + extra.index(COUNTRY) if COUNTRY in extra else 0
    at_agency = 1 + extra.index(AGENCY) if AGENCY in extra else 0
    for row in _rows(round_):
        answers: Mapping[str, Any] = row[0] if isinstance(row[0], dict) else {}
        country = (at_country and row[at_country]) or answers.get(COUNTRY) or ""
        agency = (at_agency and row[at_agency]) or answers.get(AGENCY) or ""
        answered[(country, agency)] += 1
        values = plan.values(answers)
        scores = list(map(getitem, memos, map(call, getters, repeat(values))))
        found = by_country.get(country)
        if found is None:
            found = by_country[country] = []
        found.append(scores)
        if texts:
            _add_texts(result, answers, texts, country, agency)
    result.responses = sum(answered.values())
    for country, rows in by_country.items():
        for section, column in zip(scoring.sections, zip(*rows, strict=True), strict=True):
            n = len(column) - column.count(None)
            if n:
                # filter(None, …) drops the unanswered (None) and the zeros, which add nothing.
                result.sums[(country, section)] = sum(filter(None, column))
                result.counts[(country, section)] = n
    return result


CACHE_SECONDS = 7 * 24 * 3600


def cached_tally(round_: SurveyRound, scoring: Scoring) -> Tally:
    """`tally`, kept in the cache for as long as the round's submitted responses are the same
    ones: one aggregate query (count, largest and sum of ids, on the round's index) instead
    of reading every answer again. A gap page compares two rounds, and the previous one is
    closed: a second visit reads neither (20,000 responses: about 1 s saved per round)."""
    stamp = Response.objects.filter(round_id=round_.pk, submitted_at__isnull=False).aggregate(
        n=Count("pk"), top=Max("pk"), total=Sum("pk")
    )
    # The round's creation time too: ids repeat where transactions are rolled back (tests).
    born = round_.created_at.timestamp() if round_.created_at else 0
    key = ":".join(
        str(part)
        for part in ("coop-tally-v1", round_.pk, born, round_.version.digest, *stamp.values())
    )
    found = cache.get(key)
    if found is not None:
        return Tally.from_dict(found)
    result = tally(round_, scoring)
    cache.set(key, result.to_dict(), CACHE_SECONDS)
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


def invited_counts(round_: SurveyRound) -> Counter[tuple[str, str]]:
    """Personal links handed out per (country, agency), one query: those withdrawn count only
    when their answers were sent before (those answers stay in the answered table, so a
    response rate never passes 100 %)."""
    rows = (
        Invitation.objects.filter(round_id=round_.pk)
        .filter(Q(revoked_at__isnull=True) | Q(response__submitted_at__isnull=False))
        .order_by()
        .values_list("country", "agency")
        .annotate(n=Count("pk"))
    )
    return Counter({(str(c or ""), str(a or "")): int(n) for c, a, n in rows})
