"""The donor report's content for a date range, built once for every rendering.

`build_report(programme, start, end)` returns a frozen `DonorReport`: the logframe with each
indicator's computed value, people trained by sex × country, by agency and by module
(suppressed tables), sessions and training days per module and country, and the reach of
the training-of-trainers cascade. The web page, the XLSX, the DOCX and the PDF lay out this
one object, so the four cannot disagree. Every shown number carries its trace.

Queries: 4 for the cascade (`delivery.cascade.tot_reach`), 1 for the modules, 1 for the
indicators, 7 for the fixed tables, and per indicator 1 per breakdown table (plus 1 for its
value when no table's total is it); none depends on the number of people or sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Indicator, Programme
from .breakdowns import Breakdown, Cell, Labels, breakdown, labels_for
from .counts import Scope, people_counts, session_counts, with_cascade
from .indicators import IndicatorValue, indicator_value

__all__ = [
    "DonorReport",
    "OutcomeBlock",
    "OutputBlock",
    "Reach",
    "ReachRow",
    "build_report",
]

Measure = Indicator.Measure


@dataclass(frozen=True)
class OutputBlock:
    code: str
    title: str
    indicators: tuple[IndicatorValue, ...]


@dataclass(frozen=True)
class OutcomeBlock:
    code: str
    title: str
    outputs: tuple[OutputBlock, ...]


@dataclass(frozen=True)
class ReachRow:
    country: str
    trainers: Cell
    reached: Cell
    multiplier: Decimal | None  # people reached per trainer; None when either is hidden


@dataclass(frozen=True)
class Reach:
    """The cascade: ToT graduates of the period and the people they went on to train."""

    rows: tuple[ReachRow, ...]
    trainers: Cell
    reached: Cell
    multiplier: Decimal | None
    trainers_table: Breakdown
    reached_table: Breakdown


@dataclass(frozen=True)
class DonorReport:
    programme_id: int
    title: str
    funder: str
    implementer: str
    start: dt.date
    end: dt.date
    min_cell: int
    generated_at: dt.datetime
    headline: tuple[tuple[str, Cell], ...]
    logframe: tuple[OutcomeBlock, ...]
    people: tuple[Breakdown, ...]  # by sex × country, by agency, by module
    delivery: tuple[Breakdown, ...]  # sessions and training days per module × country
    reach: Reach

    @property
    def tables(self) -> tuple[Breakdown, ...]:
        """Every table of counts, in the report's order (one XLSX sheet each)."""
        return (
            *self.people,
            *self.delivery,
            self.reach.trainers_table,
            self.reach.reached_table,
        )

    @property
    def indicators(self) -> tuple[IndicatorValue, ...]:
        return tuple(
            value
            for outcome in self.logframe
            for output in outcome.outputs
            for value in output.indicators
        )


def _multiplier(trainers: Cell, reached: Cell) -> Decimal | None:
    if trainers.value is None or reached.value is None or trainers.value == 0:
        return None
    return (Decimal(reached.value) / trainers.value).quantize(Decimal("0.1"))


def _logframe(programme: Programme, scope: Scope, labels: Labels) -> tuple[OutcomeBlock, ...]:
    indicators = (
        Indicator.objects.filter(output__outcome__programme=programme)
        .select_related("output__outcome")
        .order_by("output__outcome__code", "output__code", "code")
    )
    outcomes: dict[int, tuple[str, str, dict[int, tuple[str, str, list[IndicatorValue]]]]] = {}
    for indicator in indicators:
        output = indicator.output
        outcome = output.outcome
        _code, _title, outputs = outcomes.setdefault(outcome.pk, (outcome.code, outcome.title, {}))
        entry = outputs.setdefault(output.pk, (output.code, output.title, []))
        entry[2].append(
            indicator_value(indicator, scope, labels=labels, min_cell=programme.min_cell)
        )
    return tuple(
        OutcomeBlock(
            code,
            title,
            tuple(OutputBlock(c, t, tuple(values)) for c, t, values in outputs.values()),
        )
        for code, title, outputs in outcomes.values()
    )


def _people(scope: Scope, labels: Labels, min_cell: int) -> tuple[Breakdown, ...]:
    measure = Measure.PEOPLE_TRAINED

    def table(dims: tuple[str, ...], key: str, title: str, note: str = "") -> Breakdown:
        return breakdown(
            people_counts(measure, scope, dims),
            dims,
            key=key,
            title=title,
            measure=measure,
            scope=scope,
            labels=labels,
            of_people=True,
            min_cell=min_cell,
            column=_("People trained"),
            note=note,
        )

    return (
        table(("sex", "country"), "people-by-sex-country", _("Trained by sex and country")),
        table(("agency",), "people-by-agency", _("Trained by agency")),
        table(
            ("module",),
            "people-by-module",
            _("Trained by module"),
            _("A person trained in more than one module counts once in each."),
        ),
    )


def _delivery(scope: Scope, labels: Labels) -> tuple[Breakdown, ...]:
    dims = ("module", "country")
    return tuple(
        breakdown(
            session_counts(measure, scope, dims),
            dims,
            key=key,
            title=title,
            measure=measure,
            scope=scope,
            labels=labels,
            of_people=False,
            min_cell=1,
            note=_("By the country where the sessions were held."),
        )
        for measure, key, title in (
            (Measure.SESSIONS, "sessions-by-module-country", _("Sessions")),
            (Measure.TRAINING_DAYS, "days-by-module-country", _("Training days")),
        )
    )


def _reach(scope: Scope, labels: Labels, min_cell: int) -> Reach:
    tables = [
        breakdown(
            people_counts(measure, scope, ("country",)),
            ("country",),
            key=key,
            title=title,
            measure=measure,
            scope=scope,
            labels=labels,
            of_people=True,
            min_cell=min_cell,
            column=title,
        )
        for measure, key, title in (
            (Measure.TRAINERS, "tot-trainers-by-country", _("Trainers from a ToT")),
            (Measure.TOT_REACH, "tot-reach-by-country", _("People they trained")),
        )
    ]
    trainers, reached = tables
    found: dict[str, dict[str, Cell]] = {}
    for name, table in (("trainers", trainers), ("reached", reached)):
        for row, line in zip(table.rows, table.cells, strict=True):
            found.setdefault(row, {})[name] = line[0]
    empty = Cell(0)
    rows = tuple(
        ReachRow(
            country,
            cells.get("trainers", empty),
            cells.get("reached", empty),
            _multiplier(cells.get("trainers", empty), cells.get("reached", empty)),
        )
        for country, cells in found.items()
    )
    return Reach(
        rows=rows,
        trainers=trainers.total,
        reached=reached.total,
        multiplier=_multiplier(trainers.total, reached.total),
        trainers_table=trainers,
        reached_table=reached,
    )


def build_report(programme: Programme, start: dt.date, end: dt.date) -> DonorReport:
    """The donor report of `programme` for sessions that start between `start` and `end`."""
    scope = with_cascade(Scope(programme.pk, start, end))
    labels = labels_for(programme)
    people = _people(scope, labels, programme.min_cell)
    delivery = _delivery(scope, labels)
    reach = _reach(scope, labels, programme.min_cell)
    return DonorReport(
        programme_id=programme.pk,
        title=programme.title,
        funder=programme.funder,
        implementer=programme.implementer,
        start=start,
        end=end,
        min_cell=programme.min_cell,
        generated_at=timezone.now(),
        headline=(
            (_("People trained"), people[0].total),
            (_("Sessions"), delivery[0].total),
            (_("Training days"), delivery[1].total),
            (_("Trainers from a ToT"), reach.trainers),
            (_("People they trained"), reach.reached),
        ),
        logframe=_logframe(programme, scope, labels),
        people=people,
        delivery=delivery,
        reach=reach,
    )
