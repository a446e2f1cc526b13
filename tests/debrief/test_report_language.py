"""Debriefs and the after-action report in the reader's language: the case's texts in
Macedonian beside the Macedonian interface, not an English body under Cyrillic headings."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from caseroom.debrief.aar import build_report, render_html
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team
from caseroom.scenarios.models import ScenarioVersion

pytestmark = pytest.mark.django_db

BORDER = "border-police-mk"


@pytest.fixture
def played(night_version: ScenarioVersion, facilitator: User) -> tuple[Exercise, Team]:
    exercise = Exercise.objects.create(
        title="Skopje workshop", scenario=night_version, status=Exercise.Status.RUNNING
    )
    exercise.facilitators.add(facilitator)
    actions.create_teams(exercise, 1)
    team = exercise.teams.get()
    ana = actions.join(exercise, name="Ana", agency="Police", country="MK", team=team)
    for ref in ("roadside-questioning", "seize-phone"):
        event = Event("act", role=BORDER, ref=ref, actor=ana.name)
        actions.command(team, event, participant=ana)
    exercise.status = Exercise.Status.ENDED
    exercise.save(update_fields=["status"])
    return exercise, team


def test_the_after_action_report_in_macedonian_has_the_case_in_macedonian(
    played: tuple[Exercise, Team],
) -> None:
    exercise, _ = played
    with translation.override("mk"):
        html = render_html(build_report(exercise))
    assert "Ноќно преминување" in html  # the scenario's title
    assert "Граничната полиција на Северна Македонија ноќе запира комбе" in html  # summary
    # The English texts of the case are gone: no English body under Macedonian headings.
    for english in ("Night crossing", "Border police of North Macedonia stop a van"):
        assert english not in html
    assert '<div lang="en">' not in html and '<span lang="en">' not in html


def test_the_report_in_english_is_unchanged(played: tuple[Exercise, Team]) -> None:
    exercise, _ = played
    with translation.override("en"):
        html = render_html(build_report(exercise))
    assert "Border police of North Macedonia stop a van" in html
    assert "Ноќно" not in html


def test_the_team_debrief_in_albanian_shows_the_steps_in_albanian(
    played: tuple[Exercise, Team], facilitator_client: Client
) -> None:
    exercise, team = played
    facilitator_client.cookies["django_language"] = "sq"
    html = facilitator_client.get(
        f"/facilitate/{exercise.pk}/team/{team.pk}/debrief/"
    ).content.decode()
    # Ana's first action and its debrief text, in Albanian.
    assert "Merrni në pyetje nëntë pasagjerët së bashku" in html
    assert "Marrja në pyetje e njerëzve së bashku" in html
    assert "Question the nine passengers together" not in html


def test_a_debrief_in_a_language_without_translation_marks_the_case_as_english(
    played: tuple[Exercise, Team], facilitator_client: Client
) -> None:
    exercise, team = played
    facilitator_client.cookies["django_language"] = "sr-latn"
    html = facilitator_client.get(
        f"/facilitate/{exercise.pk}/team/{team.pk}/debrief/"
    ).content.decode()
    # The debrief texts (Markdown) are English, and marked so for screen readers.
    assert re.search(r'<div lang="en"><p>Questioning people together', html)
    assert '<span lang="en">Question the nine passengers together' in html  # the step
