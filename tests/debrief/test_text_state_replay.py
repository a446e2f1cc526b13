"""The debrief's replay shows each step's texts as the team read them: placeholders read the
state right after that step, not the state at the end."""

from __future__ import annotations

import pytest

from caseroom.debrief.reports import team_report
from caseroom.exercises.models import Exercise
from tests.exercises.support import player
from tests.exercises.test_text_state_pages import act, stateful  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_a_step_reads_the_state_of_its_moment(stateful: Exercise) -> None:  # noqa: F811
    client, _ = player(stateful, "Ana", ["police-rs"])
    act(client, stateful, "treat-as-victim")
    act(client, stateful, "check-db")  # evidence 0 → 1, two hours later
    report = team_report(stateful.teams.get())
    first = next(row for row in report.steps if row.step.ref == "treat-as-victim")
    assert (first.feedback, first.debrief) == ("Good screening at 08\\:00: none.", "First (0).")
