"""The console tells the facilitator what a team does not see: when a delayed inject will fire
by itself (to fire it earlier on purpose, or leave it), and which roles are on a track."""

from __future__ import annotations

from django.utils import translation

from caseroom.engine import load_scenario
from caseroom.exercises.teamcards import _team_injects
from tests.conftest import ROOT


def test_a_scheduled_inject_says_when_it_will_fire_and_fired_ones_are_gone() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "vardar-corridor")
    first, second, third = list(scenario.injects)[:3]

    with translation.override("en"):
        menu = dict(_team_injects(scenario, fired=[second], scheduled={first: 26 * 60}))

    assert second not in menu  # fired already
    assert "(scheduled: " in menu[first] and "(scheduled" not in menu[third]
    start_day = int(scenario.doc.clock.start[8:10])
    assert f"{start_day + 1}" in menu[first].split("(scheduled: ")[1]  # 26 h later: next day


def test_the_console_says_which_roles_are_on_a_track_of_their_own() -> None:
    from caseroom.engine import Session
    from caseroom.exercises.teamcards import _tracks

    scenario = load_scenario(ROOT / "scenarios" / "vardar-corridor")
    session = Session(scenario)
    assert _tracks(scenario, session) == []
    session.act("police-rs", "screen-and-separate")

    with translation.override("en"):
        lines = _tracks(scenario, session)

    worker = scenario.roles["protection-worker-rs"].title
    assert lines == [f"{worker}: The warm room — first contact with the young man"]
