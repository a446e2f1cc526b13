"""The format documentation's complete example is a valid scenario, kept honest by this test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from caseroom.engine import Session, limits, load_scenario, play_expert_path, validate_scenario
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


def test_every_limit_is_documented_with_its_name() -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("## Limits", 1)[1].split("\n## ", 1)[0]
    assert [name for name in limits.__all__ if f"`{name}`" not in section] == []


def _scenario_block(name: str) -> str:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", doc, flags=re.S) if b.startswith(name)]
    return str(block)


def test_the_documented_wait_example_fires_on_the_way_and_after_its_delay(tmp_path: Path) -> None:
    """docs: 'What happens while a team waits' and 'Delays after an event'."""
    (tmp_path / "scenario.yaml").write_text(_scenario_block("id: night-shift"), encoding="utf-8")
    assert [str(d) for d in validate_scenario(tmp_path)] == []
    scenario = load_scenario(tmp_path)
    session, problems = play_expert_path(scenario)
    assert problems == [] and session.outcome == "found"
    assert session.state.fired == {"supervisor-calls": 240}  # in the middle of the wait
    careless = Session(scenario)
    careless.act("labour-inspector", "call-employer")
    careless.act("labour-inspector", "ask-roster")
    assert careless.state.scheduled == {"workers-moved": 720}
    careless.wait()
    assert careless.state.fired == {"supervisor-calls": 240, "workers-moved": 720}
    assert careless.state.clock == 1500  # the roster, 1 day after it was asked for at 1 h
    careless.act("police", "raid")
    assert careless.outcome == "gone"


def test_the_documented_chain_of_approvals_loads_and_plays(tmp_path: Path) -> None:
    """docs: 'Authorities nobody plays' (its two fragments, in a scenario around them)."""
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Authorities nobody plays", 1)[1].split("\n### ", 1)[0]
    authorities, approval = (
        yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    )
    scenario = {
        "id": "chain",
        "version": "1",
        "title": "A chain of approvals",
        "start": "office",
        "phases": [{"id": "p", "title": "Investigation"}],
        "roles": [
            {"id": "police-rs", "title": "Police"},
            {"id": "prosecutor-rs", "title": "Prosecutor"},
        ],
        **authorities,
        "variables": {"evidence": {"type": "int", "min": 0, "max": 5, "default": 2}},
        "documents": [
            {"id": "doc-order", "title": "Order"},
            {"id": "doc-mk-records", "title": "Records"},
        ],
        "scenes": [
            {
                "id": "office",
                "phase": "p",
                "title": "Office",
                "kind": "menu",
                "actions": [
                    {
                        "id": "intercepts",
                        "text": "Ask for intercepts.",
                        "roles": ["police-rs"],
                        **approval,
                    },
                    {"id": "close", "text": "Close.", "goto": "end"},
                ],
            }
        ],
        "endings": [{"id": "done", "title": "Done"}],
    }
    (tmp_path / "scenario.yaml").write_text(json.dumps(scenario), encoding="utf-8")
    session = Session(load_scenario(tmp_path))
    session.act("police-rs", "intercepts")
    session.approve("intercepts", "prosecutor-rs")
    session.wait()
    session.wait()
    assert session.state.clock == 3 * 1440 and session.state.taken == {"intercepts": 1}
    assert set(session.state.unlocked) == {"doc-order", "doc-mk-records"}
