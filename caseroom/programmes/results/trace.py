"""The records behind one number of the report: the people (with the sessions that made them
count) or the sessions, a page at a time.

The filters are the ones the number was counted with (`counts`), so the page lists exactly
what the number counts: its row count is the number. Four queries a page, whatever the size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..models import Indicator, Programme, Session
from .breakdowns import heading, labels_for
from .counts import (
    PEOPLE_MEASURES,
    Key,
    Scope,
    enrolments_behind,
    people_behind,
    sessions_behind,
)

__all__ = ["PAGE_SIZE", "TracePage", "TracedPerson", "TracedSession", "trace_page"]

PAGE_SIZE = 100


@dataclass(frozen=True)
class TracedSession:
    session_id: int
    title: str
    module: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    country: str
    days: int
    is_tot: bool


@dataclass(frozen=True)
class TracedPerson:
    person_id: int
    name: str
    agency: str
    country: str
    sex: str
    sessions: tuple[TracedSession, ...]


@dataclass(frozen=True)
class TracePage:
    measure: str
    measure_label: str
    start: dt.date
    end: dt.date
    module: str  # the indicator's module, "" for all
    filters: tuple[tuple[str, str], ...]  # (dimension, value) as shown
    count: int
    people: tuple[TracedPerson, ...]
    sessions: tuple[TracedSession, ...]
    page: int
    pages: int


def _session(session: Session) -> TracedSession:
    return TracedSession(
        session_id=session.pk,
        title=session.title,
        module=str(session.module),
        starts_on=session.starts_on,
        ends_on=session.ends_on,
        place=session.place,
        country=session.country,
        days=session.days,
        is_tot=session.is_tot,
    )


def trace_page(
    programme: Programme,
    measure: str,
    scope: Scope,
    filters: Mapping[str, Key],
    page: int = 1,
) -> TracePage:
    """One page of the records `measure` counts in `scope` under `filters`."""
    labels = labels_for(programme)
    scope = Scope(programme.pk, scope.start, scope.end, scope.module_id)
    people: tuple[TracedPerson, ...] = ()
    sessions: tuple[TracedSession, ...] = ()
    if measure in PEOPLE_MEASURES:
        found = people_behind(measure, scope, filters).order_by("family_name", "given_name", "pk")
        count = found.count()
        pages = max(1, -(-count // PAGE_SIZE))
        page = min(page, pages)
        chunk = list(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
        attended: dict[int, list[TracedSession]] = {}
        for enrolment in enrolments_behind(measure, scope, filters, [p.pk for p in chunk]):
            attended.setdefault(enrolment.person_id, []).append(_session(enrolment.session))
        people = tuple(
            TracedPerson(
                person_id=p.pk,
                name=p.full_name,
                agency=p.agency,
                country=labels.name("country", p.country),
                sex=labels.name("sex", p.sex),
                sessions=tuple(attended.get(p.pk, ())),
            )
            for p in chunk
        )
    else:
        listed = sessions_behind(scope, filters)
        count = listed.count()
        pages = max(1, -(-count // PAGE_SIZE))
        page = min(page, pages)
        sessions = tuple(_session(s) for s in listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return TracePage(
        measure=measure,
        measure_label=str(Indicator.Measure(measure).label),
        start=scope.start,
        end=scope.end,
        module=labels.name("module", scope.module_id) if scope.module_id else "",
        filters=tuple((heading(dim), labels.name(dim, value)) for dim, value in filters.items()),
        count=count,
        people=people,
        sessions=sessions,
        page=page,
        pages=pages,
    )
