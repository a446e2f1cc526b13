"""The scenes play can move between: where play can come back to (`reenterable`), and
which scenes can still come after each one (`SceneGraph.reach`), as bit sets over the
strongly connected components, so that a chain of 3,000 scenes costs a few hundred KB.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..scenario import Scenario

__all__ = ["SceneGraph", "reenterable"]


def _edges(scenario: Scenario) -> dict[str, set[str]]:
    """Scene -> the scenes play can go to next; "" stands for "from any scene"."""
    anywhere = ""  # not an id (ids are never empty): stands for "from any scene"
    edges: dict[str, set[str]] = {s: set() for s in scenario.scenes}
    edges[anywhere] = set()
    for action_id, action in scenario.actions.items():
        home = scenario.action_scene[action_id]
        here: list[Any] = [action, *action.outcomes]
        later: list[Any] = []  # decided once approved or answered: wherever play is then
        if action.approval:
            later += [*action.approval.reactions(), *here]
            here = []
        if action.request:
            later += list(action.request.replies)
        if home is None:
            here, later = [], here + later
        edges[home or anywhere] |= {r.goto for r in here if r.goto in scenario.scenes}
        edges[anywhere] |= {r.goto for r in later if r.goto in scenario.scenes}
    edges[anywhere] |= {i.goto for i in scenario.injects.values() if i.goto in scenario.scenes}
    # A track can start from any effects block (`split`): its scene, as if from anywhere.
    for _path, effects in scenario.effects_blocks():
        edges[anywhere] |= {s.to for s in effects.split if s.to in scenario.scenes}
    if edges[anywhere]:
        for scene in scenario.scenes:
            edges[scene].add(anywhere)
    return edges


class SceneGraph:
    """`reach(scene)`: a bit set of the components play can still be in from `scene` (its
    own included); `mask(scenes)`: the bit set of those scenes' components."""

    def __init__(self, scenario: Scenario) -> None:
        edges = _edges(scenario)
        self.component: dict[str, int] = {}
        self.cyclic: set[int] = set()  # components play can come back to
        reach: list[int] = []
        # Tarjan's algorithm emits a component after every component it leads to.
        for index, members in enumerate(_components(edges)):
            bits = 1 << index
            for member in members:
                self.component[member] = index
            if len(members) > 1 or any(m in edges[m] for m in members):
                self.cyclic.add(index)
            for member in members:
                for target in edges[member]:
                    other = self.component.get(target)
                    if other is not None and other != index:
                        bits |= reach[other]
            reach.append(bits)
        self._reach = reach

    def returns(self, scene: str) -> bool:
        """Whether play can come back to the scene after leaving it."""
        return self.component[scene] in self.cyclic

    def reach(self, scene: str) -> int:
        return self._reach[self.component[scene]]

    def mask(self, scenes: Any) -> int:
        bits = 0
        for scene in scenes:
            bits |= 1 << self.component[scene]
        return bits


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
            reactions += action.approval.reactions()
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
