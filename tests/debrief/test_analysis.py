"""Across exercises of one scenario: filters by country, agency and date; repeat runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.debrief import analysis
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team
from caseroom.scenarios.models import ScenarioVersion

pytestmark = pytest.mark.django_db


def run(
    version: ScenarioVersion,
    facilitator: User,
    day: dt.date,
    players: list[tuple[str, str, str]],
    moves: list[str],
) -> Exercise:
    """One exercise, one team per player, each team playing `moves` as that player."""
    exercise = Exercise.objects.create(
        title=f"Run {day.isoformat()}", scenario=version, date=day, status="running"
    )
    exercise.facilitators.add(facilitator)
    for (name, agency, country), team in zip(
        players, actions.create_teams(exercise, len(players)), strict=True
    ):
        actions.join(
            exercise, name=name, agency=agency, country=country, roles=["police-rs"], team=team
        )
        for move in moves:
            actions.command(team, Event("act", role="police-rs", ref=move, actor=name))
    return exercise


ANA = ("Ana Petrović", "Border Police", "Serbia")
BESA = ("Besa Krasniqi", "Prosecution", "North Macedonia")


@pytest.fixture
def two_runs(mini_version: ScenarioVersion, facilitator: User) -> tuple[Exercise, Exercise]:
    first = run(mini_version, facilitator, dt.date(2026, 3, 2), [ANA, BESA], ["arrest-all"])
    # The same people come back; one types her name with other spacing and case.
    again = ("ana  PETROVIĆ", "Border Police", "Serbia")
    repeat = run(
        mini_version,
        facilitator,
        dt.date(2026, 9, 14),
        [again, BESA],
        ["treat-as-victim", "check-db"],
    )
    return first, repeat


def url(slug: str, **query: str) -> str:
    base = reverse("analysis_scenario", args=[slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_repeat_run_shows_each_persons_progress(
    two_runs: tuple[Exercise, Exercise], facilitator: User, mini_version: ScenarioVersion
) -> None:
    result = analysis.analyse(facilitator, mini_version.slug, analysis.Filters())
    assert result is not None
    assert result.teams == 4
    progress = result.progress
    assert sorted(p.name for p in progress.people) == ["Ana Petrović", "Besa Krasniqi"]
    assert all(
        p.first.exercise == two_runs[0] and p.repeat.exercise == two_runs[1]
        for p in progress.people
    )
    assert progress.improved == 2
    assert progress.mean_repeat is not None and progress.mean_first is not None
    assert progress.mean_repeat > progress.mean_first
    assert progress.misconceptions == [("Treated a victim as an offender", 2, 0)]


def test_filtering_by_country_keeps_the_teams_with_such_a_member(
    two_runs: tuple[Exercise, Exercise], facilitator: User, mini_version: ScenarioVersion
) -> None:
    result = analysis.analyse(
        facilitator, mini_version.slug, analysis.Filters(country="north macedonia")
    )
    assert result is not None
    assert result.teams == 2
    assert [p.name for p in result.progress.people] == ["Besa Krasniqi"]


def test_filtering_by_date_keeps_the_exercises_in_the_range(
    two_runs: tuple[Exercise, Exercise], facilitator: User, mini_version: ScenarioVersion
) -> None:
    result = analysis.analyse(
        facilitator, mini_version.slug, analysis.Filters(date_from=dt.date(2026, 6, 1))
    )
    assert result is not None
    assert [row.exercise for row in result.exercises] == [two_runs[1]]
    assert result.progress.people == []  # one run only in range
    assert [share.label for share in result.misconceptions] == []


def test_the_page_shows_filters_misconceptions_and_progress(
    two_runs: tuple[Exercise, Exercise], facilitator_client: Client, mini_version: ScenarioVersion
) -> None:
    index = facilitator_client.get(reverse("analysis_index")).content.decode()
    assert url(mini_version.slug) in index
    page = facilitator_client.get(url(mini_version.slug, agency="Prosecution")).content.decode()
    assert "Treated a victim as an offender" in page
    assert "Besa Krasniqi" in page and "Ana Petrović" not in page
    assert "Run 2026-03-02" in page and "Run 2026-09-14" in page
    assert '<option value="Prosecution" selected>' in page


def test_bad_filters_get_a_message_not_an_error(
    two_runs: tuple[Exercise, Exercise], facilitator_client: Client, mini_version: ScenarioVersion
) -> None:
    response = facilitator_client.get(
        url(mini_version.slug, date_from="2026-10-01", date_to="2026-01-01")
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    response = facilitator_client.get(url(mini_version.slug, country="Atlantis"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_facilitator_sees_only_the_exercises_they_ran(
    two_runs: tuple[Exercise, Exercise],
    trainer: User,
    trainer_client: Client,
    mini_version: ScenarioVersion,
) -> None:
    assert (
        url(mini_version.slug) not in trainer_client.get(reverse("analysis_index")).content.decode()
    )
    assert trainer_client.get(url(mini_version.slug)).status_code == 404
    two_runs[0].facilitators.add(trainer)
    result = analysis.analyse(trainer, mini_version.slug, analysis.Filters())
    assert result is not None and [r.exercise for r in result.exercises] == [two_runs[0]]
    assert result.progress.people == []


def test_teams_that_never_played_are_left_out(
    mini_version: ScenarioVersion, facilitator: User, team: Team, exercise: Exercise
) -> None:
    result = analysis.analyse(facilitator, mini_version.slug, analysis.Filters())
    assert result is not None
    assert result.teams == 0 and result.mean_total is None
