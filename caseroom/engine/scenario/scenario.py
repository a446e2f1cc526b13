"""A loaded scenario: the validated model, its indexes, and its conditions compiled."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clockwatch import ClockWatch
from ..diagnostics import Diagnostic, Location
from ..expressions import Compiled
from ..model import (
    Action,
    Authority,
    Document,
    Effects,
    Ending,
    Inject,
    Role,
    ScenarioDocument,
    Scene,
    Variable,
)
from ..yamlsource import Path_, Source

__all__ = ["END", "Scenario"]

END = "end"  # `goto: end` ends the case with the first ending whose condition holds


@dataclass
class Scenario:
    """Everything the session, validator and explorer need, looked up by id."""

    doc: ScenarioDocument
    source: Source
    roles: dict[str, Role]
    authorities: dict[str, Authority]
    scenes: dict[str, Scene]
    actions: dict[str, Action]
    action_scene: dict[str, str | None]
    scene_actions: dict[str, tuple[str, ...]]
    global_actions: tuple[str, ...]
    documents: dict[str, Document]
    injects: dict[str, Inject]
    endings: dict[str, Ending]
    variables: dict[str, Variable]
    phase_order: dict[str, int]
    conditions: dict[str, Compiled] = field(default_factory=dict)
    outcome_conditions: dict[str, tuple[Compiled | None, ...]] = field(default_factory=dict)
    reply_conditions: dict[str, tuple[Compiled | None, ...]] = field(default_factory=dict)
    # Per action with an approval chain: per `then` step, its answers' conditions.
    decision_conditions: dict[str, tuple[tuple[Compiled | None, ...], ...]] = field(
        default_factory=dict
    )
    ending_conditions: dict[str, Compiled | None] = field(default_factory=dict)
    timed_injects: tuple[tuple[int, str], ...] = ()
    conditional_injects: tuple[str, ...] = ()
    # Injects with a `delay` (id -> minutes), and the file order of all injects, by which
    # two consequences due at the same minute are settled.
    delayed_injects: dict[str, int] = field(default_factory=dict)
    inject_rank: dict[str, int] = field(default_factory=dict)
    # The conditional injects whose condition reads the clock: when it can become true
    # while a team waits (`clockwatch`).
    clock_watches: dict[str, ClockWatch] = field(default_factory=dict)
    paths: dict[str, Path_] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def version(self) -> str:
        return self.doc.version

    @property
    def root(self) -> Path:
        return self.source.root

    def locate(self, ident: str, *sub: str | int) -> Location:
        """Where the element with this id (and optionally one of its keys) was written."""
        return self.source.locate((*self.paths.get(ident, ()), *sub))

    def globals_in(self, scene_id: str) -> tuple[str, ...]:
        """The global actions offered in a scene, in file order: by their `scenes` or
        `phases` (a list or a range), or everywhere. Every reader of where a global action
        is offered asks here (the session, the explorer's bound, relevance and cover)."""
        offered: dict[str, tuple[str, ...]] | None = self.cache.get("globals_in")
        if offered is None:
            order = list(self.phase_order)
            offered = self.cache["globals_in"] = {
                scene.id: tuple(
                    a for a in self.global_actions if self.actions[a].offered_in(scene, order)
                )
                for scene in self.scenes.values()
            }
        return offered[scene_id]

    def effects_blocks(self) -> list[tuple[Path_, Effects]]:
        """Every `effects` block of the scenario with the path where it was written."""
        cached: list[tuple[Path_, Effects]] | None = self.cache.get("effects_blocks")
        if cached is not None:
            return cached
        found: list[tuple[Path_, Effects]] = []
        for path_id, action in self.actions.items():
            base = self.paths[path_id]
            if action.effects:
                found.append(((*base, "effects"), action.effects))
            for index, outcome in enumerate(action.outcomes):
                if outcome.effects:
                    found.append(((*base, "outcomes", index, "effects"), outcome.effects))
            if action.approval:
                for verb in ("approve", "refuse"):
                    reaction = getattr(action.approval, verb)
                    if reaction.effects:
                        found.append(((*base, "approval", verb, "effects"), reaction.effects))
                for number, step in enumerate(action.approval.then):
                    for index, answer in enumerate(step.answers):
                        if answer.effects:
                            where = ("approval", "then", number, "answers", index, "effects")
                            found.append(((*base, *where), answer.effects))
            if action.request:
                for index, reply in enumerate(action.request.replies):
                    if reply.effects:
                        at = ("request", "replies", index, "effects")
                        found.append(((*base, *at), reply.effects))
        for scene in self.scenes.values():
            if scene.on_enter:
                found.append(((*self.paths[scene.id], "on_enter"), scene.on_enter))
        for inject in self.injects.values():
            if inject.effects:
                found.append(((*self.paths[inject.id], "effects"), inject.effects))
        self.cache["effects_blocks"] = found
        return found

    @property
    def uses_tracks(self) -> bool:
        """Whether any effect sends roles to a track (`split`): without one, every role is
        always in the team's scene, and the explorer's proofs by scene hold."""
        return any(effects.split for _path, effects in self.effects_blocks())

    def decision_points(self) -> int:
        """Decision scenes plus menu and global actions: what the team decides on."""
        decisions = sum(1 for s in self.scenes.values() if s.kind == "decision")
        menu_actions = sum(len(s.actions) for s in self.scenes.values() if s.kind == "menu")
        return decisions + menu_actions + len(self.global_actions)
