"""What an exploration found: `ExploreReport`, the same for the same scenario, always.

Everything in `to_dict()` follows from the scenario and the budgets alone: lists are in the
scenario's order, paths are the first found by a breadth-first search whose order of moves
is fixed, and the time taken is kept out (`seconds` is on the object, for benchmarks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..scenario import Scenario
from .bounds import Bounds

__all__ = ["ExploreReport", "Sample"]

Move = tuple[str, str | None, str | None, Any]


@dataclass
class Sample:
    """Seeded random playthroughs: how often each ending closed them (balance, not reach)."""

    playthroughs: int = 0
    seed: int = 1
    ending_counts: dict[str, int] = field(default_factory=dict)
    unfinished: int = 0  # playthroughs that met no ending within their length or budget


@dataclass
class ExploreReport:
    scenario: Scenario
    states_explored: int = 0
    every_state: bool = False  # every distinct state was explored (search.py)
    # The reached sets are the reachable sets: by `every_state`, or because everything was
    # reached and no scene can be a dead end (`proof` says which). Nothing play can reach
    # is then left undecided, which is what `exhaustive` reports.
    complete: bool = False
    proof: str | None = None
    max_depth: int = 0
    seconds: float = 0.0  # not in to_dict(): it differs from run to run
    moves: int = 0  # options checked and events played
    stopped: str | None = None  # the budget that ended the exploration early, if one did
    # With every_state asked: the budget that stopped that search (the proof may still
    # have decided everything).
    every_state_stopped: str | None = None
    # What a stopped search left out: states queued and the scenes they were in, and the
    # actions whose answers could not all be tried.
    not_covered: dict[str, Any] = field(default_factory=dict)
    reached_scenes: set[str] = field(default_factory=set)
    taken_actions: set[str] = field(default_factory=set)
    enabled_actions: set[str] = field(default_factory=set)
    offered_actions: set[str] = field(default_factory=set)
    unlocked_documents: set[str] = field(default_factory=set)
    fired_injects: set[str] = field(default_factory=set)
    reached_endings: set[str] = field(default_factory=set)
    dead_ends: list[dict[str, Any]] = field(default_factory=list)
    ending_paths: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sample: Sample | None = None
    # What may be reached at most (bounds.py): what is outside can never be reached.
    may_reach: dict[str, set[str]] = field(default_factory=dict)
    may_enable: set[str] = field(default_factory=set)

    @property
    def exhaustive(self) -> bool:
        """Every scene, action, document, inject, ending and dead end decided: by proof or
        by the search of every state (`proof` says which), never by chance."""
        return self.complete

    def bound(self, bounds: Bounds) -> None:
        self.may_reach = {
            "scenes": bounds.scenes,
            "actions": bounds.completed,
            "documents": bounds.documents,
            "injects": bounds.injects,
            "endings": bounds.endings,
        }
        self.may_enable = bounds.enabled

    def reached(self) -> dict[str, set[str]]:
        return {
            "scenes": self.reached_scenes,
            "actions": self.taken_actions,
            "documents": self.unlocked_documents,
            "injects": self.fired_injects,
            "endings": self.reached_endings,
        }

    def offered(self) -> list[str]:
        """Actions offered in a scene that was reached, in the scenario's order."""
        sc = self.scenario
        offered = {a for s in self.reached_scenes for a in sc.globals_in(s)}
        return [
            a
            for a, scene in sc.action_scene.items()
            if scene in self.reached_scenes or (scene is None and a in offered)
        ]

    def undecided(self) -> dict[str, list[str]]:
        """What may be reached but was not (yet): only a complete search can tell."""
        sc = self.scenario
        order: dict[str, Mapping[str, Any]] = {
            "scenes": sc.scenes,
            "actions": sc.actions,
            "documents": sc.documents,
            "injects": sc.injects,
            "endings": sc.endings,
        }
        reached = self.reached()
        found = {
            kind: [
                i
                for i in order[kind]
                if i in self.may_reach.get(kind, ()) and i not in reached[kind]
            ]
            for kind in order
        }
        offered = set(self.offered())  # once: the search asks this after every new fact
        found["enabled"] = [
            a
            for a in sc.actions
            if a in self.may_enable
            and a in offered
            and a not in self.enabled_actions
            and a not in self.taken_actions
        ]
        return {k: v for k, v in found.items() if v}

    def decided(self) -> bool:
        return not self.undecided()

    @property
    def paths_sampled(self) -> int:
        return self.sample.playthroughs if self.sample is not None else 0

    def unreachable(self) -> dict[str, list[str]]:
        """Not reached: exactly what cannot be reached once the report is complete."""
        sc = self.scenario
        return {
            "scenes": [s for s in sc.scenes if s not in self.reached_scenes],
            "actions": [a for a in sc.actions if a not in self.taken_actions],
            "documents": [d for d in sc.documents if d not in self.unlocked_documents],
            "injects": [i for i in sc.injects if i not in self.fired_injects],
            "endings": [e for e in sc.endings if e not in self.reached_endings],
        }

    def never_enabled(self) -> list[str]:
        """Actions offered in reached scenes whose condition never held."""
        offered = set(self.offered())
        return [
            a
            for a in self.scenario.actions
            if a in offered
            and a not in self.enabled_actions
            and a not in self.taken_actions  # taken by the expert path: it was enabled
        ]

    def proven_unreachable(self) -> dict[str, list[str]]:
        """What can never be reached, complete or not: outside the upper bound."""
        if self.complete:
            return self.unreachable()
        return {
            kind: [i for i in ids if i not in self.may_reach.get(kind, ())]
            for kind, ids in self.unreachable().items()
        }

    def proven_never_enabled(self) -> list[str]:
        if self.complete:
            return self.never_enabled()
        return [a for a in self.never_enabled() if a not in self.may_enable]

    def to_dict(self) -> dict[str, Any]:
        sc = self.scenario
        data: dict[str, Any] = {
            "scenario": sc.id,
            "version": sc.version,
            "scenes": len(sc.scenes),
            "actions": len(sc.actions),
            "decision_points": sc.decision_points(),
            "documents": len(sc.documents),
            "injects": len(sc.injects),
            "roles": len(sc.roles),
            "endings": list(sc.endings),
            "complete": self.complete,
            "proof": self.proof,
            "exhaustive": self.exhaustive,
            "every_state": self.every_state,
            "every_state_stopped": self.every_state_stopped,
            "stopped": self.stopped,
            "not_covered": self.not_covered,
            "reachable_endings": [e for e in sc.endings if e in self.reached_endings],
            "ending_paths": {e: self.ending_paths[e] for e in sc.endings if e in self.ending_paths},
            "dead_ends": self.dead_ends,
            "unreachable": self.unreachable(),
            "never_enabled": self.never_enabled(),
            "states_explored": self.states_explored,
            "max_depth": self.max_depth,
            "moves": self.moves,
        }
        if self.sample is not None:
            data["sample"] = {
                "playthroughs": self.sample.playthroughs,
                "seed": self.sample.seed,
                "ending_counts": {e: self.sample.ending_counts.get(e, 0) for e in sc.endings},
                "unfinished": self.sample.unfinished,
            }
        return data


def describe(path: tuple[Move, ...]) -> list[dict[str, Any]]:
    return [
        {
            k: v
            for k, v in (("type", t), ("role", r), ("ref", ref), ("input", answer))
            if v is not None
        }
        for t, r, ref, answer in path
    ]
