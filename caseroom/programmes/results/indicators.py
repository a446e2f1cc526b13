"""Logframe indicators computed from the records for a date range, with their breakdowns.

Each indicator's `measure` says what it counts (see `counts`); its `module`, when set,
narrows the count to that module's sessions; its `disaggregation` lists the dimensions the
donor wants (sex, agency, country, module): the first two are crossed in one table, any
further one gets a list of its own. Sessions and days break down by where they were held and
by module only. The queries are one for the value and one per table, whatever the size of
the programme: a page of twenty indicators stays a few dozen queries. The value query is
saved when a table's total already is the value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from ..models import Indicator
from .breakdowns import Breakdown, Labels, breakdown, heading, trace_query
from .counts import (
    DIMENSIONS,
    PEOPLE_MEASURES,
    SESSION_DIMENSIONS,
    SESSION_MEASURES,
    Scope,
    people_counts,
    session_counts,
    tested,
    with_cascade,
)

__all__ = ["IndicatorValue", "indicator_value", "percent_of", "tables_for"]

Measure = Indicator.Measure


@dataclass(frozen=True)
class IndicatorValue:
    indicator_id: int
    code: str
    title: str
    unit: str
    measure: str
    measure_label: str
    baseline: Decimal
    target: Decimal
    value: Decimal | None  # None: not computed yet (see `note`)
    percent_of_target: Decimal | None
    note: str
    trace: str  # query string of programmes:trace for the value; "" when none
    breakdowns: tuple[Breakdown, ...]


def percent_of(value: Decimal | None, target: Decimal) -> Decimal | None:
    """The value as a share of the target, in per cent with one decimal."""
    if value is None or target == 0:
        return None
    return (Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1"))


def _dimensions(indicator: Indicator) -> tuple[list[str], list[str]]:
    """The indicator's dimensions this measure can break down by, and those it cannot."""
    allowed = SESSION_DIMENSIONS if indicator.measure in SESSION_MEASURES else DIMENSIONS
    wanted = [str(d) for d in indicator.disaggregation or [] if isinstance(d, str)]
    wanted = list(dict.fromkeys(wanted))  # each once, in the order given
    return [d for d in wanted if d in allowed], [d for d in wanted if d not in allowed]


def tables_for(dims: list[str]) -> list[list[str]]:
    """The first two dimensions crossed, each further one alone."""
    if not dims:
        return []
    return [dims[:2], *([d] for d in dims[2:])]


def _total(measure: str, scope: Scope, tables: list[Breakdown], dims: list[str]) -> int:
    """The value: a table's grand total when its cells split the count (each session has one
    module and one country; each person one sex, agency and country, but may be trained in
    several modules), else one query of its own."""
    for table, table_dims in zip(tables, tables_for(dims), strict=True):
        if measure in SESSION_MEASURES or "module" not in table_dims:
            return table.total.value or 0
    count = people_counts if measure in PEOPLE_MEASURES else session_counts
    return count(measure, scope, ())[()]


def _share_reaching(reached: Decimal, scope: Scope) -> tuple[Decimal | None, str]:
    """gain_above's value: the share (%) of the people tested before and after who reached
    the threshold; the tables beside it count the people who reached it."""
    tested_people = tested(scope).aggregate(n=Count("person_id", distinct=True))["n"] or 0
    if not tested_people:
        return None, _("No test results yet.")
    share = (Decimal(100) * reached / tested_people).quantize(Decimal("0.1"))
    return share, _(
        "%(reached)s of %(tested)s people tested before and after reached a gain of "
        "%(threshold)s; the tables count those who reached it."
    ) % {"reached": reached, "tested": tested_people, "threshold": scope.threshold}


def indicator_value(
    indicator: Indicator, scope: Scope, *, labels: Labels, min_cell: int
) -> IndicatorValue:
    """The indicator's value in `scope` (programme and dates; its own module is applied)."""
    measure = indicator.measure
    if indicator.module_id is not None:
        scope = replace(scope, module_id=indicator.module_id)
    if measure == Measure.TOT_REACH:
        scope = with_cascade(scope)  # once for the value and every table
    if measure == Measure.GAIN_ABOVE:
        scope = replace(scope, threshold=indicator.threshold)
    value: Decimal | None = None
    trace = ""
    note = ""
    tables: list[Breakdown] = []
    dims, unusable = _dimensions(indicator)
    if measure in PEOPLE_MEASURES or measure in SESSION_MEASURES:
        of_people = measure in PEOPLE_MEASURES
        count = people_counts if of_people else session_counts
        trace = trace_query(measure, scope, {})
        for table_dims in tables_for(dims):
            tables.append(
                breakdown(
                    count(measure, scope, table_dims),
                    table_dims,
                    key=f"indicator-{indicator.pk}-by-{'-'.join(table_dims)}",
                    title=" × ".join(heading(d) for d in table_dims),
                    measure=measure,
                    scope=scope,
                    labels=labels,
                    of_people=of_people,
                    min_cell=min_cell,
                    column=indicator.unit or str(indicator.get_measure_display()),
                )
            )
        value = Decimal(_total(measure, scope, tables, dims))
        if measure == Measure.GAIN_ABOVE:
            value, note = _share_reaching(value, scope)
        if unusable:
            note = _("Not broken down by %(dims)s: it does not apply to sessions.") % {
                "dims": ", ".join(heading(d) if d in DIMENSIONS else d for d in unusable)
            }
    elif measure == Measure.MANUAL:
        value = indicator.manual_value
        note = _("Entered by hand.") if value is not None else _("Not entered yet.")
    return IndicatorValue(
        indicator_id=indicator.pk,
        code=indicator.code,
        title=indicator.title,
        unit=indicator.unit,
        measure=measure,
        measure_label=str(indicator.get_measure_display()),
        baseline=indicator.baseline,
        target=indicator.target,
        value=value,
        percent_of_target=percent_of(value, indicator.target),
        note=note,
        trace=trace,
        breakdowns=tuple(tables),
    )
