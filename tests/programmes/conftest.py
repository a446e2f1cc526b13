"""One programme with a member of each role, another programme's manager, and a bit of each record.

Named users (as healthchecks' alice, bob, charlie): `manager`, `trainer_member`, `observer`
of `programme`; `stranger_manager` manages another programme; `plain_staff` is a trainer of
exercises with no programme. Each has a `<name>_client` signed in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.programmes.models import (
    Enrolment,
    Membership,
    Module,
    Person,
    Programme,
    Session,
)

Role = Membership.Role


def _user(name: str, **extra: bool) -> User:
    return User.objects.create_user(name, password=f"pw-{name}", is_staff=True, **extra)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def programme(db: None) -> Programme:
    return Programme.objects.create(
        title="Joint investigations 2026",
        funder="Fictional Fund",
        implementer="Regional Academy",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        countries=["RS", "MK"],
    )


@pytest.fixture
def other_programme(db: None) -> Programme:
    return Programme.objects.create(
        title="Another programme", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )


def _member(name: str, programme: Programme, role: Membership.Role) -> User:
    user = _user(name)
    Membership.objects.create(user=user, programme=programme, role=role)
    return user


@pytest.fixture
def manager(programme: Programme) -> User:
    return _member("mila-manager", programme, Role.MANAGER)


@pytest.fixture
def trainer_member(programme: Programme) -> User:
    return _member("tomo-trainer", programme, Role.TRAINER)


@pytest.fixture
def observer(programme: Programme) -> User:
    return _member("olga-observer", programme, Role.OBSERVER)


@pytest.fixture
def stranger_manager(other_programme: Programme) -> User:
    return _member("sasa-stranger", other_programme, Role.MANAGER)


@pytest.fixture
def plain_staff(db: None) -> User:
    """Facilitates exercises, has no programme."""
    return _user("fran-facilitator")


@pytest.fixture
def manager_client(manager: User) -> Client:
    return _client(manager)


@pytest.fixture
def trainer_client(trainer_member: User) -> Client:
    return _client(trainer_member)


@pytest.fixture
def observer_client(observer: User) -> Client:
    return _client(observer)


@pytest.fixture
def stranger_client(stranger_manager: User) -> Client:
    return _client(stranger_manager)


@pytest.fixture
def plain_staff_client(plain_staff: User) -> Client:
    return _client(plain_staff)


@pytest.fixture
def module(programme: Programme) -> Module:
    return Module.objects.create(
        programme=programme,
        number=1,
        title="Fundamentals",
        audience="Front-line police officers",
        planned_sessions=8,
        planned_people=267,
        days_per_session=2,
    )


@pytest.fixture
def session(module: Module) -> Session:
    return Session.objects.create(
        module=module,
        title="Fundamentals, Kumanovo",
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 3),
        days=2,
        place="Kumanovo",
        country="MK",
        code="SESS2345",
    )


@pytest.fixture
def person(programme: Programme) -> Person:
    return Person.objects.create(
        programme=programme,
        given_name="Ivana",
        family_name="Petrovska",
        agency="Border Police",
        country="MK",
        sex=Person.Sex.FEMALE,
        match_key="petrovska ivana",
    )


@pytest.fixture
def enrolment(session: Session, person: Person) -> Enrolment:
    return Enrolment.objects.create(session=session, person=person)
