"""Soundness of the explorer's reductions: on small scenarios, built at random, and on
night-crossing, what it reports equals what a naive breadth-first search of every concrete
state finds.

The naive search merges only states that are equal in everything but history
(`State.key()`), tries every role for every action and every answer an input allows (every
subset of a multi input's items, every order, a grid of numbers), and every approval,
refusal, wait and manual inject. It knows nothing of relevance, bounds or novelty, so when
it finishes, its reached sets are what "reachable" means.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from caseroom.engine import (
    Event,
    ExploreReport,
    IllegalAction,
    Scenario,
    ScenarioError,
    Session,
    explore_scenario,
    load_scenario,
)
from caseroom.engine.session import State

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Reference:
    complete: bool = True
    states: int = 0
    scenes: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    injects: set[str] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    enabled: set[str] = field(default_factory=set)
    dead_end_scenes: set[str] = field(default_factory=set)

    def reached(self) -> dict[str, set[str]]:
        return {
            "scenes": self.scenes,
            "actions": self.actions,
            "documents": self.documents,
            "injects": self.injects,
            "endings": self.endings,
        }


def every_answer(scenario: Scenario, action_id: str) -> list[Any]:
    spec = scenario.actions[action_id].input
    if spec is None:
        return [None]
    ids = [i.id for i in spec.items]
    if spec.type == "multi":
        return [list(c) for r in range(len(ids) + 1) for c in itertools.combinations(ids, r)]
    if spec.type == "order":
        return [list(p) for p in itertools.permutations(ids)]
    if spec.type == "numeric":
        assert spec.answer is not None and spec.tolerance is not None
        low = spec.min if spec.min is not None else spec.answer - 10 * spec.tolerance - 10
        high = spec.max if spec.max is not None else spec.answer + 10 * spec.tolerance + 10
        return sorted({low + (high - low) * k / 40 for k in range(41)})
    return ["free text"]


def naive(scenario: Scenario, max_states: int = 5_000) -> Reference:
    session = Session(scenario)
    ref = Reference()
    manual = [
        i for i, x in scenario.injects.items() if x.manual or (x.at is None and x.when is None)
    ]
    answers = {a: every_answer(scenario, a) for a in scenario.actions}
    initial = session.state

    def observe(state: State) -> None:
        ref.scenes |= set(state.visited)
        ref.actions |= set(state.taken)
        ref.documents |= set(state.unlocked)
        ref.injects |= set(state.fired)
        if state.ending is not None:
            ref.endings.add(state.ending)

    seen = {initial.key()}
    queue = deque([initial])
    observe(initial)
    while queue:
        if len(seen) > max_states:
            ref.complete = False
            break
        state = queue.popleft()
        ref.states += 1
        if state.ended:
            continue
        events: list[Event] = []
        # Every scene someone is in (the team's, and each track's), every role: the rules
        # (`Session.check`) say who may act where.
        scenes = dict.fromkeys(s for s, _roles in session.locations(state))
        for action_id in dict.fromkeys(
            a for s in scenes for a in session.current_actions(state, s)
        ):
            for role in scenario.roles:
                if session.check(role, action_id, state).enabled:
                    ref.enabled.add(action_id)
                    events += [
                        Event("act", role=role, ref=action_id, input=a) for a in answers[action_id]
                    ]
        for pending in state.pending:
            if pending.kind == "approval":
                events.append(Event("approve", role=pending.to, ref=pending.action))
                events.append(Event("refuse", role=pending.to, ref=pending.action, reason="no"))
        if session.can_wait(state):
            events.append(Event("wait"))
        team_moves = len(events)
        events += [Event("inject", ref=i) for i in manual if i not in state.fired]
        moved = False
        for index, event in enumerate(events):
            child = state.copy(history=False)
            try:
                session.transition(child, event, state.seq + 1, record=False)
            except IllegalAction:
                continue
            moved = moved or index < team_moves
            observe(child)
            key = child.key()
            if key not in seen:
                seen.add(key)
                queue.append(child)
        if not moved:
            assert state.scene is not None
            ref.dead_end_scenes.add(state.scene)
    return ref


# ---- random small scenarios ------------------------------------------------------

TEAM_CONDITIONS = [
    "flag",
    "not flag",
    "n >= 2",
    "n < 1",
    "mode == 'b'",
    "mode != 'a' and flag",
    "has('d1')",
    "visited('s1')",
    "elapsed() > 100",
    "elapsed() >= hours(3)",
    "fired('j1')",
    "phase() == 'p1'",
    "'x' in bag",
]
ROLE_CONDITIONS = ["rv < 2", "rv == 1"]
# Conditions that hold for a while only, so that a wait must stop at the right minute.
CLOCK_CONDITIONS = [
    "n >= 2 and elapsed() > 90",
    "not has('d1') and elapsed() > 100 and elapsed() < 250",
    "elapsed() >= hours(n) and not flag",
]
DELAYED_CONDITIONS = [
    "flag",
    "done('s0a0')",
    "fired('j0')",
    "has('d2')",
    "n >= 1",
    *CLOCK_CONDITIONS,
]
ANSWER_CONDITIONS = ["picked('i0')", "score() >= 0.5", "picked('i1') and not picked('i2')"]


@st.composite
def effects(draw: st.DrawFn, role: bool, scenes: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    targets = [s for s in scenes or () if s != "end"]
    if targets and draw(st.integers(0, 4)) == 0:  # a track (format 2)
        to = draw(st.sampled_from(targets))
        found["split"] = [{"roles": [draw(st.sampled_from(["r0", "r1"]))], "to": to}]
    if targets and draw(st.integers(0, 4)) == 0:
        found["join"] = [draw(st.sampled_from(["r0", "r1"]))]
    if draw(st.booleans()):
        found["set"] = draw(
            st.sampled_from([{"flag": True}, {"flag": False}, {"mode": "b"}, {"mode": "c"}])
        )
    if draw(st.booleans()):
        add = {"n": draw(st.sampled_from([1, 2, -1]))}
        if role and draw(st.booleans()):
            add["rv"] = 1
        found["add"] = add
    if draw(st.booleans()):
        found["unlock"] = [draw(st.sampled_from(["d1", "d2"]))]
    if draw(st.integers(0, 5)) == 0:
        found["include"] = {"bag": "x"}
    if draw(st.integers(0, 6)) == 0:
        found["fire"] = ["j2"]
    return found


@st.composite
def actions(draw: st.DrawFn, prefix: str, scenes: list[str], count: int) -> list[dict[str, Any]]:
    found = []
    for index in range(count):
        ident = f"{prefix}{index}"
        action: dict[str, Any] = {"id": ident, "text": ident}
        kind = draw(st.sampled_from(["plain", "plain", "approval", "request", "input"]))
        conditions = TEAM_CONDITIONS + ROLE_CONDITIONS + [f"done('{prefix}0')", "at('s0')"]
        if draw(st.booleans()):
            action["when"] = draw(st.sampled_from(conditions))
        if kind != "approval" and draw(st.integers(0, 4)) == 0:
            action["once"] = False
            bound = f"count('{ident}') < 2"
            action["when"] = f"{action['when']} and {bound}" if "when" in action else bound
        elif kind != "approval":
            action["cost"] = draw(st.sampled_from([0, 30, 60, 120]))
        if draw(st.booleans()):
            action["roles"] = [draw(st.sampled_from(["r0", "r1"]))]
        action["effects"] = draw(effects(role=True, scenes=scenes))
        target = draw(st.sampled_from([None, None, "end", *scenes]))
        if target is not None:
            action["goto"] = target
        if kind == "approval":
            action["approval"] = {
                "role": "r1",
                "approve": {"effects": draw(effects(role=True))},
                "refuse": draw(st.sampled_from([{}, {"goto": scenes[-1]}, {"end": "e0"}])),
            }
            if draw(st.booleans()):  # then an authority nobody plays decides (format 2)
                action["approval"]["then"] = [
                    {
                        "authority": "a0",
                        "delay": draw(st.sampled_from([0, 45, 180])),
                        "answers": [
                            {
                                "when": draw(st.sampled_from(TEAM_CONDITIONS)),
                                "decision": draw(st.sampled_from(["approve", "refuse"])),
                                "effects": draw(effects(role=False)),
                            },
                            {
                                "decision": draw(st.sampled_from(["approve", "refuse"])),
                                "reason": "no",
                                **draw(st.sampled_from([{}, {"goto": scenes[-1]}, {"end": "e1"}])),
                            },
                        ],
                    }
                ]
        elif kind == "request":
            action["request"] = {
                "to": draw(st.sampled_from(["r1", "a0"])),
                "delay": draw(st.sampled_from([30, 90, 200])),
                "replies": [
                    {
                        "when": draw(st.sampled_from(TEAM_CONDITIONS)),
                        "message": "yes",
                        "effects": draw(effects(role=False)),
                    },
                    {"message": "no"},
                ],
            }
        elif kind == "input":
            action["input"] = {
                "type": "multi",
                "items": [{"id": f"i{k}", "text": f"i{k}"} for k in range(3)],
                "correct": ["i0", "i1"],
            }
            action["outcomes"] = [
                {
                    "when": draw(st.sampled_from(ANSWER_CONDITIONS)),
                    "effects": {"set": {"flag": True}},
                },
                {"when": draw(st.sampled_from(TEAM_CONDITIONS)), "goto": scenes[0]},
            ]
        found.append(action)
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    names = [f"s{i}" for i in range(count)]
    scenes = []
    for index, name in enumerate(names):
        later = names[index + 1 :] or ["end"]
        scene: dict[str, Any] = {
            "id": name,
            "phase": "p0" if index == 0 else "p1",
            "title": name,
            "kind": draw(st.sampled_from(["menu", "decision"])),
        }
        listed = draw(actions(f"{name}a", later + names[:1], draw(st.integers(1, 3))))
        if draw(st.integers(0, 4)):  # mostly a way on, as authors write: no dead end here
            listed.append({"id": f"{name}-on", "text": "On", "goto": later[0]})
        scene["options" if scene["kind"] == "decision" else "actions"] = listed
        if draw(st.integers(0, 3)) == 0:
            scene["on_enter"] = {"unlock": ["d2"]}
        scenes.append(scene)
    injects: list[dict[str, Any]] = [
        {
            "id": "j0",
            "title": "j0",
            "at": draw(st.sampled_from([60, 150, 400])),
            "effects": {"unlock": ["d1"]},
        },
        {
            "id": "j1",
            "title": "j1",
            "when": draw(st.sampled_from(TEAM_CONDITIONS[:-4] + CLOCK_CONDITIONS)),
            "effects": {"add": {"n": 1}},
        },
        {"id": "j2", "title": "j2", "manual": True, "effects": {"set": {"mode": "c"}}},
        {  # a consequence some time after an event (format 2)
            "id": "j3",
            "title": "j3",
            "when": draw(st.sampled_from(DELAYED_CONDITIONS)),
            "delay": draw(st.sampled_from([30, 120, 300])),
            "effects": draw(st.sampled_from([{"set": {"mode": "b"}}, {"unlock": ["d2"]}, {}])),
        },
    ]
    if draw(st.integers(0, 3)) == 0:
        injects[3]["end"] = "e1"
    if draw(st.booleans()):
        injects[2]["goto"] = names[-1]
    document: dict[str, Any] = {
        "id": "scenario-x",
        "version": "1",
        "title": "Random",
        "start": "s0",
        "phases": [{"id": "p0", "title": "p0"}, {"id": "p1", "title": "p1"}],
        "roles": [{"id": "r0", "title": "r0"}, {"id": "r1", "title": "r1"}],
        "authorities": [{"id": "a0", "title": "a0"}],
        "variables": {
            "flag": {"type": "bool"},
            "n": {"type": "int", "min": 0, "max": 3},
            "mode": {"type": "enum", "values": ["a", "b", "c"]},
            "bag": {"type": "set", "values": ["x", "y"]},
            "rv": {"type": "int", "min": 0, "max": 2, "scope": "role"},
        },
        "documents": [
            {"id": "d0", "title": "d0", "initial": True},
            {"id": "d1", "title": "d1"},
            {"id": "d2", "title": "d2"},
        ],
        "injects": injects,
        "scenes": scenes,
        "endings": [
            {"id": "e0", "title": "e0", "when": draw(st.sampled_from(TEAM_CONDITIONS))},
            {"id": "e1", "title": "e1", "when": draw(st.sampled_from(TEAM_CONDITIONS))},
            {"id": "e2", "title": "e2"},
        ],
    }
    if draw(st.booleans()):
        document["actions"] = draw(actions("g", names, 1))
        where = [  # where the global action is offered (format 2: scenes, ranges)
            {},
            {"phases": ["p1"]},
            {"phases": {"from": "p1"}},
            {"phases": {"from": "p0", "to": "p0"}},
            {"scenes": names[-1:]},
            {"scenes": names[:2]},
        ]
        document["actions"][0].update(draw(st.sampled_from(where)))
    return document


def write(folder: Path, document: dict[str, Any]) -> Scenario:
    """JSON is YAML 1.2: the generated scenario is written as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    last = document["scenes"][-1]["id"]  # conditions name s1, which may not be there
    text = json.dumps(document, indent=1).replace("visited('s1')", f"visited('{last}')")
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    return load_scenario(folder)


# ---- the properties ----------------------------------------------------------------


def check_against_naive(scenario: Scenario, report: ExploreReport, ref: Reference) -> None:
    """A complete report claims exactly what the naive search finds; any report stays
    within the naive search's reach and its bound contains it."""
    reached = report.reached()
    for kind, found in ref.reached().items():
        assert reached[kind] <= found, kind  # nothing reached that cannot be
        assert found <= report.may_reach[kind], kind  # the bound holds everything reachable
        if report.complete:
            assert reached[kind] == found, kind
    assert ref.enabled <= report.may_enable
    assert report.enabled_actions <= ref.enabled
    if report.complete:
        offered = set(report.offered())
        assert set(report.never_enabled()) == offered - ref.enabled
        # A dead end is reported when there is one; each reported one is real.
        assert {d["scene"] for d in report.dead_ends} <= ref.dead_end_scenes
        assert bool(report.dead_ends) == bool(ref.dead_end_scenes)
    for ending, path in report.ending_paths.items():
        session = Session(scenario)
        for move in path:
            session.apply(
                Event(
                    move["type"],
                    role=move.get("role"),
                    ref=move.get("ref"),
                    input=move.get("input"),
                    reason="why",
                )
            )
        assert session.state.ending == ending


SOUNDNESS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SOUNDNESS
@given(document=scenarios())
def test_the_reduced_exploration_finds_what_a_naive_search_finds(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any]
) -> None:
    try:
        scenario = write(tmp_path_factory.mktemp("random"), document)
    except ScenarioError as error:  # the generator aims at valid files; say what it missed
        raise AssertionError(str(error)) from None
    ref = naive(scenario)
    assume(ref.complete)
    for exhaustive in (False, True):
        report = explore_scenario(scenario, every_state=exhaustive, max_moves=10**7)
        assert report.complete, report.to_dict()
        check_against_naive(scenario, report, ref)


@pytest.mark.parametrize("name", ["night-crossing"])
def test_the_shipped_short_case_matches_the_naive_search(name: str) -> None:
    """196,766 concrete states (about 40 s) against the explorer's 2,843 or fewer."""
    scenario = load_scenario(ROOT / "scenarios" / name)
    ref = naive(scenario, max_states=200_000)
    assert ref.complete
    for exhaustive in (False, True):
        check_against_naive(scenario, explore_scenario(scenario, every_state=exhaustive), ref)
