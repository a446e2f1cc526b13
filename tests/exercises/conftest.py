"""Shared fixtures for the web app: registered scenarios, users, a running exercise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User

from caseroom.exercises import actions, live
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import register_folder
from tests.conftest import MINI, ROOT


@pytest.fixture
def mini_version(db: None) -> ScenarioVersion:
    """The all-features test scenario, registered (without the slow exploration)."""
    return register_folder(MINI, explore=False)


@pytest.fixture
def night_version(db: None) -> ScenarioVersion:
    return register_folder(ROOT / "scenarios" / "night-crossing", explore=False)


@pytest.fixture
def facilitator(db: None) -> User:
    return User.objects.create_user("fac", password="pw-facilitator", is_staff=True)


@pytest.fixture
def outsider(db: None) -> User:
    """Staff, but not a facilitator of the exercise."""
    return User.objects.create_user("other", password="pw-other", is_staff=True)


@pytest.fixture
def exercise(mini_version: ScenarioVersion, facilitator: User) -> Exercise:
    exercise = Exercise.objects.create(
        title="Test exercise", scenario=mini_version, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 2)
    return exercise


@pytest.fixture
def team(exercise: Exercise) -> Team:
    return exercise.teams.order_by("pk").first()  # type: ignore[return-value]


@pytest.fixture
def other_team(exercise: Exercise) -> Team:
    return exercise.teams.order_by("pk").last()  # type: ignore[return-value]


@pytest.fixture
def ana(exercise: Exercise, team: Team) -> Participant:
    """Police investigator (Serbia) in the first team."""
    return actions.join(
        exercise, name="Ana", agency="Police", country="RS", roles=["police-rs"], team=team
    )


@pytest.fixture
def petar(exercise: Exercise, team: Team) -> Participant:
    """Prosecutor (Serbia) in the first team."""
    return actions.join(
        exercise,
        name="Petar",
        agency="Prosecution",
        country="RS",
        roles=["prosecutor-rs"],
        team=team,
    )


@pytest.fixture
def marija(exercise: Exercise, team: Team) -> Participant:
    """Police officer (North Macedonia) in the first team."""
    return actions.join(
        exercise, name="Marija", agency="Police", country="MK", roles=["police-mk"], team=team
    )


@pytest.fixture
def rival(exercise: Exercise, other_team: Team) -> Participant:
    """A police investigator in the other team."""
    return actions.join(
        exercise, name="Rival", agency="Police", country="RS", roles=["police-rs"], team=other_team
    )


@pytest.fixture
def published() -> Iterator[live.RecordingPublisher]:
    recorder = live.RecordingPublisher()
    previous, live.publisher = live.publisher, recorder
    yield recorder
    live.publisher = previous
