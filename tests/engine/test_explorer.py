from __future__ import annotations

import textwrap
from pathlib import Path

from caseroom.engine import Scenario, explore_scenario, load_scenario

BASE = """\
id: tiny
version: "1"
title: Tiny
start: first
phases: [{id: only, title: Only}]
roles: [{id: police, title: Police}]
variables:
  ready: {type: bool, default: false}
endings:
  - {id: good, title: Good, when: ready}
  - {id: fallback, title: Fallback}
"""


def tiny(tmp_path: Path, scenes: str) -> Scenario:
    (tmp_path / "scenario.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "scenes.yaml").write_text(textwrap.dedent(scenes), encoding="utf-8")
    return load_scenario(tmp_path)


def test_the_mini_scenario_reaches_every_ending_without_dead_ends(mini: Scenario) -> None:
    report = explore_scenario(mini, max_states=3000, playthroughs=200).to_dict()
    assert report["reachable_endings"] == ["dismantled", "partial", "closed"]
    assert report["dead_ends"] == []
    assert report["unreachable"] == {
        "scenes": [],
        "actions": [],
        "documents": [],
        "injects": [],
        "endings": [],
    }
    assert report["states_explored"] == 3000 and report["exhaustive"] is False
    assert report["paths_sampled"] == 200
    for key in ("scenes", "actions", "documents", "roles", "endings", "max_depth", "seconds"):
        assert key in report
    # A path to each ending is kept, so an author can see how it is reached.
    assert report["ending_paths"]["dismantled"][0] == {
        "type": "act",
        "role": "police-rs",
        "ref": "treat-as-victim",
    }


def test_a_small_space_is_explored_exhaustively(tmp_path: Path) -> None:
    scenario = tiny(
        tmp_path,
        """\
    scenes:
      - id: first
        phase: only
        title: First
        kind: menu
        actions:
          - {id: prepare, text: Prepare, effects: {set: {ready: true}}}
          - {id: leave, text: Leave, goto: end}
    """,
    )
    report = explore_scenario(scenario, playthroughs=0)
    assert report.exhaustive
    assert report.states_explored == 4  # start, prepared, and the two endings
    assert set(report.reached_endings) == {"good", "fallback"}


def test_a_dead_end_is_found_with_the_path_to_it(tmp_path: Path) -> None:
    scenario = tiny(
        tmp_path,
        """\
    scenes:
      - id: first
        phase: only
        title: First
        options:
          - {id: wander, text: Wander off, goto: limbo}
          - {id: finish, text: Finish, goto: end}
      - id: limbo
        phase: only
        title: Limbo
        kind: menu
        actions:
          - {id: escape, text: Escape, when: ready, goto: end}
    """,
    )
    report = explore_scenario(scenario, playthroughs=10)
    assert report.dead_ends[0]["scene"] == "limbo"
    assert report.dead_ends[0]["path"] == [{"type": "act", "role": "police", "ref": "wander"}]
    assert report.never_enabled() == ["escape"]
    assert "good" not in report.reached_endings


def test_repeatable_actions_do_not_make_the_search_endless(tmp_path: Path) -> None:
    scenario = tiny(
        tmp_path,
        """\
    scenes:
      - id: first
        phase: only
        title: First
        kind: menu
        actions:
          - {id: coffee, text: Coffee, once: false, cost: 10m}
          - {id: leave, text: Leave, goto: end}
    """,
    )
    report = explore_scenario(scenario, playthroughs=0)
    assert report.exhaustive and report.states_explored < 10
