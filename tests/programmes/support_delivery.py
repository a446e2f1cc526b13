"""Helpers of the delivery tests: people, sessions and enrolments in a line each, and a
registered scenario for running exercises from a session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from caseroom.programmes.models import Enrolment, Module, Person, Programme, Session
from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion

MINI = Path(__file__).resolve().parents[1] / "engine" / "scenarios" / "mini"
_codes = iter(range(10**6))


def person(
    programme: Programme,
    given: str,
    family: str = "Test",
    *,
    country: str = "RS",
    agency: str = "Police",
) -> Person:
    return Person.objects.create(
        programme=programme,
        given_name=given,
        family_name=family,
        agency=agency,
        country=country,
        match_key=f"{family} {given}".lower(),
    )


def people(programme: Programme, n: int, prefix: str = "P", **kw: str) -> list[Person]:
    return [person(programme, f"{prefix}{i}", **kw) for i in range(n)]


def session(
    module: Module,
    title: str = "Session",
    *,
    starts: dt.date = dt.date(2026, 4, 1),
    days: int = 2,
    tot: bool = False,
    country: str = "RS",
) -> Session:
    return Session.objects.create(
        module=module,
        title=title,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=days - 1),
        days=days,
        place="Belgrade",
        country=country,
        is_tot=tot,
        code=f"T{next(_codes):07d}",
    )


def enrol(
    session: Session, who: list[Person], *, days: int | None = None, role: str = "participant"
) -> list[Enrolment]:
    """Enrol `who`, present `days` days each (all the session's days by default)."""
    present = session.days if days is None else days
    return [
        Enrolment.objects.create(session=session, person=p, role=role, days_present=present)
        for p in who
    ]


def scenario_version() -> ScenarioVersion:
    """The test scenario, registered (in the run's own scenario store)."""
    return registry.register_folder(MINI, explore=False)
