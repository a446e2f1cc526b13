"""Case time: delayed injects (`when` + `delay`), and what happens on the way through a wait
(rules 2), with rules 1 kept for logs recorded before rules had versions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseroom.engine import (
    ReplayError,
    ScenarioError,
    Session,
    explore_scenario,
    load_scenario,
    what_if,
)
from caseroom.engine.clockwatch import clock_watch, earliest
from caseroom.engine.expressions import VarInfo, compile_expression
from caseroom.engine.graph import to_mermaid
from caseroom.engine.model import json_schema
from caseroom.engine.session import RULES
from caseroom.engine.validator import check_scenario
from tests.engine.test_explorer_soundness import scenarios, write

BASE: dict[str, Any] = {
    "id": "timing",
    "version": "1",
    "title": "Timing",
    "start": "office",
    "phases": [{"id": "p", "title": "P"}],
    "roles": [{"id": "police", "title": "Police"}, {"id": "abroad", "title": "Abroad"}],
    "variables": {
        "alerted": {"type": "bool"},
        "moved": {"type": "bool"},
        "deadline": {"type": "int", "min": 0, "max": 100, "default": 5},
    },
    "documents": [{"id": "doc-reply", "title": "Reply"}],
    "injects": [],
    "scenes": [
        {
            "id": "office",
            "phase": "p",
            "title": "Office",
            "kind": "menu",
            "actions": [
                {
                    "id": "ask",
                    "text": "Ask abroad.",
                    "roles": ["police"],
                    "cost": 60,
                    "request": {
                        "to": "abroad",
                        "delay": "10h",
                        "replies": [{"message": "Here.", "effects": {"unlock": ["doc-reply"]}}],
                    },
                },
                {
                    "id": "alert",
                    "text": "Call the employer.",
                    "roles": ["police"],
                    "effects": {"set": {"alerted": True}},
                },
                {"id": "work", "text": "Work an hour.", "cost": 60, "once": False},
                {
                    "id": "later",
                    "text": "Set the deadline later.",
                    "effects": {"add": {"deadline": 2}},
                },
                {"id": "close", "text": "Close.", "goto": "end"},
            ],
        }
    ],
    "endings": [
        {"id": "moved", "title": "Moved", "when": "moved"},
        {"id": "closed", "title": "Closed"},
    ],
}


def scenario_with(tmp_path: Path, *injects: dict[str, Any], **top: Any) -> Any:
    document = copy.deepcopy(BASE)
    document["injects"] = list(injects)
    document.update(top)
    folder = tmp_path / f"s{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(json.dumps(document, indent=1), encoding="utf-8")
    return load_scenario(folder)


MOVED = {
    "id": "workers-moved",
    "title": "Workers moved",
    "when": "alerted",
    "delay": "12h",
    "effects": {"set": {"moved": True}},
}


# ---- delays after an event ------------------------------------------------------------


def test_a_delayed_inject_fires_its_delay_after_the_condition_first_held(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, MOVED)
    session = Session(scenario)
    session.act("police", "work")  # 1 h
    session.act("police", "alert")
    assert session.state.scheduled == {"workers-moved": 60 + 720}
    assert "workers-moved" not in session.state.fired
    for _ in range(11):
        session.act("police", "work")
    assert session.state.clock == 720 and "workers-moved" not in session.state.fired
    session.act("police", "work")  # passes 13 h: fires after the action, at its end
    assert session.state.fired == {"workers-moved": 780}
    assert session.state.scheduled == {}
    assert session.state.vars["moved"] is True


def test_a_scheduled_inject_fires_even_if_its_condition_no_longer_holds(tmp_path: Path) -> None:
    undo = {"id": "undo", "text": "Undo.", "effects": {"set": {"alerted": False}}}
    scenes = copy.deepcopy(BASE["scenes"])
    scenes[0]["actions"].append(undo)
    scenario = scenario_with(tmp_path, MOVED, scenes=scenes)
    session = Session(scenario)
    session.act("police", "alert")
    session.act("police", "undo")
    for _ in range(12):
        session.act("police", "work")
    assert session.state.fired == {"workers-moved": 720}


def test_a_delayed_inject_fires_at_its_minute_in_the_middle_of_a_wait(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, {**MOVED, "delay": "5h"})
    session = Session(scenario)
    session.act("police", "alert")  # due at 5 h
    session.act("police", "ask")  # 1 h; the answer at 11 h
    session.wait()
    assert session.state.fired == {"workers-moved": 300}
    assert [(f.kind, f.at) for f in session.state.feed[-3:]] == [
        ("inject", 300),
        ("reply", 660),
        ("document", 660),
    ]


def test_the_facilitator_may_fire_it_earlier_and_it_fires_once(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, MOVED)
    session = Session(scenario)
    session.act("police", "alert")
    session.fire("workers-moved")
    assert session.state.scheduled == {} and session.state.fired == {"workers-moved": 0}
    for _ in range(13):
        session.act("police", "work")
    assert session.state.fired == {"workers-moved": 0}


def test_an_ending_calls_off_what_is_scheduled(tmp_path: Path) -> None:
    session = Session(scenario_with(tmp_path, MOVED))
    session.act("police", "alert")
    session.act("police", "close")
    assert session.outcome == "closed" and session.state.scheduled == {}


def test_two_delayed_injects_due_at_one_minute_fire_in_file_order(tmp_path: Path) -> None:
    first = {"id": "first", "title": "First", "when": "alerted", "delay": "2h"}
    second = {"id": "second", "title": "Second", "when": "done('work')", "delay": "1h"}
    scenario = scenario_with(tmp_path, second, first)  # file order: second, then first
    session = Session(scenario)
    session.act("police", "alert")  # first due at 120
    session.act("police", "work")  # second due at 60 + 60 = 120
    session.act("police", "work")
    session.act("police", "work")
    assert [f.ref for f in session.state.feed if f.kind == "inject"] == ["second", "first"]


def test_scheduled_consequences_replay_exactly(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, MOVED)
    session = Session(scenario)
    session.act("police", "alert")
    session.act("police", "ask")
    session.wait()
    replayed = Session.replay(scenario, [e.to_dict() for e in session.events])
    assert replayed.state.to_dict() == session.state.to_dict()
    assert replayed.state.to_dict()["scheduled"] == {"workers-moved": 720}


def test_delay_needs_a_when_and_is_reported_where_written(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_with(tmp_path, {"id": "j", "title": "J", "at": 60, "delay": "2h"})
    (problem,) = caught.value.diagnostics
    assert problem.code == "conflict" and "'delay' counts from the moment" in problem.message
    assert problem.location.line > 1 and "scenario.yaml" in str(problem)


def test_delay_out_of_bounds_and_unknown_ids_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_with(tmp_path, {"id": "j", "title": "J", "when": "alerted", "delay": "3661d"})
    assert "a duration is at most 3660d" in str(caught.value.diagnostics[0])
    with pytest.raises(ScenarioError) as caught:
        scenario_with(tmp_path, {"id": "j", "title": "J", "when": "done('alret')", "delay": "2h"})
    assert "unknown action 'alret' (did you mean 'alert'?)" in str(caught.value.diagnostics[0])


def test_a_zero_delay_is_flagged(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, {**MOVED, "delay": 0})
    assert [d.code for d in scenario.warnings] == ["zero-delay"]


def test_a_delay_longer_than_the_case_can_last_is_proven_unreachable(tmp_path: Path) -> None:
    scenes = copy.deepcopy(BASE["scenes"])
    scenes[0]["actions"] = [a for a in scenes[0]["actions"] if a["id"] != "work"]
    scenario = scenario_with(tmp_path, {**MOVED, "delay": "3d"}, scenes=scenes)
    found = [str(d) for d in check_scenario(scenario)]
    assert any("inject 'workers-moved' can never be reached" in f for f in found)
    assert any("ending 'moved' can never be reached" in f for f in found)


def test_the_explorer_reaches_what_only_a_delay_causes(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, MOVED)
    for exhaustive in (False, True):
        report = explore_scenario(scenario, every_state=exhaustive)
        assert report.complete
        assert "workers-moved" in report.fired_injects and "moved" in report.reached_endings


def test_the_schema_and_the_graph_know_delays(tmp_path: Path) -> None:
    inject = json_schema()["$defs"]["Inject"]["properties"]
    assert "delay" in inject and "when" in inject["delay"]["description"]
    scenario = scenario_with(tmp_path, {**MOVED, "goto": "office"})
    assert "12h after alerted" in to_mermaid(scenario)


# ---- what happens while a team waits (rules 2) -----------------------------------------

SUPERVISOR = {
    "id": "supervisor",
    "title": "Supervisor calls",
    "when": "elapsed() > hours(3) and not has('doc-reply')",
}


def test_a_condition_on_the_clock_fires_at_its_minute_in_the_middle_of_a_wait(
    tmp_path: Path,
) -> None:
    session = Session(scenario_with(tmp_path, SUPERVISOR))
    session.act("police", "ask")  # 1 h, answer at 11 h
    session.wait()
    assert session.state.fired == {"supervisor": 181}
    assert session.state.clock == 660 and "doc-reply" in session.state.unlocked
    assert session.events[0].rules == RULES == 2


def test_a_log_from_before_rule_versions_replays_as_it_was_played(tmp_path: Path) -> None:
    """Rules 1: the wait jumped to the answer; the reply came first, so the condition
    never held at a step."""
    scenario = scenario_with(tmp_path, SUPERVISOR)
    old_log = [
        {"type": "act", "role": "police", "ref": "ask", "at": 0},
        {"type": "wait", "at": 60},
    ]
    old = Session.replay(scenario, old_log)
    assert old.rules == 1 and old.state.fired == {} and old.state.clock == 660
    assert "rules" not in old.events[0].to_dict()
    new = Session(scenario)
    new.act("police", "ask")
    new.wait()
    again = Session.replay(scenario, [e.to_dict() for e in new.events])
    assert again.rules == 2 and again.state.to_dict() == new.state.to_dict()


def test_a_log_of_unknown_rules_is_refused(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, SUPERVISOR)
    with pytest.raises(ReplayError, match="rules 99"):
        Session.replay(scenario, [{"type": "act", "role": "police", "ref": "ask", "rules": 99}])


def test_at_the_same_minute_answer_then_timed_then_delayed_then_conditions(
    tmp_path: Path,
) -> None:
    timed = {"id": "timed", "title": "Timed", "at": 660}
    delayed = {"id": "delayed", "title": "Delayed", "when": "done('alert')", "delay": "11h"}
    condition = {"id": "condition", "title": "Condition", "when": "elapsed() >= 660"}
    scenario = scenario_with(tmp_path, condition, delayed, timed)
    session = Session(scenario)
    session.act("police", "alert")
    session.act("police", "ask")  # answer at 660
    session.wait()
    order = [(f.kind, f.ref, f.at) for f in session.state.feed if f.kind in ("reply", "inject")]
    assert order == [
        ("reply", "ask", 660),
        ("inject", "timed", 660),
        ("inject", "delayed", 660),
        ("inject", "condition", 660),
    ]


def test_what_fires_on_the_way_counts_for_the_rest_of_the_wait(tmp_path: Path) -> None:
    alarm = {"id": "alarm", "title": "Alarm", "at": 120, "effects": {"set": {"alerted": True}}}
    scenario = scenario_with(tmp_path, alarm, MOVED)
    session = Session(scenario)
    session.act("police", "ask")  # answer at 11 h
    session.wait()
    assert session.state.fired == {"alarm": 120}
    assert session.state.scheduled == {"workers-moved": 120 + 720}


def test_a_threshold_read_from_a_variable_is_met_at_its_minute(tmp_path: Path) -> None:
    due = {"id": "due", "title": "Due", "when": "elapsed() >= hours(deadline)"}
    session = Session(scenario_with(tmp_path, due))
    session.act("police", "later")  # deadline 7 h
    session.act("police", "ask")
    session.wait()
    assert session.state.fired == {"due": 420}


def test_the_clock_inside_arithmetic_is_flagged_and_checked_at_the_stops(tmp_path: Path) -> None:
    odd = {"id": "odd", "title": "Odd", "when": "elapsed() % 1440 > 300"}
    scenario = scenario_with(tmp_path, odd)
    (warning,) = scenario.warnings
    assert warning.code == "clock-in-arithmetic" and warning.location.line > 1
    session = Session(scenario)
    session.act("police", "ask")
    session.wait()
    assert session.state.fired == {"odd": 660}  # at the end of the wait, not at 5 h 1 min


@pytest.mark.parametrize(
    ("source", "after", "until", "expected"),
    [
        ("elapsed() > 100 and elapsed() < 120", 0, 1000, 101),
        ("elapsed() == 150", 0, 1000, 150),
        ("elapsed() >= days(1)", 0, 1000, None),
        ("elapsed() < 50", 60, 1000, None),
        ("not (elapsed() <= 99.5)", 0, 1000, 100),
        ("30 < elapsed() < 40 or flag", 35, 1000, 36),
        ("elapsed() >= n", 0, 1000, 7),
    ],
)
def test_earliest_finds_the_first_minute_a_condition_holds(
    source: str, after: int, until: int, expected: int | None
) -> None:
    variables = {"flag": VarInfo("bool"), "n": VarInfo("int")}
    condition = compile_expression(source, variables)
    watch = clock_watch(condition, variables)
    assert watch is not None and watch.plain

    class State:
        vars = {"flag": False, "n": 7}
        clock = after

    assert earliest(condition, watch, State(), after, until) == expected  # type: ignore[arg-type]
    assert State.clock == after  # the clock is given back


# ---- random scenarios with delays and clock conditions ------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(document=scenarios(), data=st.data())
def test_random_scenarios_with_delays_validate_play_and_replay_exactly(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any], data: st.DataObject
) -> None:
    """The soundness generator's scenarios have a delayed inject (j3) and conditions that
    hold only for a while (j1): the validator and the explorer finish on them, and random
    play with waits replays to the same state, also in two parts."""
    scenario = write(tmp_path_factory.mktemp("random"), document)
    check_scenario(scenario, max_moves=20_000)
    session = Session(scenario)
    for _ in range(data.draw(st.integers(0, 40))):
        options = session.legal_events(facilitator=True)
        if not options:
            break
        session.apply(data.draw(st.sampled_from(options)))
    logged = [e.to_dict() for e in session.events]
    assert Session.replay(scenario, logged).state.to_dict() == session.state.to_dict()
    cut = data.draw(st.integers(0, len(logged)))
    parts = Session(scenario, logged[:cut])
    parts.extend(logged[cut:])
    assert parts.state.to_dict() == session.state.to_dict()
    if session.events:
        assert session.events[0].rules == RULES


def test_a_what_if_from_the_start_of_an_old_log_plays_by_its_rules(tmp_path: Path) -> None:
    expert = [{"do": "ask"}, {"wait": True}]
    scenario = scenario_with(tmp_path, SUPERVISOR, expert_path=expert)
    old_log = [{"type": "act", "role": "police", "ref": "ask", "at": 0}, {"type": "wait", "at": 60}]
    assert Session.rules_of(old_log) == 1 and Session.rules_of([]) == RULES
    continuation = what_if(scenario, old_log, 0)
    assert [e.type for e in continuation.events] == ["act", "wait"]
    assert continuation.events[0].rules == 1
    replayed = Session.replay(scenario, [e.to_dict() for e in continuation.events])
    assert replayed.rules == 1 and replayed.state.fired == {}  # as the old log played
