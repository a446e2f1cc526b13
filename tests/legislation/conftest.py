"""Fixtures of the legislation app: a coordination with named seats, as cooperation's tests
name them (`coordinator`, `focal_rs`, `observer`, `stranger`), holding one matrix with two
criteria."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Coordination, Membership
from caseroom.legislation import actions
from caseroom.legislation.models import Criterion, Matrix
from tests.conftest import logged_in

Role = Membership.Role
Source = Criterion.Source


@pytest.fixture
def coordinator(db: None) -> User:
    return User.objects.create_user("cora", password="pw-cora-12345", is_staff=True)


@pytest.fixture
def coordination(coordinator: User) -> Coordination:
    return cooperation.create_coordination("Western Balkans guidelines", by=coordinator)


def member(coordination: Coordination, name: str, role: str, country: str = "") -> User:
    user = User.objects.create_user(name, password=f"pw-{name}-12345")
    cooperation.set_member(coordination, user, role, country)
    return user


@pytest.fixture
def focal_rs(coordination: Coordination) -> User:
    return member(coordination, "fiona", Role.FOCAL_POINT, "RS")


@pytest.fixture
def observer(coordination: Coordination) -> User:
    return member(coordination, "olga", Role.OBSERVER)


@pytest.fixture
def stranger(db: None) -> User:
    """Coordinator of another coordination."""
    user = User.objects.create_user("stan", password="pw-stan-12345", is_staff=True)
    cooperation.create_coordination("Another region", by=user)
    return user


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return logged_in(coordinator)


@pytest.fixture
def observer_client(observer: User) -> Client:
    return logged_in(observer)


@pytest.fixture
def matrix(coordination: Coordination) -> Matrix:
    return actions.create_matrix(coordination, "JIT legislation 2027")


@pytest.fixture
def criterion(matrix: Matrix) -> Criterion:
    return actions.add_criterion(
        matrix,
        code="JIT-01",
        question="May a JIT be set up by agreement between two or more states?",
        source=Source.FD_2002_465,
        article="Art. 1(1)",
        position=1,
    )


@pytest.fixture
def second_criterion(matrix: Matrix) -> Criterion:
    return actions.add_criterion(
        matrix,
        code="JIT-02",
        question="Does law allow evidence gathered by a JIT to be used at trial?",
        source=Source.EU_MLA_2000,
        article="Art. 13(10)",
        position=2,
    )
