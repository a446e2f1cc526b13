"""The facilitator marks steps (comment, good practice, misconception) and writes notes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.debrief.models import Annotation, debrief_of
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team

pytestmark = pytest.mark.django_db


def annotate_url(exercise: Exercise, team: Team) -> str:
    return reverse("debrief_annotate", args=[exercise.pk, team.pk])


@pytest.fixture
def played(team: Team) -> Team:
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    return team


def test_a_misconception_mark_appears_in_the_replay_and_across_teams(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        annotate_url(exercise, played),
        {
            "step": 0,
            "kind": "misconception",
            "misconception": "mc-victim-offender",
            "body": "They *arrested* the passengers first.",
            "key": "k1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/team/{played.pk}/debrief/#step-0")
    team_page = facilitator_client.get(
        reverse("debrief_team", args=[exercise.pk, played.pk])
    ).content.decode()
    assert "debrief-mark-misconception" in team_page
    assert "They <em>arrested</em> the passengers first." in team_page
    overview = facilitator_client.get(
        reverse("debrief_exercise", args=[exercise.pk])
    ).content.decode()
    assert "Marked by the facilitator" in overview
    assert "Treated a victim as an offender" in overview
    assert "Arrest everyone for illegal crossing." in overview  # the marked step's action


def test_htmx_annotation_returns_the_steps_marks_only(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        annotate_url(exercise, played),
        {"step": 0, "kind": "good-practice", "body": "", "key": "k2"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div class="debrief-marks" id="marks-0">')
    assert "Good practice" in page
    assert "<html" not in page


def test_a_double_click_adds_one_annotation(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    data = {"step": 0, "kind": "comment", "body": "Ask why.", "key": "same"}
    facilitator_client.post(annotate_url(exercise, played), data)
    facilitator_client.post(annotate_url(exercise, played), data)
    assert Annotation.objects.filter(team=played).count() == 1


def test_an_empty_comment_is_refused_with_a_message(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        annotate_url(exercise, played),
        {"step": 0, "kind": "comment", "body": "  ", "key": "k3"},
        HTTP_HX_REQUEST="true",
    )
    assert "Write the comment." in response.content.decode()
    assert not Annotation.objects.exists()


def test_an_unknown_misconception_id_is_refused(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        annotate_url(exercise, played),
        {"step": 0, "kind": "misconception", "misconception": "<script>", "key": "k4"},
        HTTP_HX_REQUEST="true",
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_mark_can_be_removed(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    mark = Annotation.objects.create(team=played, step=0, kind="comment", body="Oops")
    response = facilitator_client.post(
        reverse("debrief_annotation_delete", args=[exercise.pk, mark.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert not Annotation.objects.exists()


def test_only_the_exercises_facilitators_can_annotate(
    exercise: Exercise, played: Team, trainer_client: Client
) -> None:
    data = {"step": 0, "kind": "comment", "body": "Hi", "key": "k5"}
    assert trainer_client.post(annotate_url(exercise, played), data).status_code == 404
    assert Client().post(annotate_url(exercise, played), data).status_code == 302  # to log in
    mark = Annotation.objects.create(team=played, step=0, kind="comment", body="Mine")
    url = reverse("debrief_annotation_delete", args=[exercise.pk, mark.pk])
    assert trainer_client.post(url).status_code == 404
    assert Annotation.objects.filter(pk=mark.pk).exists()


def test_notes_are_saved_for_the_report(exercise: Exercise, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("debrief_notes", args=[exercise.pk]),
        {"notes": "Good cooperation.", "recommendations": "- Train screening"},
    )
    assert response.status_code == 302
    debrief = debrief_of(exercise)
    assert debrief.notes == "Good cooperation."
    assert debrief.recommendations == "- Train screening"


def test_an_annotation_key_used_on_another_team_adds_that_teams_own_mark(
    exercise: Exercise, played: Team, other_team: Team, facilitator_client: Client
) -> None:
    actions.command(other_team, Event("act", role="police-rs", ref="arrest-all", actor="R"))
    for team in (played, other_team):
        answer = facilitator_client.post(
            annotate_url(exercise, team),
            {"step": 0, "kind": "comment", "body": f"On {team.name}", "key": "same-key"},
        )
        assert answer.status_code == 302
    assert Annotation.objects.get(team=played).body == f"On {played.name}"
    assert Annotation.objects.get(team=other_team).body == f"On {other_team.name}"


def test_an_impossible_step_is_refused_in_words(
    exercise: Exercise, played: Team, facilitator_client: Client
) -> None:
    answer = facilitator_client.post(
        annotate_url(exercise, played),
        {"step": "9" * 25, "kind": "comment", "body": "x"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert "less than or equal to 2147483647" in answer.content.decode()
    assert not Annotation.objects.exists()
