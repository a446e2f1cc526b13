"""The facilitator's console guards the moves that cannot be taken back, offers only what
can still be done, and shows an ended exercise's result (issue 13, "Facilitators").

The sizes (menus inside their card, the page's height) are measured in a browser:
tests/browser/test_console_facilitation.py.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team

pytestmark = pytest.mark.django_db


def console(exercise: Exercise, rest: str = "") -> str:
    return f"/facilitate/{exercise.pk}/{rest}"


def select(page: str, element_id: str) -> str:
    found = re.search(rf'<select[^>]*id="{element_id}"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert found is not None, f"no select #{element_id}"
    return found.group(0)


def fire(team: Team, inject: str) -> None:
    actions.command(team, Event("inject", ref=inject, actor="fac"))


def test_ending_the_exercise_is_a_confirm_step_that_needs_no_script(
    exercise: Exercise, facilitator_client: Client
) -> None:
    page = facilitator_client.get(console(exercise)).content.decode()
    confirm = re.search(r'<details class="confirm" id="end-confirm">(.*?)</details>', page, re.S)
    assert confirm is not None
    assert "<summary" in confirm.group(1) and "End exercise…" in confirm.group(1)
    # The only button that ends the exercise is inside the closed confirm step.
    assert confirm.group(1).count('value="ended"') == 1 == page.count('value="ended"')
    assert "Yes, end the exercise" in confirm.group(1)


def test_moving_every_team_has_no_default_scene_and_a_confirm_step(
    exercise: Exercise, facilitator_client: Client
) -> None:
    page = facilitator_client.get(console(exercise)).content.decode()
    scenes = select(page, "scene-all")
    assert "required" in scenes
    first = re.search(r"<option([^>]*)>", scenes)
    assert first is not None and 'value=""' in first.group(1)
    assert "selected" not in scenes
    move = page[page.index('class="inline-form move-all"') :]
    move = move[: move.index("</form>")]
    assert '<details class="confirm" id="move-confirm">' in move
    assert "Move all 2 teams to the chosen scene?" in move
    # Each team's own menu does not preselect a scene either.
    assert 'value=""' in select(page, r"scene-\d+")


def test_a_move_without_a_scene_is_refused(exercise: Exercise, facilitator_client: Client) -> None:
    answer = facilitator_client.post(
        console(exercise, "jump/"), {"team": "all", "scene": "", "key": "k1"}, follow=True
    )
    assert "Choose a scene." in answer.content.decode()
    assert all(t.event_count == 0 for t in exercise.teams.all())


def test_the_inject_menu_drops_injects_fired_to_every_team_and_names_the_others(
    exercise: Exercise, team: Team, other_team: Team, facilitator_client: Client
) -> None:
    fire(team, "storm")
    fire(team, "leak")
    fire(other_team, "leak")
    page = facilitator_client.get(console(exercise)).content.decode()
    menu = select(page, "inject-all")
    assert "A journalist calls" not in menu  # fired to both teams
    assert f"Facilitator storm (already fired to {team.name})" in menu
    assert ">Suspects alerted<" in menu  # fired to nobody: as it is
    # A team's own menu offers only what it has not had.
    assert "Facilitator storm" not in select(page, f"inject-{team.pk}")
    assert "Facilitator storm" in select(page, f"inject-{other_team.pk}")


def test_an_ended_exercise_shows_its_result_instead_of_live_controls(
    exercise: Exercise, team: Team, other_team: Team, facilitator_client: Client
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="treat-as-victim", actor="Ana"))
    actions.command(team, Event("end", ref="closed", actor="fac"))
    actions.set_status(exercise, Exercise.Status.ENDED)
    page = facilitator_client.get(console(exercise)).content.decode()
    assert 'id="result"' in page
    for gone in ('id="broadcast"', 'id="timebox"', 'id="rules"', "Inject, message, end"):
        assert gone not in page, gone
    result = page[page.index('id="result"') :]
    assert "Case closed" in result and "failure" in result
    assert "Stopped by the facilitator at “The stop”" in result  # the other team
    assert f"/facilitate/{exercise.pk}/debrief/" in result
    assert f"/facilitate/{exercise.pk}/team/{team.pk}/debrief/" in result
    assert "Reopen" in page
    # The live part of the console (what every nudge re-fetches) shows the same.
    part = facilitator_client.get(console(exercise, "teams/")).content.decode()
    assert 'id="result"' in part and "Inject, message, end" not in part


def test_role_editing_is_folded_per_participant(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    for name in ("Ana", "Boris", "Cvetan"):
        actions.join(exercise, name=name, country="RS", roles=["police-rs"], team=team)
    page = facilitator_client.get(console(exercise)).content.decode()
    folded = re.findall(r'<details class="edit-roles">(.*?)</details>', page, re.S)
    assert len(folded) == 3
    assert all('name="roles"' in part and "New personal code" in part for part in folded)
    rest = page
    for part in folded:
        rest = rest.replace(part, "")
    assert 'name="roles"' not in rest  # no role checkbox outside a folded form
    summaries = [part[: part.index("</summary>")] for part in folded]
    assert all(team.name in summary and "Police investigator" in summary for summary in summaries)
