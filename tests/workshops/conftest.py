"""A workshop of `facilitator` with its five themes, two participants and a coordination."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Coordination
from caseroom.workshops import actions
from caseroom.workshops.models import Participant, Theme, Workshop


@pytest.fixture
def workshop(facilitator: User) -> Workshop:
    return actions.create_workshop(
        facilitator,
        title="Regional workshop on victim identification",
        starts_on=dt.date(2026, 5, 12),
        ends_on=dt.date(2026, 5, 13),
        place="Ohrid",
    )


@pytest.fixture
def theme(workshop: Workshop) -> Theme:
    return workshop.themes.get(position=0)


@pytest.fixture
def ana(workshop: Workshop) -> Participant:
    return actions.join(workshop, name="Ana", country="Albania", agency="State Police")


@pytest.fixture
def boris(workshop: Workshop) -> Participant:
    return actions.join(workshop, name="Boris", country="Serbia", agency="Prosecution")


@pytest.fixture
def coordination(facilitator: User) -> Coordination:
    return cooperation.create_coordination("SEE anti-trafficking guidelines", by=facilitator)
