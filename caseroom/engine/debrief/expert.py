"""The expert path indexed for the debrief: the expert's choice at each decision point, on
each approval, with the answer given and the rationale, built once per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..scenario import Scenario
from .records import Record

__all__ = [
    "GLOBAL_POINT",
    "ExpertIndex",
    "ExpertMove",
    "decision_point",
    "expert_choices",
    "expert_moves",
    "point_kinds",
]

# Global actions are offered in many scenes, so they form one decision point of their own;
# `*` is not a valid id, so it never collides with a scene.
GLOBAL_POINT = "*"


@dataclass(frozen=True, slots=True)
class ExpertMove(Record):
    """One step of `expert_path`, with the text key of its rationale (None without one)."""

    index: int
    verb: Literal["do", "approve", "refuse", "wait"]
    ref: str | None
    role: str | None
    answer: Any
    rationale: str | None


@dataclass(frozen=True, slots=True)
class ExpertIndex(Record):
    """The expert path indexed for look-ups while annotating thousands of steps.

    `choices`: decision point (scene id, or GLOBAL_POINT) → the actions the expert takes
    there, in expert order (one option in a decision scene, a set in a menu).
    `decisions`: approval action → the expert's decisions on it ('approve', 'refuse').
    `rationales`: verb ('do', 'approve', 'refuse', 'wait') → action → rationale text keys.
    `on_path_actions`: action → whether taking it follows the expert (None: the expert
    makes no choice at its decision point), precomputed once for speed.
    """

    moves: tuple[ExpertMove, ...]
    choices: Mapping[str, tuple[str, ...]]
    kinds: Mapping[str, str]
    decisions: Mapping[str, tuple[str, ...]]
    answers: Mapping[str, Any]
    rationales: Mapping[str, Mapping[str, tuple[str, ...]]]
    on_path_actions: Mapping[str, bool | None]

    def on_path(self, kind: str, ref: str) -> bool | None:
        """Whether a trajectory step of this kind and ref matches the expert's choice."""
        if kind == "act":
            return self.on_path_actions.get(ref)
        if kind in ("approve", "refuse"):
            decided = self.decisions.get(ref)
            return (kind in decided) if decided else None
        return None

    def rationale_keys(self, verb: str, ref: str) -> tuple[str, ...]:
        return self.rationales.get(verb, {}).get(ref, ())


def decision_point(scenario: Scenario, action_id: str) -> str:
    """The decision point an action belongs to: its scene, or GLOBAL_POINT."""
    return scenario.action_scene.get(action_id) or GLOBAL_POINT


def expert_moves(scenario: Scenario) -> tuple[ExpertMove, ...]:
    moves: list[ExpertMove] = []
    for index, step in enumerate(scenario.doc.expert_path):
        verb: Literal["do", "approve", "refuse", "wait"]
        if step.wait:
            verb, ref = "wait", None
        elif step.approve:
            verb, ref = "approve", step.approve
        elif step.refuse:
            verb, ref = "refuse", step.refuse
        else:
            verb, ref = "do", step.do
        key = f"expert.{index}.rationale" if step.rationale else None
        moves.append(ExpertMove(index, verb, ref, step.role, step.answer, key))
    return tuple(moves)


def point_kinds(scenario: Scenario) -> dict[str, str]:
    kinds: dict[str, str] = {scene_id: scene.kind for scene_id, scene in scenario.scenes.items()}
    if scenario.global_actions:
        kinds[GLOBAL_POINT] = "global"
    return kinds


def expert_choices(scenario: Scenario) -> ExpertIndex:
    """Index the expert path by decision point, approval, answer and rationale.

    Static (no replay): the expert's choice at a point does not depend on how the team
    got there; built once per scenario (kept in its cache: scenarios never change).
    """
    found = scenario.cache.get("expert_index")
    if isinstance(found, ExpertIndex):
        return found
    index = _build_expert_index(scenario)
    scenario.cache["expert_index"] = index
    return index


def _build_expert_index(scenario: Scenario) -> ExpertIndex:
    moves = expert_moves(scenario)
    choices: dict[str, list[str]] = {}
    decisions: dict[str, list[str]] = {}
    answers: dict[str, Any] = {}
    rationales: dict[str, dict[str, list[str]]] = {}
    for move in moves:
        ref = move.ref or ""
        if move.rationale is not None:
            rationales.setdefault(move.verb, {}).setdefault(ref, []).append(move.rationale)
        if move.verb == "do":
            chosen = choices.setdefault(decision_point(scenario, ref), [])
            if ref not in chosen:
                chosen.append(ref)
            if move.answer is not None:
                answers.setdefault(ref, move.answer)
        elif move.verb in ("approve", "refuse") and move.verb not in decisions.get(ref, []):
            decisions.setdefault(ref, []).append(move.verb)
    frozen = {point: tuple(actions) for point, actions in choices.items()}
    on_path: dict[str, bool | None] = {}
    for action_id in scenario.actions:
        chosen_here = frozen.get(decision_point(scenario, action_id))
        on_path[action_id] = None if not chosen_here else action_id in chosen_here
    return ExpertIndex(
        moves=moves,
        choices=frozen,
        kinds=point_kinds(scenario),
        decisions={ref: tuple(v) for ref, v in decisions.items()},
        answers=answers,
        rationales={
            verb: {ref: tuple(keys) for ref, keys in by_ref.items()}
            for verb, by_ref in rationales.items()
        },
        on_path_actions=on_path,
    )
