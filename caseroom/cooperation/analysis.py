"""The gap analysis of a round, for one reader: heatmap, change, response rates, difficulties,
measures. Frozen dataclasses, so the page, the PNG and the reports lay out the same numbers.

Small-cell care (no number may single out one respondent):
- a cell is the mean of its respondents' section scores; from fewer than `min_cell`
  respondents it is hidden and says so;
- the regional row is shown only when the respondents it holds beyond the cells the reader
  sees are none or at least `min_cell` (otherwise region minus the shown cells would give a
  hidden group's mean); a focal point sees their country and this row only;
- counts go through programmes.disclosure.count_table (complements hidden too);
- a difficulty is shown only when at least `min_cell` respondents of its country wrote one
  for its section, and its agency only when as many of that agency did; texts are sorted,
  not in the order they came.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.programmes.disclosure import CountTable, count_table

from . import refs
from .access import Scope, measures_visible
from .models import Measure, Round
from .scoring import Scoring
from .tally import Tally, cached_tally, invited_counts, scoring_for

__all__ = ["Cell", "Difficulties", "FollowUp", "GapAnalysis", "Line", "analyse", "heat"]


def heat(value: float | None) -> int:
    """Colour step 0 (weakest) to 4 of a score in 0..1; -1 for no value."""
    return -1 if value is None else min(4, int(value * 5))


@dataclass(frozen=True)
class Cell:
    country: str
    section: str
    value: float | None  # mean score 0..1; None when hidden or empty
    respondents: int | None  # None when hidden
    hidden: bool  # some respondents, too few to show
    previous: float | None = None  # the previous round's value, when both are shown
    measures: int = 0  # recorded on this cell (this round's gap)
    overdue: int = 0

    @property
    def heat(self) -> int:
        return heat(self.value)

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(self.value * 100)

    @property
    def change(self) -> int | None:
        """Change since the previous round in percentage points (both shown), else None."""
        if self.value is None or self.previous is None:
            return None
        return round(self.value * 100) - round(self.previous * 100)

    @property
    def trend(self) -> str:
        """ "up", "down", "same", or "" when there is nothing to compare."""
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass(frozen=True)
class Line:
    key: str  # a country code, or "" for the region
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Difficulty:
    country: str  # label
    agency: str  # label, "" when showing it could identify the writer
    text: str


@dataclass(frozen=True)
class Difficulties:
    section: refs.SectionLink
    shown: tuple[Difficulty, ...]
    withheld: int  # texts not shown: too few writers in their country


@dataclass(frozen=True)
class FollowUp:
    """A measure recorded on the previous round's gap, and whether this round closed it."""

    measure: Measure
    country: str  # label
    section: refs.SectionLink
    before: int | None  # percent
    now: int | None  # percent; None when hidden or not measured
    closed: bool | None  # None: cannot tell (a hidden or empty cell)
    overdue: bool


@dataclass(frozen=True)
class GapAnalysis:
    round: Round
    previous_title: str
    min_cell: int
    target: int  # percent that closes a gap
    responses: int
    sections: tuple[refs.SectionLink, ...]
    lines: tuple[Line, ...]
    region: Line
    answered: CountTable
    invited: CountTable | None
    difficulties: tuple[Difficulties, ...]
    follow_ups: tuple[FollowUp, ...]
    measures: tuple[Measure, ...]  # recorded on this round's gaps
    scope_country: str  # "" for a regional view

    @property
    def empty(self) -> bool:
        return self.responses == 0

    @property
    def answered_lines(self) -> tuple[tuple[str, tuple[int | None, ...], int | None], ...]:
        return lines_of(self.answered)

    @property
    def invited_lines(self) -> tuple[tuple[str, tuple[int | None, ...], int | None], ...]:
        return lines_of(self.invited) if self.invited is not None else ()


def lines_of(table: CountTable) -> tuple[tuple[str, tuple[int | None, ...], int | None], ...]:
    """Each row of a count table as (label, cells, row total), for templates."""
    return tuple(zip(table.rows, table.cells, table.row_totals, strict=True))


def _labels(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    return dict(pairs)


def _cell(t: Tally, country: str, section: str, min_cell: int) -> Cell:
    value, n = t.mean(country, section)
    if n == 0:
        return Cell(country, section, None, 0, False)
    if n < min_cell:
        return Cell(country, section, None, None, True)
    return Cell(country, section, value, n, False)


def _region(t: Tally, section: str, shown: int, min_cell: int, previous: Tally | None) -> Cell:
    value, n = t.region(section)
    rest = n - shown  # respondents in cells the reader does not see
    if n == 0:
        return Cell("", section, None, 0, False)
    if n < min_cell or 0 < rest < min_cell:
        return Cell("", section, None, None, True)
    before = None
    if previous is not None and section in previous.sections:
        old, old_n = previous.region(section)
        before = old if old_n >= min_cell else None
    return Cell("", section, value, n, False, previous=before)


def _countries(scoring: Scoring, t: Tally, scope: Scope) -> list[tuple[str, str]]:
    known = list(scoring.countries)
    names = {name for name, _label in known}
    # A country in the answers the form does not list (an import): shown by its code.
    known += sorted((c, c) for c, _a in t.answered if c and c not in names)
    return [(c, label) for c, label in known if scope.sees_country(c)]


def analyse(
    round_: Round, scope: Scope, *, language: str, today: dt.date | None = None
) -> GapAnalysis:
    """The gap analysis of `round_` as `scope` may see it: a fixed number of queries
    (responses of this round and the previous, invitations, measures, citations)."""
    coordination = round_.coordination
    min_cell = coordination.min_cell
    today = today or timezone.localdate()
    scoring = scoring_for(round_.survey.version, language)
    current = cached_tally(round_.survey, scoring)
    previous_round = round_.previous
    before: Tally | None = None
    if previous_round is not None:
        old_scoring = scoring_for(previous_round.survey.version, language)
        before = cached_tally(previous_round.survey, old_scoring)
    countries = _countries(scoring, current, scope)
    sections = scoring.sections
    measures = list(
        measures_visible(coordination, scope).filter(
            round_id__in=[r.pk for r in (round_, previous_round) if r is not None]
        )
    )
    texts = [section for _name, section in scoring.texts]
    links = refs.links([*sections, *texts, *(m.section for m in measures)], language)
    badges: Counter[tuple[str, str]] = Counter()
    late: Counter[tuple[str, str]] = Counter()
    for measure in measures:
        if measure.round_id == round_.pk:
            badges[(measure.country, measure.section)] += 1
            late[(measure.country, measure.section)] += measure.overdue_on(today)
    lines = []
    shown_n: Counter[str] = Counter()
    for country, label in countries:
        cells = []
        for section in sections:
            cell = _cell(current, country, section, min_cell)
            old = _cell(before, country, section, min_cell) if before is not None else None
            if cell.respondents:
                shown_n[section] += cell.respondents
            cells.append(
                Cell(
                    country,
                    section,
                    cell.value,
                    cell.respondents,
                    cell.hidden,
                    previous=old.value if old is not None else None,
                    measures=badges[(country, section)],
                    overdue=late[(country, section)],
                )
            )
        lines.append(Line(country, label, tuple(cells)))
    region = Line(
        "",
        _("Region (all countries)"),
        tuple(_region(current, s, shown_n[s], min_cell, before) for s in sections),
    )
    answered, invited = _rates(scoring, current, round_, countries, scope, min_cell)
    return GapAnalysis(
        round=round_,
        previous_title=previous_round.title if previous_round is not None else "",
        min_cell=min_cell,
        target=coordination.target,
        responses=current.responses,
        sections=tuple(links[s] for s in sections),
        lines=tuple(lines),
        region=region,
        answered=answered,
        invited=invited,
        difficulties=_difficulties(scoring, current, countries, links, min_cell, scope),
        follow_ups=_follow_ups(
            measures, previous_round, (before, current), countries, links,
            coordination.target, min_cell, today,
        ),
        measures=tuple(m for m in measures if m.round_id == round_.pk),
        scope_country=scope.country,
    )  # fmt: skip


def _rates(
    scoring: Scoring,
    t: Tally,
    round_: Round,
    countries: list[tuple[str, str]],
    scope: Scope,
    min_cell: int,
) -> tuple[CountTable, CountTable | None]:
    """Respondents (and personal links handed out) per country × agency; a focal point's
    table has their country and "other countries" as its rows."""
    agencies = list(scoring.agencies)
    names = {a for a, _l in agencies}
    agencies += sorted((a, a or _("not said")) for _c, a in t.answered if a not in names)
    rows = [c for c, _l in countries]
    labels = [label for _c, label in countries]

    def table(counts: Counter[tuple[str, str]]) -> CountTable:
        folded: Counter[tuple[str, str]] = Counter()
        for (country, agency), n in counts.items():
            key = country if country in rows else "*"
            folded[(key, agency)] += n
        row_keys, row_labels = list(rows), list(labels)
        if scope.country or any(k == "*" for k, _a in folded):
            row_keys.append("*")
            row_labels.append(_("Other countries") if scope.country else _("Country not said"))
        return count_table(
            folded,
            row_labels,
            [label for _a, label in agencies],
            min_cell=min_cell,
            row_keys=row_keys,
            column_keys=[a for a, _l in agencies],
        )

    return table(t.answered), table(invited_counts(round_.survey))


def _difficulties(
    scoring: Scoring,
    t: Tally,
    countries: list[tuple[str, str]],
    links: dict[str, refs.SectionLink],
    min_cell: int,
    scope: Scope,
) -> tuple[Difficulties, ...]:
    country_labels = dict(countries)
    agency_labels = _labels(scoring.agencies)
    found = []
    for section in dict.fromkeys(s for _n, s in scoring.texts):
        shown: list[Difficulty] = []
        withheld = 0
        for (s, country, agency), texts in t.texts.items():
            if s != section or not scope.sees_country(country):
                continue  # a focal point learns nothing of other countries' texts
            if country not in country_labels or t.writers[(section, country)] < min_cell:
                withheld += len(texts)
                continue
            named = t.writers[(section, country, agency)] >= min_cell
            label = agency_labels.get(agency, agency) if named else ""
            shown += [Difficulty(country_labels[country], label, text) for text in texts]
        shown.sort(key=lambda d: (d.country, d.agency, d.text))
        found.append(Difficulties(links[section], tuple(shown), withheld))
    return tuple(found)


def _follow_ups(
    measures: list[Measure],
    previous_round: Round | None,
    tallies: tuple[Tally | None, Tally],
    countries: list[tuple[str, str]],
    links: dict[str, refs.SectionLink],
    target: int,
    min_cell: int,
    today: dt.date,
) -> tuple[FollowUp, ...]:
    before, current = tallies
    if previous_round is None or before is None:
        return ()
    labels = dict(countries)
    found = []
    for measure in measures:
        if measure.round_id != previous_round.pk:
            continue
        now = _cell(current, measure.country, measure.section, min_cell).percent
        found.append(
            FollowUp(
                measure=measure,
                country=labels.get(measure.country, measure.country),
                section=links[measure.section],
                before=_cell(before, measure.country, measure.section, min_cell).percent,
                now=now,
                closed=None if now is None else now >= target,
                overdue=measure.overdue_on(today),
            )
        )
    return tuple(found)
