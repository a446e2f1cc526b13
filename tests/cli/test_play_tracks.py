"""`caseroom play` with per-role tracks (`split`): the menu offers each role the options of
its own scene, and each turn says where the parts of the team are."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from caseroom.cli.menu import menu_entries
from caseroom.cli.play import run_play
from caseroom.engine import Session, load_scenario
from caseroom.engine.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]


def example(folder: Path) -> Scenario:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Tracks: roles in two places at once", 1)[1].split("\n## ", 1)[0]
    (text,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    return load_scenario(folder)


def test_a_team_of_one_plays_both_places_from_one_menu(tmp_path: Path) -> None:
    scenario = example(tmp_path)
    session = Session(scenario)
    session.act("police", "take-to-shelter")
    entries = [(e.number, e.role, e.action) for e in menu_entries(session, list(scenario.roles))]
    assert entries == [
        (1, "police", "search-cab"),
        (None, None, "to-station"),  # the protection worker is still at the shelter
        (2, "protection", "let-him-rest"),
        (3, "protection", "question-now"),
    ]
    console = Console(record=True, width=120, force_terminal=False, color_system=None)
    answers = iter(["2", "2", "1"])  # let him rest, then to the station, then close
    played = run_play(scenario, None, console, ask=lambda _p: next(answers), session=session)
    assert played.state.ending == "trusted"
    output = console.export_text()
    assert "Border police: Searching the lorry\nProtection worker: At the shelter" in output


def test_one_role_is_told_where_the_other_is(tmp_path: Path) -> None:
    scenario = example(tmp_path)
    console = Console(record=True, width=120, force_terminal=False, color_system=None)
    answers = iter(["1", "q"])
    run_play(scenario, "police", console, ask=lambda _p: next(answers))
    output = console.export_text()
    assert "Border police (you): Searching the lorry\nProtection worker: At the shelter" in output
