"""What of a state can still change the future, so that the search merges equivalent
states: the relevance key, the answers worth trying, the scenes play can come back to,
and the actions whose outcome depends on the acting role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..answers import sample_answers, score_answer
from ..scenario import Scenario
from ..session import State

__all__ = ["Relevance", "distinct_samples", "reads_role_vars", "reenterable"]


class Relevance:
    """Which parts of a state can still change the future, to merge equivalent states.

    Play history matters only where a condition can read it. Which once-actions were taken
    matters while their scene is current, for ever if the scene can be entered again or a
    condition names the action, and never otherwise; visited scenes and unlocked documents
    matter only if a condition asks about them. Equal keys therefore have equal futures.
    """

    def __init__(self, scenario: Scenario) -> None:
        refs: dict[str, set[str]] = {}
        conditions: list[Any] = list(scenario.conditions.values())
        for group in (*scenario.outcome_conditions.values(), *scenario.reply_conditions.values()):
            conditions += [c for c in group if c is not None]
        conditions += [c for c in scenario.ending_conditions.values() if c is not None]
        for condition in conditions:
            for helper, ident, _column in condition.refs:
                refs.setdefault(helper, set()).add(ident)
        self.visited = frozenset(refs.get("visited", ()))
        self.documents = frozenset(refs.get("has", ()))
        named = refs.get("done", set()) | refs.get("count", set()) | refs.get("pending", set())
        reentered = reenterable(scenario)
        self.always = frozenset(
            a
            for a, scene in scenario.action_scene.items()
            if a in named or scene is None or scene in reentered
        )
        # The scene's own actions, kept apart from `always`: a union per scene held
        # scenes x actions entries (460 MB for 3,000 scenes that can all be re-entered).
        self.own = {s: frozenset(ids) for s, ids in scenario.scene_actions.items()}
        self.role_scoped = any(v.scope == "role" for v in scenario.variables.values())
        self.inputs = {a: x.input for a, x in scenario.actions.items() if x.input is not None}
        self.answer_reads = {a: _answer_reads(scenario, a) for a in self.inputs}

    def key(self, state: State) -> Any:
        if state.ending is not None:
            return ("ended", state.ending)  # nothing can happen after an ending
        always, own = self.always, self.own.get(state.scene or "", frozenset())
        # Iterate the taken actions (few) rather than intersect with the relevant ones (every
        # global action): `dict_keys & frozenset` walks the frozenset, 300 lookups per state.
        taken = frozenset(
            item for item in state.taken.items() if item[0] in always or item[0] in own
        )
        return (
            state.scene,
            state.clock,
            state.ending,
            tuple(state.vars.values()),  # same names in the same order in every state
            tuple(tuple(d.values()) for d in state.role_vars.values()) if self.role_scoped else (),
            self.visited.intersection(state.visited),
            self.documents.intersection(state.unlocked),
            taken,
            frozenset(state.fired),
            tuple(
                (p.kind, p.action, p.role, p.to, p.due, self.signature(p.action, p.answer))
                for p in state.pending
            ),
        )

    def signature(self, action_id: str, answer: Any) -> Any:
        """What of an answer its outcomes and replies can tell apart."""
        reads = self.answer_reads.get(action_id)
        if reads is None:
            return None
        scored = score_answer(self.inputs[action_id], answer)
        uses_score, uses_value, items = reads
        return (
            scored.score if uses_score else None,
            scored.value if uses_value else None,
            scored.picked & items,
        )


_SCORE = re.compile(r"\bscore\s*\(")
_VALUE = re.compile(r"\bvalue\s*\(")


def _answer_reads(scenario: Scenario, action_id: str) -> tuple[bool, bool, frozenset[str]]:
    """Whether the action's outcomes and replies read score(), value(), and which items."""
    conditions = [
        c
        for c in (*scenario.outcome_conditions[action_id], *scenario.reply_conditions[action_id])
        if c is not None
    ]
    return (
        any(_SCORE.search(c.source) for c in conditions),
        any(_VALUE.search(c.source) for c in conditions),
        frozenset(ident for c in conditions for helper, ident, _ in c.refs if helper == "picked"),
    )


def distinct_samples(scenario: Scenario, action_id: str) -> list[Any]:
    """Sample answers that can lead to different results; one per distinct signature."""
    action = scenario.actions[action_id]
    if action.input is None:
        return [None]
    uses_score, uses_value, items = _answer_reads(scenario, action_id)
    chosen: dict[Any, Any] = {}
    for answer in sample_answers(action):
        scored = score_answer(action.input, answer)
        signature = (
            scored.score if uses_score else None,
            scored.value if uses_value else None,
            scored.picked & items,
        )
        chosen.setdefault(signature, answer)
    return list(chosen.values())


def reenterable(scenario: Scenario) -> set[str]:
    """Scenes that play can come back to (on a cycle of gotos, or a target of an inject).

    A scene is on a cycle when its strongly connected component has another member or it
    leads to itself. Global actions lead from every scene, so they go through one extra
    node instead of an edge from each scene to each target: searching from every scene
    took 14 s for a chain of 3,000 scenes.
    """
    anywhere = ""  # not an id (ids are never empty): stands for "from any scene"
    edges: dict[str, set[str]] = {s: set() for s in scenario.scenes}
    edges[anywhere] = set()
    for action_id, action in scenario.actions.items():
        reactions: list[Any] = [action, *action.outcomes]
        if action.approval:
            reactions += [action.approval.approve, action.approval.refuse]
        if action.request:
            reactions += list(action.request.replies)
        targets = {r.goto for r in reactions if r.goto and r.goto in scenario.scenes}
        home = scenario.action_scene[action_id]
        edges[anywhere if home is None else home] |= targets
    if edges[anywhere]:
        for scene in scenario.scenes:
            edges[scene].add(anywhere)
    result = {i.goto for i in scenario.injects.values() if i.goto}
    for component in _components(edges):
        if len(component) > 1 or any(node in edges[node] for node in component):
            result |= component
    return {s for s in result if s in scenario.scenes}


def _components(edges: dict[str, set[str]]) -> Iterator[set[str]]:
    """Strongly connected components (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                yield component


def reads_role_vars(scenario: Scenario, action_id: str) -> bool:
    role_vars = {n for n, v in scenario.variables.items() if v.scope == "role"}
    if not role_vars:
        return False
    condition = scenario.conditions.get(action_id)
    if condition is not None and condition.reads & role_vars:
        return True
    return any(
        c is not None and c.reads & role_vars for c in scenario.outcome_conditions[action_id]
    )
