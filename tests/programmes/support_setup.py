"""Helpers of the setup tests: modules, sessions and trained people in a line each."""

from __future__ import annotations

import datetime as dt
import itertools

from caseroom.programmes.models import Enrolment, Module, Person, Programme, Session

_numbers = itertools.count(1)


def module(programme: Programme, number: int, **extra: object) -> Module:
    fields: dict[str, object] = {
        "title": f"Module {number}",
        "audience": "Police",
        "planned_sessions": 4,
        "planned_people": 100,
        "days_per_session": 2,
        **extra,
    }
    return Module.objects.create(programme=programme, number=number, **fields)


def session(module: Module, starts: dt.date, *, days: int = 2, country: str = "RS") -> Session:
    n = next(_numbers)
    return Session.objects.create(
        module=module,
        title=f"Session {n}",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=days - 1),
        days=days,
        place="Belgrade",
        country=country,
        code=f"SET{n:05d}",
    )


def person(programme: Programme, name: str = "", *, sex: str = "F") -> Person:
    n = next(_numbers)
    given = name or f"Given{n}"
    return Person.objects.create(
        programme=programme,
        given_name=given,
        family_name=f"Family{n}",
        agency="Border Police",
        country="RS",
        sex=sex,
        match_key=f"family{n} {given.lower()}",
    )


def enrol(session: Session, person: Person, days: int, role: str = "participant") -> Enrolment:
    """An enrolment with its days already counted (the delivery actions keep them in step)."""
    return Enrolment.objects.create(session=session, person=person, days_present=days, role=role)


def trained(session: Session, people: list[Person]) -> None:
    for someone in people:
        enrol(session, someone, session.days)
