"""Every write of modules, sessions, agendas and enrolments: one transaction each.

Attendance has its own module (`attendance.py`), exercises and seats theirs
(`exercises.py`, `seating.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from caseroom.exercises.models import Participant

from ..counting import completed
from ..models import (
    AgendaItem,
    Attendance,
    Enrolment,
    Finding,
    Module,
    Person,
    Programme,
    Seat,
    Session,
    Topic,
)
from ..models.delivery import TeamPlace
from .attendance import recount
from .codes import new_session_code

__all__ = [
    "Enrolled",
    "create_module",
    "create_session",
    "enrol",
    "qualified_trainers",
    "replace_agenda",
    "replace_topics",
    "set_findings",
    "unenrol",
    "update_module",
    "update_session",
]

MODULE_FIELDS = [
    "number",
    "title",
    "audience",
    "objectives",
    "planned_sessions",
    "planned_people",
    "days_per_session",
    "attendance_rule",
]
SESSION_FIELDS = ["title", "starts_on", "ends_on", "days", "place", "country", "is_tot"]


# ---------------------------------------------------------------- modules


def create_module(programme: Programme, data: dict[str, Any]) -> Module:
    with transaction.atomic():
        return Module.objects.create(
            programme=programme, **{name: data[name] for name in MODULE_FIELDS}
        )


def update_module(module: Module, data: dict[str, Any]) -> None:
    """A changed attendance rule changes who counts as trained from now on (counting.py
    reads the rule at query time); that is intended: the rule is the module's."""
    with transaction.atomic():
        for name in MODULE_FIELDS:
            setattr(module, name, data[name])
        module.save(update_fields=MODULE_FIELDS)


def replace_topics(module: Module, rows: Sequence[dict[str, Any]]) -> None:
    """The module's agenda topics become `rows` (sessions keep the agenda they copied)."""
    with transaction.atomic():
        module.topics.all().delete()
        Topic.objects.bulk_create(
            [
                Topic(
                    module=module,
                    order=row["order"],
                    title=row["title"],
                    minutes=row["minutes"],
                    trainer=row.get("trainer", ""),
                )
                for row in rows
            ]
        )


def set_findings(module: Module, findings: Sequence[Finding]) -> None:
    """Which needs-assessment findings the module answers (the form scoped them to its
    programme)."""
    with transaction.atomic():
        module.findings.set(findings)


# ---------------------------------------------------------------- sessions


def create_session(module: Module, data: dict[str, Any]) -> Session:
    """A new session with a fresh code and the module's topics as its agenda."""
    with transaction.atomic():
        session = _with_new_code(module, data)
        topics = list(module.topics.all())
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    session=session, day=day, order=index, title=topic.title, minutes=topic.minutes
                )
                for index, (topic, day) in enumerate(
                    zip(topics, spread_over_days(topics, session.days), strict=True)
                )
            ]
        )
    return session


def _with_new_code(module: Module, data: dict[str, Any]) -> Session:
    # 31^8 codes make a collision a once-in-a-lifetime event; a retry costs nothing then.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Session.objects.create(
                    module=module,
                    code=new_session_code(),
                    **{name: data[name] for name in SESSION_FIELDS},
                )
        except IntegrityError:
            continue  # the code was taken (the only unique field of a session)
    raise RuntimeError("no free session code after 5 attempts")


def spread_over_days(topics: Sequence[Topic], days: int) -> list[int]:
    """The day of each topic: topics in order, each on the day its start falls on when the
    module's total time is spread evenly over the session's days."""
    total = sum(max(t.minutes, 1) for t in topics) or 1
    result, elapsed = [], 0
    for topic in topics:
        result.append(min(days, 1 + elapsed * days // total))
        elapsed += max(topic.minutes, 1)
    return result


def update_session(session: Session, data: dict[str, Any]) -> None:
    """Edit a session; fewer days drop the attendance of the days that no longer exist
    (and recount who attended) and move their agenda items to the new last day."""
    with transaction.atomic():
        for name in SESSION_FIELDS:
            setattr(session, name, data[name])
        session.save(update_fields=SESSION_FIELDS)
        beyond = Attendance.objects.filter(enrolment__session=session, day__gt=session.days)
        touched = set(beyond.values_list("enrolment_id", flat=True))
        if touched:
            beyond.delete()
            recount(touched)
        session.agenda.filter(day__gt=session.days).update(day=session.days)


def replace_agenda(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    with transaction.atomic():
        session.agenda.all().delete()
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    session=session,
                    day=row["day"],
                    order=row["order"],
                    title=row["title"],
                    minutes=row["minutes"],
                    trainer=row.get("trainer"),
                )
                for row in rows
            ]
        )


# ---------------------------------------------------------------- enrolments


def qualified_trainers(session: Session) -> set[int]:
    """Persons who may train this session: they completed a training of trainers of the
    programme that ended before it starts (counting.completed says who completed)."""
    return set(
        completed(
            Enrolment.objects.filter(
                session__module__programme_id=session.module.programme_id,
                session__is_tot=True,
                session__ends_on__lt=session.starts_on,
            )
        ).values_list("person_id", flat=True)
    )


def needs_a_tot(session: Session) -> bool:
    """National sessions want ToT graduates as trainers; a ToT's own trainers are masters."""
    return not session.is_tot


@dataclass(frozen=True)
class Enrolled:
    added: int
    changed: int
    # Enrolled as trainers without having completed a training of trainers: allowed (the
    # manager decides), shown as a warning.
    unqualified: tuple[Person, ...]


def enrol(session: Session, people: Sequence[Person], role: str) -> Enrolled:
    """Enrol people in `role`; someone already enrolled takes the new role."""
    with transaction.atomic():
        existing = {e.person_id: e for e in session.enrolments.filter(person__in=people)}
        Enrolment.objects.bulk_create(
            [
                Enrolment(session=session, person=p, role=role)
                for p in people
                if p.pk not in existing
            ]
        )
        moved = [e for e in existing.values() if e.role != role]
        for enrolment in moved:
            enrolment.role = role
        Enrolment.objects.bulk_update(moved, ["role"])
    unqualified: tuple[Person, ...] = ()
    if role == Enrolment.Role.TRAINER and needs_a_tot(session):
        qualified = qualified_trainers(session)
        unqualified = tuple(p for p in people if p.pk not in qualified)
    return Enrolled(added=len(people) - len(existing), changed=len(moved), unqualified=unqualified)


def unenrol(enrolment: Enrolment) -> None:
    """Take a person out of a session, with what only made sense while they were in it:
    their attendance, their agenda slots, their team places and seats in its exercises."""
    with transaction.atomic():
        session_id, person_id = enrolment.session_id, enrolment.person_id
        exercises = list(
            Session.objects.filter(pk=session_id).values_list(
                "exercise_links__exercise_id", flat=True
            )
        )
        linked = [pk for pk in exercises if pk is not None]
        AgendaItem.objects.filter(session_id=session_id, trainer_id=person_id).update(trainer=None)
        TeamPlace.objects.filter(exercise_id__in=linked, person_id=person_id).delete()
        Seat.objects.filter(
            person_id=person_id,
            participant__in=Participant.objects.filter(exercise_id__in=linked),
        ).delete()
        enrolment.delete()
