"""The debrief pages: a team's replay with "what if", and the comparison across teams."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.engine import Event
from caseroom.exercises import actions, sessions
from caseroom.exercises.models import Exercise, Team

pytestmark = pytest.mark.django_db


def act(team: Team, role: str, action: str, answer: Any = None, actor: str = "Ana") -> None:
    actions.command(team, Event("act", role=role, ref=action, input=answer, actor=actor))


def team_url(exercise: Exercise, team: Team) -> str:
    return reverse("debrief_team", args=[exercise.pk, team.pk])


def exercise_url(exercise: Exercise) -> str:
    return reverse("debrief_exercise", args=[exercise.pk])


def test_the_team_replay_shows_the_harmful_step_and_the_experts_choice(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    act(team, "police-rs", "arrest-all")
    response = facilitator_client.get(team_url(exercise, team))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Arrest everyone for illegal crossing." in page
    assert "debrief-grade-harmful" in page and "harmful" in page
    assert "Treated a victim as an offender" in page
    assert "Screen everyone for trafficking indicators." in page
    assert "Screen first." in page  # the expert's rationale
    assert "Ana (Police investigator (Serbia))" in page
    assert "Investigation" in page  # scene change
    assert "Victim protection -2" in page  # a dimension by its title
    assert "?whatif=0" in page
    assert "The case has not ended yet." in page
    assert "Network dismantled" not in page


def test_the_replay_shows_consequences_and_the_ending(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    act(team, "police-rs", "treat-as-victim")
    act(team, "police-rs", "check-db")
    act(team, "police-rs", "wrap-up")
    act(team, "police-rs", "close")
    page = facilitator_client.get(team_url(exercise, team)).content.decode()
    assert "Statement of a passenger" in page  # documents unlocked
    assert "Call records" in page
    assert "Evidence: 0 → 1" in page  # variables changed, named as words
    assert "Victim: no → yes" in page
    assert "Case closed" in page  # the ending title
    assert "<p>Nothing happens.</p>" in page  # its narrative, as Markdown
    assert "Good screening." in page and "Screening first is the standard." in page


def test_what_if_shows_where_the_expert_path_leads(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    act(team, "police-rs", "arrest-all")
    page = facilitator_client.get(team_url(exercise, team) + "?whatif=0").content.decode()
    assert 'id="whatif"' in page
    assert "Network dismantled" in page
    assert "success" in page


@pytest.mark.parametrize("raw", ["99", "-1", "x"])
def test_a_bad_what_if_index_is_ignored(
    exercise: Exercise, team: Team, facilitator_client: Client, raw: str
) -> None:
    act(team, "police-rs", "arrest-all")
    response = facilitator_client.get(team_url(exercise, team) + f"?whatif={raw}")
    assert response.status_code == 200
    assert 'id="whatif"' not in response.content.decode()


def test_the_exercise_debrief_compares_the_teams(
    exercise: Exercise, team: Team, other_team: Team, facilitator_client: Client
) -> None:
    act(team, "police-rs", "arrest-all")
    act(other_team, "police-rs", "treat-as-victim", actor="Rival")
    response = facilitator_client.get(exercise_url(exercise))
    assert response.status_code == 200
    page = response.content.decode()
    assert team_url(exercise, team) in page and team_url(exercise, other_team) in page
    assert "Treated a victim as an offender" in page
    assert "Indicators call for referral." in page
    assert "Screen everyone for trafficking indicators." in page
    assert 'class="debrief-expert"' in page
    assert "width: 50%" in page  # one of two teams took each option of the stop
    assert "The stop" in page


def test_the_exercise_debrief_queries_are_bounded(
    exercise: Exercise,
    team: Team,
    other_team: Team,
    facilitator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    third = actions.create_teams(exercise, 1)[0]
    for number, each in enumerate((team, other_team, third)):
        act(each, "police-rs", "arrest-all" if number % 2 else "treat-as-victim")
    sessions._sessions.clear()  # cold: every team's log is read once
    # + the facilitator's notes row and one query for every team's annotations
    with django_assert_max_num_queries(12):
        response = facilitator_client.get(exercise_url(exercise))
    assert response.status_code == 200


def test_anonymous_users_are_sent_to_log_in(exercise: Exercise, team: Team) -> None:
    for url in (exercise_url(exercise), team_url(exercise, team)):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_staff_get_404(exercise: Exercise, team: Team, trainer_client: Client) -> None:
    assert trainer_client.get(exercise_url(exercise)).status_code == 404
    assert trainer_client.get(team_url(exercise, team)).status_code == 404


def test_a_team_of_another_exercise_is_404(
    exercise: Exercise, team: Team, facilitator: User, facilitator_client: Client
) -> None:
    other = Exercise.objects.create(title="Other", scenario=exercise.scenario)
    other.facilitators.add(facilitator)
    foreign = actions.create_teams(other, 1)[0]
    assert facilitator_client.get(team_url(exercise, foreign)).status_code == 404
    assert facilitator_client.get(team_url(other, foreign)).status_code == 200


def test_the_replay_shows_real_time_next_to_case_time(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    import datetime as dt

    from django.utils import timezone

    act(team, "police-rs", "arrest-all")
    stamp = dt.datetime.fromisoformat(team.events.get().payload["time"])
    local = timezone.localtime(stamp).strftime("%H:%M:%S")
    page = facilitator_client.get(team_url(exercise, team)).content.decode()
    assert f'title="Real time">{local}</span>' in page
