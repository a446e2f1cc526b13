"""Reaching everything reachable quickly: a search that keeps only states that are new in
some way, and the proof that no scene can be a dead end.

The search of every state (`search.py`) proves what cannot be reached; when everything *is*
reached, there is nothing left for it to prove. Reached sets only grow, so once every
scene, action, document, inject and ending has been reached on some path, no search can
find more, and the report is complete without visiting every state. This search gets
there first: breadth-first, it keeps a state only if it makes some fact true for the first
time — a scene, action, document, inject or ending reached, or a variable holding a value
in a scene (width-1 novelty, as in planners' IW(1)). It is deterministic and visits at
most one state per fact.

A dead end needs the opposite proof, that no reachable state lacks a move. `dead_end_free`
finds the scenes where one cannot happen whatever the state: those offering an action
without a condition that can always be taken again, or that always leaves the scene
(approved, refused or not).
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable
from typing import Any

from ..expressions import Compiled, VarInfo, compile_expression
from ..scenario import END, Scenario
from ..session import Event, State
from .bounds import Bounds
from .report import Move
from .scenegraph import SceneGraph

__all__ = ["cover", "dead_end_free"]

Path = tuple[Move, ...]


def _facts(state: State) -> set[Any]:
    """Width-1 facts: each scene reached, and in each scene each action taken, document
    unlocked, inject fired, variable's value and request pending."""
    scene = state.scene
    facts: set[Any] = {("ending", state.ending)} if state.ending is not None else set()
    facts.update(("scene", s) for s in state.visited)
    # Per scene: an action taken earlier that a later scene's condition asks about.
    facts.update(("action", scene, a) for a in state.taken)
    facts.update(("document", scene, d) for d in state.unlocked)
    facts.update(("inject", scene, i) for i in state.fired)
    facts.update(("var", scene, n, v) for n, v in state.vars.items())
    for role, values in state.role_vars.items():
        facts.update(("role-var", scene, role, n, v) for n, v in values.items())
    facts.update(("pending", scene, p.action) for p in state.pending)
    facts.update(("scheduled", scene, i) for i in state.scheduled)
    return facts


def cover(
    explorer: Any,
    initial: State,
    spent: Callable[[], bool],
    saturated: Callable[[], bool],
    expert: list[Event],
) -> None:
    """Search novel states by single facts, then variations of the expert path, then novel
    states by which parts of each ending's condition hold in each scene, until everything
    is reached or the budget is spent."""
    parts = _ending_parts(explorer.scenario)

    def with_endings(state: State) -> set[Any]:
        facts = _facts(state)
        if state.scene is not None:
            for ending_id, conjuncts in parts:
                truth = tuple(bool(c.fn(state, None, None)) for c in conjuncts)
                facts.add(("ending-parts", state.scene, ending_id, truth))
        return facts

    # Cheapest first: single facts, then the expert path varied, then endings' parts.
    _novel(explorer, initial, _facts, spent, saturated)
    if not (saturated() or spent()):
        _variations(explorer, initial, expert, spent, saturated)
    if not (saturated() or spent()):
        _novel(explorer, initial, with_endings, spent, saturated)
    # Last, the paths found to the other endings, varied in the same way.
    for path in list(explorer.report.ending_paths.values()):
        if saturated() or spent():
            return
        events = [
            Event(m["type"], role=m.get("role"), ref=m.get("ref"), input=m.get("input"))
            for m in path
        ]
        _variations(explorer, initial, [_with_reason(e) for e in events], spent, saturated)


def _with_reason(event: Event) -> Event:
    """A refusal needs a reason; the paths keep moves without one."""
    if event.type == "refuse":
        return Event("refuse", role=event.role, ref=event.ref, reason="explorer")
    return event


def _ending_parts(scenario: Scenario) -> list[tuple[str, list[Compiled]]]:
    """Each ending's condition split at its top-level `and`s, compiled part by part."""
    infos = {
        n: VarInfo(v.type, v.scope, tuple(v.values or ())) for n, v in scenario.variables.items()
    }
    found = []
    for ending_id, condition in scenario.ending_conditions.items():
        if condition is None:
            continue
        tree = ast.parse(condition.source, mode="eval").body
        conjunction = isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And)
        conjuncts = tree.values if isinstance(tree, ast.BoolOp) and conjunction else [tree]
        compiled = [
            compile_expression(ast.unparse(c), infos, role_context=False) for c in conjuncts
        ]
        found.append((ending_id, compiled))
    return found


def _variations(
    explorer: Any,
    initial: State,
    expert: list[Event],
    spent: Callable[[], bool],
    saturated: Callable[[], bool],
) -> None:
    """The expert path with one step left out, replaced or preceded by another move, then
    played on as far as it goes and closed by the first move that leaves each scene.

    Endings are mostly written as the expert path with a mistake in it; a wide search
    reaches each scene with each value, but rarely the mix of values an ending needs.
    """
    states = [initial]
    for event in expert:
        child = explorer.step(states[-1], event)
        if child is None:
            break
        states.append(child)
    played = expert[: len(states) - 1]
    # Every step that writes a variable left out at once: an ending that needs a variable
    # left alone (no accounts seized, little evidence) is the expert path without them.
    for name in explorer.scenario.variables:
        if saturated() or spent():
            return
        writers = _writers(explorer.scenario, name)
        kept = tuple(e for e in played if not (e.type in ("act", "approve") and e.ref in writers))
        if len(kept) < len(played):
            _play_on(explorer, initial, [], kept)
    for index, state in enumerate(states[:-1]):
        if state.ended:
            break
        alternatives = [e for e in explorer.team_moves(state) if e != played[index]]
        after, from_here = tuple(played[index + 1 :]), tuple(played[index:])
        variants = [after]  # the step left out
        variants += [(e, *after) for e in alternatives]  # replaced by another move
        variants += [(e, *from_here) for e in alternatives]  # another move first
        for events in variants:
            if saturated() or spent():
                return
            _play_on(explorer, state, played[:index], events)


def _writers(scenario: Scenario, name: str) -> set[str]:
    """Actions that write the variable and stay in their scene (leaving them out keeps the
    rest of the path playable)."""
    found = set()
    for action_id, action in scenario.actions.items():
        blocks = [action.effects, *(o.effects for o in action.outcomes)]
        if action.approval:
            blocks += [r.effects for r in action.approval.reactions()]
        if action.request:
            blocks += [r.effects for r in action.request.replies]
        for effects in blocks:
            moves_on = action.goto or action.end or any(o.goto or o.end for o in action.outcomes)
            if (
                not moves_on
                and effects is not None
                and name
                in (
                    set(effects.set)
                    | set(effects.add)
                    | set(effects.include)
                    | set(effects.exclude)
                )
            ):
                found.add(action_id)
    return found


def _play_on(explorer: Any, state: State, before: list[Event], events: tuple[Event, ...]) -> None:
    path: list[Move] = [(e.type, e.role, e.ref, e.input) for e in before]
    for event in events:
        child = explorer.step(state, event)
        if child is None:
            continue  # no longer possible: play on without it
        path.append((event.type, event.role, event.ref, event.input))
        state = child
        explorer.observe(state, lambda p=tuple(path): p)
        if state.ended:
            return
    for _ in range(200):  # close each scene: the first move that leaves it, else any move
        if state.ended:
            return
        moves = list(explorer.team_moves(state))
        if not moves:
            return
        chosen = None
        for event in moves:
            child = explorer.step(state, event)
            if child is not None and (child.ended or child.scene != state.scene):
                chosen = (event, child)
                break
        if chosen is None:
            event = moves[-1]
            child = explorer.step(state, event)
            if child is None:
                return
            chosen = (event, child)
        event, state = chosen
        path.append((event.type, event.role, event.ref, event.input))
        explorer.observe(state, lambda p=tuple(path): p)


def _novel(
    explorer: Any,
    initial: State,
    facts_of: Callable[[State], set[Any]],
    spent: Callable[[], bool],
    saturated: Callable[[], bool],
) -> None:
    seen_facts = facts_of(initial)
    parents: dict[Any, tuple[Any, Move] | None] = {}
    root = explorer.key(initial)
    parents[root] = None

    def path_to(key: Any) -> Path:
        moves = []
        while (link := parents[key]) is not None:
            key, move = link
            moves.append(move)
        return tuple(reversed(moves))

    queue: deque[tuple[State, Any]] = deque([(initial, root)])
    while queue and not saturated():
        if spent():
            return
        state, key = queue.popleft()
        explorer.report.states_explored += 1
        if state.ended:
            continue
        for event in (*explorer.team_moves(state), *explorer.facilitator_moves(state)):
            child = explorer.step(state, event)
            if child is None:
                continue
            move = (event.type, event.role, event.ref, event.input)
            explorer.observe(child, lambda k=key, m=move: (*path_to(k), m))
            facts = facts_of(child)
            if facts <= seen_facts:
                continue
            child_key = explorer.key(child)
            if child_key in parents:
                continue
            seen_facts |= facts
            parents[child_key] = (key, move)
            queue.append((child, child_key))


def dead_end_free(scenario: Scenario, bounds: Bounds) -> set[str]:
    """Scenes in which every state has a move, whatever the variables, clock or history:
    those offering an action whose condition always holds (`bounds`) that can be taken
    again, or that ends the case, or that always leaves a scene play cannot come back to.
    Scenes outside the bound cannot be reached, so they cannot be dead ends either."""
    graph = SceneGraph(scenario)
    safe = {s for s in scenario.scenes if s not in bounds.scenes}
    # With tracks (`split`), the proof is about the team's scene, where the roles never
    # split always are: an action counts only if one of them may take it; and a scene a
    # track may have been in can offer a once-action already taken there.
    stay, on_tracks = _staying_roles(scenario), _track_scenes(scenario)
    if on_tracks:  # a scene only a split leads to is never the team's: no claim to prove
        safe |= set(scenario.scenes) - _goto_targets(scenario)
    for scene in bounds.scenes:
        # A once-action taken before is not offered again.
        returns = graph.returns(scene) or scene in on_tracks
        offered = scenario.scene_actions[scene] + scenario.globals_in(scene)
        for action_id in offered:
            action = scenario.actions[action_id]
            condition = scenario.conditions.get(action_id)
            if (condition is not None and not bounds.always(condition)) or action.roles == []:
                continue
            if not stay.intersection(action.roles if action.roles is not None else stay):
                continue
            if (
                not action.once
                or _always_leaves(scenario, action_id, None)  # ends the case: never taken before
                or (not returns and _always_leaves(scenario, action_id, scene))
            ):
                safe.add(scene)
                break
    return safe


def _staying_roles(scenario: Scenario) -> set[str]:
    """The roles no `split` names: always in the team's scene."""
    split = {r for _p, e in scenario.effects_blocks() for s in e.split for r in s.roles}
    return set(scenario.roles) - split


def _goto_targets(scenario: Scenario) -> set[str]:
    """The scenes the team's scene can be: the start, and any written `goto`."""
    found = {scenario.doc.start}
    for action in scenario.actions.values():
        reactions: list[Any] = [action, *action.outcomes]
        reactions += action.approval.reactions() if action.approval else []
        reactions += action.request.replies if action.request else []
        found |= {r.goto for r in reactions if r.goto is not None}
    found |= {i.goto for i in scenario.injects.values() if i.goto is not None}
    return found


def _track_scenes(scenario: Scenario) -> set[str]:
    """Every scene a track may be in: from each split's scene, by the gotos of the actions
    offered there, and of every reaction decided later (an approval, a reply, an
    authority's decision), which moves the asker's track wherever it asked from."""
    starts = {s.to for _p, e in scenario.effects_blocks() for s in e.split}
    if not starts:
        return set()
    later: set[str] = set()
    for action in scenario.actions.values():
        reactions = [*(action.approval.reactions() if action.approval else ())]
        reactions += action.request.replies if action.request else []
        later |= {r.goto for r in reactions if r.goto in scenario.scenes}
    found = set(starts | later)
    queue = list(found)
    while queue:
        scene = queue.pop()
        for action_id in scenario.scene_actions[scene] + scenario.globals_in(scene):
            action = scenario.actions[action_id]
            for goto in (action.goto, *(o.goto for o in action.outcomes)):
                if goto is not None and goto in scenario.scenes and goto not in found:
                    found.add(goto)
                    queue.append(goto)
    return found


def _always_leaves(scenario: Scenario, action_id: str, scene: str | None) -> bool:
    """Whether completing the action always moves play to another scene or an ending
    (with `scene` None: always ends the case)."""
    action = scenario.actions[action_id]

    def leaves(goto: str | None, end: str | None) -> bool:
        if end is not None or goto == END:
            return True
        return goto is not None and scene is not None and goto != scene

    fallback = leaves(action.goto, action.end)
    for outcome in action.outcomes:
        if outcome.goto is not None or outcome.end is not None:
            if not leaves(outcome.goto, outcome.end):
                return False
        elif not fallback:
            return False
    conditions = scenario.outcome_conditions[action_id]
    unconditional = any(c is None for c in conditions)
    return fallback or (bool(action.outcomes) and unconditional)
