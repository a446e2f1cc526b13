"""The builder's steps: register every id, check every element, compile the conditions,
and index the result as a `Scenario`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clockwatch import ClockWatch, clock_watch
from ..expressions import Compiled
from ..model import Action
from ..yamlsource import Path_
from .checks import Checks
from .scenario import Scenario

__all__ = ["Builder"]


@dataclass
class _Actions:
    """Every action by id, where it is offered, and where it was written."""

    actions: dict[str, Action] = field(default_factory=dict)
    action_scene: dict[str, str | None] = field(default_factory=dict)
    scene_actions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    paths: list[tuple[Path_, Action, bool]] = field(default_factory=list)  # True: global

    def add(self, path: Path_, action: Action, scene: str | None) -> None:
        self.actions[action.id] = action
        self.action_scene[action.id] = scene
        self.paths.append((path, action, scene is None))


@dataclass
class _Conditions:
    """The compiled conditions, as the session looks them up."""

    when: dict[str, Compiled] = field(default_factory=dict)  # actions and injects
    outcomes: dict[str, tuple[Compiled | None, ...]] = field(default_factory=dict)
    replies: dict[str, tuple[Compiled | None, ...]] = field(default_factory=dict)
    decisions: dict[str, tuple[tuple[Compiled | None, ...], ...]] = field(default_factory=dict)
    endings: dict[str, Compiled | None] = field(default_factory=dict)
    watches: dict[str, ClockWatch] = field(default_factory=dict)  # conditional injects


class Builder(Checks):
    """Checks a validated document in full and indexes it; problems go to `problems`."""

    def build(self) -> Scenario:
        # The order of the steps is the order in which authors read the problems.
        self.register_ids()
        actions = self.collect_actions()
        self.check_variables()
        self.check_scenes()
        conditions = _Conditions()
        self.compile_actions(actions, conditions)
        self.check_documents()
        timed, conditional = self.check_injects(conditions)
        self.compile_endings(conditions)
        self.check_expert_path(actions.actions)
        doc = self.doc
        return Scenario(
            doc=doc,
            source=self.source,
            roles={r.id: r for r in doc.roles},
            authorities={a.id: a for a in doc.authorities},
            scenes={s.id: s for s in doc.scenes},
            actions=actions.actions,
            action_scene=actions.action_scene,
            scene_actions=actions.scene_actions,
            global_actions=tuple(a.id for a in doc.actions),
            documents={d.id: d for d in doc.documents},
            injects={i.id: i for i in doc.injects},
            endings={e.id: e for e in doc.endings},
            variables=dict(doc.variables),
            phase_order={p.id: i for i, p in enumerate(doc.phases)},
            conditions=conditions.when,
            outcome_conditions=conditions.outcomes,
            reply_conditions=conditions.replies,
            decision_conditions=conditions.decisions,
            ending_conditions=conditions.endings,
            timed_injects=tuple(sorted(timed)),
            conditional_injects=tuple(conditional),
            delayed_injects={i.id: i.delay for i in doc.injects if i.delay is not None},
            inject_rank={i.id: n for n, i in enumerate(doc.injects)},
            clock_watches=conditions.watches,
            paths=self.paths,
        )

    def register_ids(self) -> None:
        doc = self.doc
        sections: tuple[tuple[str, Sequence[Any]], ...] = (
            ("phase", doc.phases),
            ("objective", doc.objectives),
            ("role", doc.roles),
            ("authority", doc.authorities),
            ("scene", doc.scenes),
            ("document", doc.documents),
            ("inject", doc.injects),
            ("ending", doc.endings),
            ("misconception", doc.misconceptions),
        )
        for kind, section in sections:
            key = "authorities" if kind == "authority" else kind + "s"
            for index, element in enumerate(section):
                self.register(kind, element.id, (key, index))
        # Rubric dimensions have their own namespace: 'cooperation' is a natural phase id too.
        for index, dim in enumerate(doc.rubric):
            if dim.id in self.dims:
                self.error(
                    ("rubric", index, "id"),
                    f"duplicate rubric dimension '{dim.id}'",
                    "duplicate-id",
                )
            self.dims.add(dim.id)

    def collect_actions(self) -> _Actions:
        """Register the actions of every scene, then the global ones."""
        found = _Actions()
        for sindex, scene in enumerate(self.doc.scenes):
            listed = scene.options if scene.kind == "decision" else scene.actions
            key = "options" if scene.kind == "decision" else "actions"
            other = "actions" if scene.kind == "decision" else "options"
            if getattr(scene, other):
                self.error(
                    ("scenes", sindex, other),
                    f"a {scene.kind} scene lists its choices under '{key}', not '{other}'",
                    "conflict",
                )
            if not listed and scene.id not in self.damaged:
                self.error(("scenes", sindex), f"scene '{scene.id}' offers no {key}", "empty")
            for aindex, action in enumerate(listed):
                path: Path_ = ("scenes", sindex, key, aindex)
                self.register("action", action.id, path)
                found.add(path, action, scene.id)
            found.scene_actions[scene.id] = tuple(a.id for a in listed)
        for aindex, action in enumerate(self.doc.actions):
            path = ("actions", aindex)
            self.register("action", action.id, path)
            found.add(path, action, None)
        return found

    def check_scenes(self) -> None:
        self.expect(("start",), self.doc.start, "scene")
        for index, scene in enumerate(self.doc.scenes):
            path = ("scenes", index)
            self.expect((*path, "phase"), scene.phase, "phase")
            self.expect_all((*path, "roles"), scene.roles, "role")
            self.check_effects(path, scene.on_enter, role_context=False)

    def compile_actions(self, actions: _Actions, conditions: _Conditions) -> None:
        for path, action, is_global in actions.paths:
            checked = self.check_action(path, action, global_action=is_global)
            if checked["when"] is not None:
                conditions.when[action.id] = checked["when"]
            conditions.outcomes[action.id] = checked["outcomes"]
            conditions.replies[action.id] = checked["replies"]
            if checked["decisions"]:
                conditions.decisions[action.id] = checked["decisions"]

    def check_documents(self) -> None:
        for index, document in enumerate(self.doc.documents):
            path = ("documents", index)
            self.expect_all((*path, "roles"), document.roles, "role")
            if document.image is not None and not _inside_file(self.source.root, document.image):
                self.error(
                    (*path, "image"),
                    f"image file {document.image!r} not found in the scenario folder",
                    "file",
                )
            if document.table is not None:
                width = len(document.table.columns)
                for rindex, row in enumerate(document.table.rows):
                    if len(row) != width:
                        self.error(
                            (*path, "table", "rows", rindex),
                            f"row has {len(row)} cells, the table has {width} columns",
                            "table",
                        )

    def check_injects(self, conditions: _Conditions) -> tuple[list[tuple[int, str]], list[str]]:
        """Check the injects; returns the timed ones (time, id) and the conditional ones."""
        timed: list[tuple[int, str]] = []
        conditional: list[str] = []
        for index, inject in enumerate(self.doc.injects):
            path = ("injects", index)
            self.expect_all((*path, "to"), inject.to, "role")
            self.check_effects(path, inject.effects, role_context=False)
            self.check_jump(path, inject.goto, inject.end)
            compiled = self.compile((*path, "when"), inject.when, role_context=False)
            if compiled is not None:
                conditions.when[inject.id] = compiled
                self.watch_clock(path, inject.id, compiled, conditions)
            if inject.at is not None and inject.when is not None:
                self.error(
                    path,
                    "an inject fires either 'at' a time or 'when' a condition holds",
                    "conflict",
                )
            self.check_delay(path, inject.delay, inject.when)
            if inject.at is not None:
                timed.append((inject.at, inject.id))
            elif inject.when is not None:
                conditional.append(inject.id)
        return timed, conditional

    def check_delay(self, path: Path_, delay: int | None, when: str | None) -> None:
        """A `delay` counts from the moment the inject's `when` first holds."""
        if delay is None:
            return
        if when is None:
            self.error(
                (*path, "delay"),
                "'delay' counts from the moment the inject's 'when' first holds: give it a "
                "'when' (e.g. when: done('alert-employer')), or use 'at' for a fixed time",
                "conflict",
            )
        elif delay == 0:
            self.warn(
                (*path, "delay"),
                "'delay: 0' fires as soon as the condition holds: leave 'delay' out",
                "zero-delay",
            )

    def watch_clock(
        self, path: Path_, inject_id: str, condition: Compiled, conditions: _Conditions
    ) -> None:
        """Note when the condition can become true as case time passes in a wait."""
        watch = clock_watch(condition, self.var_info)
        if watch is None:
            return
        conditions.watches[inject_id] = watch
        if not watch.plain:
            self.warn(
                (*path, "when"),
                "elapsed() is used here other than compared with a number or a variable "
                "(e.g. elapsed() >= hours(12)): while a team waits, this condition is only "
                "checked when something else happens, not at the minute it becomes true",
                "clock-in-arithmetic",
            )

    def compile_endings(self, conditions: _Conditions) -> None:
        endings = self.doc.endings
        for index, ending in enumerate(endings):
            path = ("endings", index)
            conditions.endings[ending.id] = self.compile(
                (*path, "when"), ending.when, role_context=False
            )
        if endings and endings[-1].when is not None:
            self.warn(
                ("endings", len(endings) - 1, "when"),
                "the last ending has a condition: `goto: end` can find no ending when none holds",
                "no-fallback",
            )


def _inside_file(root: Path, name: str) -> bool:
    """Whether `name` is a file in the folder (after links): images are served from there."""
    try:
        image = (root / name).resolve()
        return root.resolve() in image.parents and image.is_file()
    except (OSError, ValueError, RuntimeError):  # a NUL byte in the name, a loop of links
        return False
