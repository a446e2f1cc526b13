"""`caseroom play` shows texts with their placeholders read: the scene now, the feedback at
the moment it arrived, the ending at the end."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from caseroom.cli.play import run_play
from caseroom.engine import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_the_terminal_reads_the_state_in_scene_feedback_and_ending(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Text that reads the state", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (tmp_path / "scenario.yaml").write_text(example, encoding="utf-8")
    console = Console(record=True, width=120, force_terminal=False, color_system=None)
    answers = iter(["1"])
    session = run_play(load_scenario(tmp_path), None, console, ask=lambda _p: next(answers))
    assert session.ended
    output = console.export_text()
    assert "Day 1, 08:00: you reach the site (Inspection)." in output
    assert "At 2026-03-02 10:00 you count 12 workers; the site is now: sealed off." in output
    assert "Secured after 2h: 12 workers are safe." in output
    assert "{{" not in output and "\\" not in output
