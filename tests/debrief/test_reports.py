"""The report builders return frozen dataclasses that the views lay out as template contexts."""

from __future__ import annotations

import dataclasses

import pytest

from caseroom.debrief import reports
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.exercises.sessions import teams_of

pytestmark = pytest.mark.django_db


def test_a_team_report_is_frozen_and_names_every_field_of_the_team_page(
    team: Team, ana: Participant
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    report = reports.team_report(team)
    assert report.team == team
    assert report.steps[0].who.startswith("Ana (")
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.total = 99  # type: ignore[misc]
    context = reports.as_context(report)
    assert set(context) == {f.name for f in dataclasses.fields(reports.TeamReport)}
    assert context["steps"] is report.steps  # shallow: the rows are not copied


def test_an_exercise_report_feeds_the_projector_by_attribute(
    exercise: Exercise, team: Team, ana: Participant
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    report = reports.exercise_report(exercise, teams_of(exercise))
    assert [row.team for row in report.rows] == list(teams_of(exercise))
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.flow_svg = ""  # type: ignore[misc]
    slides = reports.projector_slides(exercise, report)
    assert slides[0].kind == "title"
    assert slides[0].item is report.scenario
    assert set(reports.as_context(report)) == {
        f.name for f in dataclasses.fields(reports.ExerciseReport)
    }
