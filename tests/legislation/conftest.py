"""Fixtures of the legislation app: the coordination and its named seats are cooperation's
(`coordinator`, `focal_rs`, `observer`, `stranger` and their clients, imported from
tests/cooperation/conftest.py), holding one matrix with two criteria."""

from __future__ import annotations

import pytest

from caseroom.cooperation.models import Coordination
from caseroom.legislation import actions
from caseroom.legislation.models import Criterion, Matrix
from tests.cooperation.conftest import coordination as coordination
from tests.cooperation.conftest import coordinator as coordinator
from tests.cooperation.conftest import coordinator_client as coordinator_client
from tests.cooperation.conftest import focal_rs as focal_rs
from tests.cooperation.conftest import observer as observer
from tests.cooperation.conftest import observer_client as observer_client
from tests.cooperation.conftest import seat_clients as seat_clients
from tests.cooperation.conftest import stranger as stranger

Source = Criterion.Source


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
