"""The exercise page tests' own world: a running night-crossing exercise (the shared users,
the mini-scenario exercise and its participants are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios.models import ScenarioVersion


@pytest.fixture
def night_exercise(night_version: ScenarioVersion, facilitator: User) -> Exercise:
    """A running night-crossing workshop in Skopje with two teams, run by `facilitator`."""
    exercise = Exercise.objects.create(
        title="Skopje workshop",
        scenario=night_version,
        status=Exercise.Status.RUNNING,
        location="Skopje",
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 2)
    return exercise
