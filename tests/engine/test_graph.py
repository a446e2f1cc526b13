from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseroom.engine import Scenario, load_scenario
from caseroom.engine.graph import MAX_LABEL, dot_escape, mermaid_escape, to_dot, to_mermaid

ROOT = Path(__file__).resolve().parents[2]

TINY = """\
id: tiny
version: "1"
title: Tiny
start: first
phases:
  - {id: only, title: 'The "only" phase'}
roles:
  - {id: investigator, title: Investigator}
scenes:
  - id: first
    phase: only
    title: 'Meet the "boss" [at] C:\\office'
    options:
      - id: go
        text: 'Say "hello" and leave'
        goto: second
      - id: stop
        text: Stop here
        end: done
  - id: second
    phase: only
    kind: menu
    title: Second
    actions:
      - id: finish
        text: A very long action label that goes on well beyond forty characters
        goto: end
endings:
  - {id: done, title: Done, outcome: success}
expert_path:
  - do: go
  - do: finish
"""


@pytest.fixture(scope="module")
def night_crossing() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "night-crossing")


@pytest.fixture
def tiny(tmp_path: Path) -> Scenario:
    (tmp_path / "scenario.yaml").write_text(TINY, encoding="utf-8")
    return load_scenario(tmp_path)


def test_dot_names_every_scene_and_ending_of_night_crossing(night_crossing: Scenario) -> None:
    dot = to_dot(night_crossing)
    assert dot.startswith('digraph "night-crossing" {')
    assert dot.rstrip().endswith("}")
    for ident in [*night_crossing.scenes, *night_crossing.endings]:
        assert ident in dot


def test_mermaid_names_every_scene_and_ending_of_night_crossing(night_crossing: Scenario) -> None:
    mermaid = to_mermaid(night_crossing)
    assert mermaid.startswith("flowchart TD\n")
    for ident in [*night_crossing.scenes, *night_crossing.endings]:
        assert ident in mermaid


def test_one_cluster_per_phase_with_its_title(night_crossing: Scenario) -> None:
    dot = to_dot(night_crossing)
    mermaid = to_mermaid(night_crossing)
    assert dot.count("subgraph ") == len(night_crossing.doc.phases)
    for phase in night_crossing.doc.phases:
        assert f'label="{dot_escape(phase.title)}"' in dot
        assert f'["{mermaid_escape(phase.title)}"]' in mermaid


def test_output_is_deterministic(night_crossing: Scenario) -> None:
    again = load_scenario(ROOT / "scenarios" / "night-crossing")
    assert to_dot(night_crossing) == to_dot(night_crossing) == to_dot(again)
    assert to_mermaid(night_crossing) == to_mermaid(again)


def test_dot_escapes_quotes_and_backslashes_in_labels(tiny: Scenario) -> None:
    dot = to_dot(tiny)
    assert 'label="Meet the \\"boss\\" [at] C:\\\\office\\nfirst"' in dot
    assert 'label="Say \\"hello\\" and leave"' in dot
    # every quote inside a label is escaped: quoted strings pair up line by line
    for line in dot.splitlines():
        assert len(re.findall(r'(?<!\\)"', line.replace("\\\\", ""))) % 2 == 0, line


def test_mermaid_escapes_quotes_and_brackets_in_labels(tiny: Scenario) -> None:
    mermaid = to_mermaid(tiny)
    assert "Meet the #quot;boss#quot; #91;at#93; C:\\office<br/>first" in mermaid
    assert '|"Say #quot;hello#quot; and leave"|' in mermaid
    assert "The #quot;only#quot; phase" in mermaid


def test_long_labels_are_truncated(tiny: Scenario) -> None:
    dot = to_dot(tiny)
    label = re.search(r'"action_finish" \[label="([^"]*)"', dot)
    assert label is not None
    assert len(label.group(1)) <= MAX_LABEL
    assert label.group(1).endswith("…")


def test_decision_options_are_edges_and_menu_actions_are_nodes(tiny: Scenario) -> None:
    dot = to_dot(tiny)
    assert '"scene_first" -> "scene_second" [label="Say' in dot
    assert '"scene_first" -> "ending_done" [label="Stop here"' in dot
    assert '"action_finish" [' in dot
    assert '"action_finish" -> "END_CHOICE"' in dot
    assert "shape=hexagon" in dot  # the decision scene
    assert "shape=doubleoctagon" in dot  # a success ending


def test_the_expert_path_is_highlighted(tiny: Scenario) -> None:
    dot = to_dot(tiny)
    edge = next(line for line in dot.splitlines() if '"scene_first" -> "scene_second"' in line)
    assert "penwidth" in edge
    stop = next(line for line in dot.splitlines() if '"scene_first" -> "ending_done"' in line)
    assert "penwidth" not in stop
    mermaid = to_mermaid(tiny)
    assert "scene_first ==>" in mermaid
    assert "class action_finish expert" in mermaid


def test_injects_that_jump_are_dashed_edges(tmp_path: Path) -> None:
    text = (
        TINY
        + """injects:
  - id: raid
    title: Police raid
    at: 2h
    goto: second
"""
    )
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    scenario = load_scenario(tmp_path)
    assert '"inject_raid" -> "scene_second" [style=dashed]' in to_dot(scenario)
    assert "inject_raid -.-> scene_second" in to_mermaid(scenario)


def test_escaping_helpers() -> None:
    assert dot_escape('a "b" \\ c\nd') == 'a \\"b\\" \\\\ c\\nd'
    assert mermaid_escape('say "x" [y] {z} <w>|#') == (
        "say #quot;x#quot; #91;y#93; #123;z#125; #lt;w#gt;#124;#35;"
    )
    assert mermaid_escape("one\ntwo") == "one<br/>two"
