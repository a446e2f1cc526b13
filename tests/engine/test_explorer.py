"""The explorer on small scenarios written out in full: what it finds and how it says so."""

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
    report = explore_scenario(mini).to_dict()
    assert report["complete"] is True
    assert report["reachable_endings"] == ["dismantled", "partial", "closed"]
    assert report["dead_ends"] == []
    assert report["unreachable"] == {
        "scenes": [],
        "actions": [],
        "documents": [],
        "injects": [],
        "endings": [],
    }
    assert report["never_enabled"] == []
    for key in ("scenes", "actions", "documents", "roles", "endings", "states_explored"):
        assert key in report
    assert "seconds" not in report  # the report is the same from run to run
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
    report = explore_scenario(scenario, every_state=True)
    assert report.every_state and report.exhaustive
    assert report.proof == "every state explored"
    assert report.states_explored == 4  # start, prepared, and the two endings
    assert report.reached_endings == {"good", "fallback"}


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
    report = explore_scenario(scenario)
    assert report.exhaustive and report.every_state  # a dead end is only ruled out by searching
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
    # No condition reads the clock or counts coffees: one state however many are drunk.
    report = explore_scenario(scenario, every_state=True)
    assert report.every_state and report.states_explored == 2


def test_a_count_is_kept_only_up_to_the_largest_number_it_is_compared_with(
    tmp_path: Path,
) -> None:
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
          - {id: rested, text: Rested, when: count('coffee') >= 3, effects: {set: {ready: true}}}
          - {id: late, text: Late, when: elapsed() > hours(1)}
          - {id: leave, text: Leave, goto: end}
    """,
    )
    report = explore_scenario(scenario, every_state=True)
    assert report.every_state and report.reached_endings == {"good", "fallback"}
    assert report.taken_actions == {"coffee", "rested", "late", "leave"}
    assert report.states_explored < 80  # coffees counted to 3, the clock to 61 minutes


def test_what_is_outside_the_bound_is_never_reached_without_searching(tmp_path: Path) -> None:
    scenario = tiny(
        tmp_path,
        """\
    scenes:
      - id: first
        phase: only
        title: First
        kind: menu
        actions:
          - {id: wait, text: Wait, once: false, cost: 1h}
          - {id: leave, text: Leave, goto: end}
          - {id: never, text: Never, when: ready and not ready, goto: nowhere}
      - {id: nowhere, phase: only, title: Nowhere, options: [{id: back, text: Back, goto: end}]}
    """,
    )
    report = explore_scenario(scenario, max_states=1)  # no room to search state by state
    assert report.exhaustive and not report.every_state  # by proof
    assert report.unreachable() == {
        "scenes": ["nowhere"],
        "actions": ["never", "back"],
        "documents": [],
        "injects": [],
        "endings": ["good"],
    }
    assert report.never_enabled() == ["never"]
