"""Builders of the modules list, a module's page and a session's page: plain functions that
return frozen dataclasses, each in a fixed number of queries whatever the number of rows.

"Trained" is always `counting.completed` (the module's attendance rule), never re-spelt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from caseroom.lib.markdown import render_markdown

from ..counting import completed, has_completed
from ..models import Enrolment, Module, Programme, Session
from .actions import needs_a_tot, qualified_trainers

__all__ = [
    "ModuleLine",
    "ModulePage",
    "SessionPage",
    "module_lines",
    "module_page",
    "session_page",
]


@dataclass(frozen=True)
class ModuleLine:
    pk: int
    number: int
    title: str
    audience: str
    planned_sessions: int
    planned_people: int
    planned_days: int
    sessions_held: int
    people_trained: int
    days_held: int


def _trained_by_module(enrolments: Q) -> dict[int, int]:
    rows = (
        completed(Enrolment.objects.filter(enrolments))
        .values("session__module_id")
        .annotate(people=Count("person_id", distinct=True))
        .values_list("session__module_id", "people")
    )
    return dict(rows)


def module_lines(programme: Programme, today: dt.date) -> tuple[ModuleLine, ...]:
    """Planned against delivered for each module (two queries). A session is held once its
    first day has come; people trained are counted once per module however many sessions."""
    held = Q(sessions__starts_on__lte=today)
    modules = programme.modules.annotate(
        held=Count("sessions", filter=held),
        days_held=Sum("sessions__days", filter=held),
    ).order_by("number")
    trained = _trained_by_module(Q(session__module__programme=programme))
    return tuple(_line(m, trained.get(m.pk, 0)) for m in modules)


def _line(module: Module, trained: int) -> ModuleLine:
    return ModuleLine(
        pk=module.pk,
        number=module.number,
        title=module.title,
        audience=module.audience,
        planned_sessions=module.planned_sessions,
        planned_people=module.planned_people,
        planned_days=module.planned_sessions * module.days_per_session,
        sessions_held=getattr(module, "held", 0),
        people_trained=trained,
        days_held=getattr(module, "days_held", None) or 0,
    )


@dataclass(frozen=True)
class SessionLine:
    pk: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    country: str
    days: int
    is_tot: bool
    participants: int
    completed: int


@dataclass(frozen=True)
class TopicLine:
    order: int
    title: str
    minutes: int
    trainer: str


@dataclass(frozen=True)
class ModulePage:
    line: ModuleLine
    attendance_rule: int
    days_per_session: int
    objectives_html: str
    topics: tuple[TopicLine, ...]
    sessions: tuple[SessionLine, ...]
    findings: tuple[tuple[int, str, str], ...]  # (pk, topic, text)
    meetings: tuple[tuple[int, dt.date, str], ...]  # (pk, held on, place)


def module_page(module: Module, today: dt.date) -> ModulePage:
    """Everything a module's page shows (six queries)."""
    sessions = module.sessions.annotate(
        participants=Count("enrolments", filter=Q(enrolments__role=Enrolment.Role.PARTICIPANT))
    ).order_by("starts_on", "pk")
    done = dict(
        completed(Enrolment.objects.filter(session__module=module))
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    session_lines = tuple(
        SessionLine(
            pk=s.pk,
            title=s.title,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            place=s.place,
            country=s.country,
            days=s.days,
            is_tot=s.is_tot,
            participants=getattr(s, "participants", 0),
            completed=done.get(s.pk, 0),
        )
        for s in sessions
    )
    held = [s for s in session_lines if s.starts_on <= today]
    trained = completed(Enrolment.objects.filter(session__module=module))
    return ModulePage(
        line=ModuleLine(
            pk=module.pk,
            number=module.number,
            title=module.title,
            audience=module.audience,
            planned_sessions=module.planned_sessions,
            planned_people=module.planned_people,
            planned_days=module.planned_sessions * module.days_per_session,
            sessions_held=len(held),
            people_trained=trained.values("person_id").distinct().count(),
            days_held=sum(s.days for s in held),
        ),
        attendance_rule=module.attendance_rule,
        days_per_session=module.days_per_session,
        objectives_html=render_markdown(module.objectives),
        topics=tuple(
            TopicLine(order=t.order, title=t.title, minutes=t.minutes, trainer=t.trainer)
            for t in module.topics.all()
        ),
        sessions=session_lines,
        findings=tuple(module.findings.order_by("topic", "pk").values_list("pk", "topic", "text")),
        meetings=tuple(
            module.meetings.order_by("held_on", "pk").values_list("pk", "held_on", "place")
        ),
    )


@dataclass(frozen=True)
class AgendaLine:
    title: str
    minutes: int
    trainer: str


@dataclass(frozen=True)
class PersonLine:
    enrolment_id: int
    person_id: int
    name: str
    agency: str
    country: str
    days_present: int
    completed: bool
    qualified: bool  # trainers only: completed a training of trainers before this session


@dataclass(frozen=True)
class SessionPage:
    agenda: tuple[tuple[int, tuple[AgendaLine, ...]], ...]  # (day, items)
    trainers: tuple[PersonLine, ...]  # empty unless names may be shown
    participants: tuple[PersonLine, ...]  # empty unless names may be shown
    participant_count: int
    completed_count: int
    trainer_count: int
    unqualified_trainers: int
    needs_a_tot: bool


def session_page(session: Session, *, with_names: bool) -> SessionPage:
    """A session's agenda and people (three queries); names only `with_names` (Can.SEE_PEOPLE),
    otherwise the counts alone."""
    items = session.agenda.select_related("trainer").order_by("day", "order", "pk")
    days: dict[int, list[AgendaLine]] = {}
    for item in items:
        days.setdefault(item.day, []).append(
            AgendaLine(
                title=item.title,
                minutes=item.minutes,
                trainer=item.trainer.full_name if item.trainer and with_names else "",
            )
        )
    enrolments = list(
        session.enrolments.select_related("person").order_by(
            "person__family_name", "person__given_name", "pk"
        )
    )
    rule = session.module.attendance_rule
    check = needs_a_tot(session) and any(e.role == Enrolment.Role.TRAINER for e in enrolments)
    qualified = qualified_trainers(session) if check else set()
    lines = [
        PersonLine(
            enrolment_id=e.pk,
            person_id=e.person_id,
            name=e.person.full_name,
            agency=e.person.agency,
            country=e.person.country,
            days_present=e.days_present,
            completed=has_completed(e, days=session.days, rule=rule),
            qualified=not needs_a_tot(session) or e.person_id in qualified,
        )
        for e in enrolments
    ]
    trainers = [p for p, e in zip(lines, enrolments, strict=True) if e.role == "trainer"]
    participants = [p for p, e in zip(lines, enrolments, strict=True) if e.role != "trainer"]
    return SessionPage(
        agenda=tuple((day, tuple(found)) for day, found in sorted(days.items())),
        trainers=tuple(trainers) if with_names else (),
        participants=tuple(participants) if with_names else (),
        participant_count=len(participants),
        completed_count=sum(p.completed for p in participants),
        trainer_count=len(trainers),
        unqualified_trainers=sum(not p.qualified for p in trainers),
        needs_a_tot=needs_a_tot(session),
    )
