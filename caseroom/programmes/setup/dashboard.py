"""The programme dashboard's builder: planned against delivered, per module, in a fixed few queries.

A session is *held* once its last day has come (`ends_on <= today`), *scheduled* before that.
People trained are those whose enrolment meets the module's attendance rule
(`counting.completed`), each counted once per module and once in the programme's total. The
per-module counts are a breakdown of people, so they go through `disclosure.count_list` with
the programme's `min_cell` like every other one: an observer (a donor) reads this page.

Queries, whatever the number of modules: the modules, the sessions per module (one GROUP BY),
the people trained per module (one GROUP BY), the programme's distinct total, the module
names for the indicators' labels, the indicators, and each indicator's value (one query, or
a few for the cascade's measures: a fixed number per indicator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from caseroom.programmes import counting
from caseroom.programmes.disclosure import CountTable, count_list
from caseroom.programmes.models import COUNTRIES, Enrolment, Indicator, Programme, Session
from caseroom.programmes.results.breakdowns import labels_for
from caseroom.programmes.results.counts import Scope
from caseroom.programmes.results.indicators import IndicatorValue, indicator_value

__all__ = ["Dashboard", "ModuleLine", "country_names", "dashboard"]


@dataclass(frozen=True)
class ModuleLine:
    module_id: int
    number: int
    title: str
    audience: str
    planned_sessions: int
    sessions_held: int
    sessions_scheduled: int
    training_days: int  # of the sessions held
    planned_people: int
    people_trained: int | None  # None: hidden (a small count, or what would reveal one)


@dataclass(frozen=True)
class Dashboard:
    title: str
    funder: str
    implementer: str
    starts_on: dt.date
    ends_on: dt.date
    countries: tuple[str, ...]
    summary: str
    modules: tuple[ModuleLine, ...]
    people_by_module: CountTable
    people_trained: int  # distinct people in the whole programme
    sessions_held: int
    sessions_scheduled: int
    training_days: int
    indicators: tuple[IndicatorValue, ...]  # computed by results/indicators.py, to date


def country_names(codes: list[str]) -> tuple[str, ...]:
    names = {code: str(name) for code, name in COUNTRIES}
    return tuple(names.get(code, code) for code in codes)


def dashboard(programme: Programme, *, today: dt.date) -> Dashboard:
    modules = list(programme.modules.order_by("number"))
    sessions = _sessions_by_module(programme, today)
    trained = _trained_by_module(programme)
    keys = [module.pk for module in modules]
    table = count_list(
        trained,
        [str(module) for module in modules],
        keys=keys,
        min_cell=programme.min_cell,
        column=_("People trained"),
    )
    lines = tuple(
        ModuleLine(
            module_id=module.pk,
            number=module.number,
            title=module.title,
            audience=module.audience,
            planned_sessions=module.planned_sessions,
            sessions_held=sessions.get(module.pk, {}).get("held", 0),
            sessions_scheduled=sessions.get(module.pk, {}).get("scheduled", 0),
            training_days=sessions.get(module.pk, {}).get("days", 0),
            planned_people=module.planned_people,
            people_trained=table.cells[i][0],
        )
        for i, module in enumerate(modules)
    )
    return Dashboard(
        title=programme.title,
        funder=programme.funder,
        implementer=programme.implementer,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        countries=country_names(list(programme.countries or [])),
        summary=programme.summary,
        modules=lines,
        people_by_module=table,
        people_trained=_trained_in(programme),
        sessions_held=sum(line.sessions_held for line in lines),
        sessions_scheduled=sum(line.sessions_scheduled for line in lines),
        training_days=sum(line.training_days for line in lines),
        indicators=_indicators(programme, today),
    )


def _sessions_by_module(programme: Programme, today: dt.date) -> dict[int, dict[str, int]]:
    held = Q(ends_on__lte=today)
    rows = (
        Session.objects.filter(module__programme=programme)
        .values("module")
        .annotate(
            held=Count("pk", filter=held),
            scheduled=Count("pk", filter=~held),
            days=Sum("days", filter=held),
        )
        .order_by()
    )
    return {
        row["module"]: {
            "held": row["held"],
            "scheduled": row["scheduled"],
            "days": row["days"] or 0,
        }
        for row in rows
    }


def _completed_in(programme: Programme) -> QuerySet[Enrolment]:
    return counting.completed(Enrolment.objects.filter(session__module__programme=programme))


def _trained_by_module(programme: Programme) -> dict[Hashable, int]:
    rows = (
        _completed_in(programme)
        .values("session__module")
        .annotate(people=Count("person", distinct=True))
        .order_by()
    )
    return {row["session__module"]: row["people"] for row in rows}


def _trained_in(programme: Programme) -> int:
    return _completed_in(programme).values("person").distinct().count()


def _indicators(programme: Programme, today: dt.date) -> tuple[IndicatorValue, ...]:
    """The logframe's indicators as computed by the results part, from the programme's start
    to today: the value only (one query or two each); the breakdowns are the donor report's."""
    end = min(max(today, programme.starts_on), programme.ends_on)
    scope = Scope(programme_id=programme.pk, start=programme.starts_on, end=end)
    labels = labels_for(programme)
    rows = Indicator.objects.filter(output__outcome__programme=programme).order_by(
        "output__outcome__code", "output__code", "code"
    )
    values = []
    for row in rows:
        row.disaggregation = []  # not saved: only the dashboard's copy loses its tables
        values.append(indicator_value(row, scope, labels=labels, min_cell=programme.min_cell))
    return tuple(values)
