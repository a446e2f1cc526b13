"""The format documentation's complete example is a valid scenario, kept honest by this test."""

from __future__ import annotations

import re
from pathlib import Path

from caseroom.engine import Session, load_scenario, play_expert_path, validate_scenario
from tests.conftest import ROOT


def test_the_documented_example_is_valid_and_its_expert_path_succeeds(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("## A complete small example", 1)[1]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (tmp_path / "scenario.yaml").write_text(example, encoding="utf-8")
    assert [str(d) for d in validate_scenario(tmp_path)] == []
    session, problems = play_expert_path(load_scenario(tmp_path))
    assert problems == [] and session.outcome == "proceeds-frozen"
    assert isinstance(session, Session)
