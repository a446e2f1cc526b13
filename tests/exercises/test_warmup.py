"""A server process loads what running exercises need before people wait for it."""

from __future__ import annotations

import pytest

from caseroom.exercises.models import Exercise
from caseroom.exercises.warmup import warm_up
from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion


@pytest.mark.django_db(transaction=True)  # warm-up reads in a thread of its own
def test_the_scenarios_of_exercises_not_over_are_loaded_at_start(
    mini_version: ScenarioVersion, night_version: ScenarioVersion
) -> None:
    Exercise.objects.create(title="Now", scenario=mini_version, status=Exercise.Status.RUNNING)
    Exercise.objects.create(title="Past", scenario=night_version, status=Exercise.Status.ENDED)
    registry._cache.clear()  # a process that has just started
    loaded = warm_up()
    assert loaded == [f"{mini_version.slug} {mini_version.version}"]
    assert (mini_version.pk, mini_version.digest) in registry._cache
    assert (night_version.pk, night_version.digest) not in registry._cache


def test_a_process_without_a_database_still_starts() -> None:
    assert warm_up() == []  # database access refused here: nothing loaded, nothing raised
