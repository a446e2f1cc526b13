"""Fixtures of the cooperation app: a coordination with its named members, the shipped
self-assessment form registered, an open round, and responses written in bulk.

Named members, as the root conftest's users: `coordinator` (all), `focal_rs` (Serbia's focal
point), `observer` (reads aggregates), `stranger` (coordinator of another coordination).
The library's check of guideline references is replaced by one that knows the shipped form's
sections (`KNOWN_REFS`), so the tests do not depend on the library's demo content;
test_forms.py also checks the shipped form against the library's own demo when it exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.cooperation import actions, refs
from caseroom.cooperation.models import Coordination, Membership, Round
from caseroom.demo.cooperation import synthetic_answers
from caseroom.library.demo.guidelines import SECTIONS, SLUG
from caseroom.surveys.models import QuestionnaireVersion, Response
from tests.conftest import logged_in

Role = Membership.Role
# The sections of the library's demo guidelines, which the shipped form cites.
KNOWN_REFS = {f"{SLUG}#{key}" for key, _audiences, _texts in SECTIONS}


@pytest.fixture(autouse=True)
def _library_knows_the_guidelines(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(found: list[str]) -> list[str]:
        return [ref for ref in found if ref not in KNOWN_REFS]

    monkeypatch.setattr(refs, "unknown_refs", lambda: unknown)


@pytest.fixture
def coordinator(db: None) -> User:
    return User.objects.create_user("cora", password="pw-cora-12345", is_staff=True)


@pytest.fixture
def coordination(coordinator: User) -> Coordination:
    return actions.create_coordination("Western Balkans guidelines", by=coordinator)


def member(coordination: Coordination, name: str, role: str, country: str = "") -> User:
    user = User.objects.create_user(name, password=f"pw-{name}-12345")
    actions.set_member(coordination, user, role, country)
    return user


@pytest.fixture
def focal_rs(coordination: Coordination) -> User:
    return member(coordination, "fiona", Role.FOCAL_POINT, "RS")


@pytest.fixture
def observer(coordination: Coordination) -> User:
    return member(coordination, "olga", Role.OBSERVER)


@pytest.fixture
def stranger(db: None) -> User:
    user = User.objects.create_user("stan", password="pw-stan-12345", is_staff=True)
    actions.create_coordination("Another region", by=user)
    return user


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return logged_in(coordinator)


@pytest.fixture
def focal_client(focal_rs: User) -> Client:
    return logged_in(focal_rs)


@pytest.fixture
def observer_client(observer: User) -> Client:
    return logged_in(observer)


@pytest.fixture
def stranger_client(stranger: User) -> Client:
    return logged_in(stranger)


@pytest.fixture
def seat_clients(
    coordinator: User, focal_rs: User, observer: User, stranger: User
) -> dict[str, Client]:
    """A signed-in client for each kind of visitor of the access matrices (cooperation's and
    legislation's), and `anonymous`; `plain_staff` is staff with no seat."""
    plain = User.objects.create_user("pat", password="pw-pat-12345", is_staff=True)
    admin = User.objects.create_superuser("ada-admin", password="pw-ada-12345")
    return {
        "coordinator": logged_in(coordinator),
        "focal_point": logged_in(focal_rs),
        "observer": logged_in(observer),
        "superuser": logged_in(admin),
        "stranger": logged_in(stranger),
        "plain_staff": logged_in(plain),
        "anonymous": Client(),
    }


@pytest.fixture
def version(coordination: Coordination) -> QuestionnaireVersion:
    return actions.use_ready_form(coordination)


@pytest.fixture
def round_(coordination: Coordination, version: QuestionnaireVersion) -> Round:
    return actions.open_round(coordination, "2027 annual")


LEVELS = {"mla": 0.6, "inf": 0.7, "jit": 0.3}


def add_responses(
    round_: Round,
    people: Iterable[tuple[str, str]],
    *,
    levels: dict[str, float] | None = None,
    seed: int = 1,
    **fixed: Any,
) -> list[Response]:
    """One response per (country, agency), drawn for `levels`, with `fixed` answers on top
    (a question set to None is left unanswered); stored in one insert, as imports do."""
    rng = random.Random(seed)
    rows = []
    for number, (country, agency) in enumerate(people):
        answers = synthetic_answers(rng, country, agency, levels or LEVELS)
        for name, value in fixed.items():
            if value is None:
                answers.pop(name, None)
            else:
                answers[name] = value
        when = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=number)
        rows.append(Response(round_id=round_.survey_id, submitted_at=when, answers=answers))
    return Response.objects.bulk_create(rows)


def everyone(counts: dict[str, int], agency: str = "police") -> list[tuple[str, str]]:
    """`counts[country]` respondents of each country, all of `agency`."""
    return [(country, agency) for country, n in counts.items() for _ in range(n)]


def add_answers(round_: Round, answers: Iterable[dict[str, Any]]) -> list[Response]:
    """Responses with exactly these answers (stored as submit would store them)."""
    start = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    return Response.objects.bulk_create(
        Response(round_id=round_.survey_id, submitted_at=start + dt.timedelta(minutes=n), answers=a)
        for n, a in enumerate(answers)
    )


def basic(country: str, agency: str = "police", **answers: Any) -> dict[str, Any]:
    """A respondent who made no MLA request, used no informal channel, was on no JIT."""
    return {
        "country": country,
        "agency": agency,
        "mla_made": "no",
        "inf_used": "no",
        "jit_part": "no",
        **answers,
    }
