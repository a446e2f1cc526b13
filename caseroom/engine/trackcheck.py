"""Validator checks of per-role tracks (`split` and `join` effects), with file and line.

Unknown roles and scenes in `split` and `join` are the loader's errors. Here, warnings on
what a track does, found by following the track as the session moves it (`tracks.py`): each
role of a split from scene to scene by the gotos of what is done there, leaving it where an
effect joins it to the team or splits it elsewhere.

* `track-never-joins`: a role of the split can never be back in the team's scene — no
  `join` naming it can apply while it is on the track (in the track's scenes, in the scenes
  the team can be in meanwhile, or in an inject), and no ending can be reached from the
  track's scenes, so only the facilitator could bring the role back;
* `split-again`: a scene the track reaches splits a role of the track again (an action's
  split moves the role on; an `on_enter`'s split is ignored on a track). A split that the
  same effects block undoes with a `join`, and scenes only reached through a goto that
  comes after the role joined, are not the track's and give no warning.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, Severity
from .model import Action, Decision, Effects, Reaction
from .scenario import END, Scenario

__all__ = ["TrackWalk", "track_problems", "walk_track"]

Path = tuple[str | int, ...]


def _reactions(action: Action) -> Iterator[tuple[Reaction | Action, bool]]:
    """Every way an action can turn out, with whether the action's own effects apply
    with it (not with a refusal: a refused action does not take effect)."""
    yield action, True
    for outcome in action.outcomes:
        yield outcome, True
    if action.approval is not None:
        refuse = action.approval.refuse
        for reaction in action.approval.reactions():
            refused = reaction is refuse or (
                isinstance(reaction, Decision) and reaction.decision == "refuse"
            )
            yield reaction, not refused
    if action.request is not None:
        for reply in action.request.replies:
            yield reply, True


def _blocks(action: Action, reaction: Reaction | Action, completes: bool) -> list[Effects]:
    """The effects blocks that apply with a reaction, in the session's order."""
    blocks = []
    if completes and action.effects is not None:
        blocks.append(action.effects)
    if reaction is not action and reaction.effects is not None:
        blocks.append(reaction.effects)
    return blocks


@dataclass
class TrackWalk:
    """Where the roles of one split can be while on their track."""

    roles_in: dict[str, set[str]] = field(default_factory=dict)  # scene -> roles that can be there
    joined: set[str] = field(default_factory=set)  # roles some effect on the track joins
    ends: bool = False  # an ending can be reached from the track's scenes


def walk_track(scenario: Scenario, start: str, roles: Iterable[str]) -> TrackWalk:
    """Follow a track from `start` with `roles`, as the session would move it.

    Each role is followed alone: a goto moves every role of the track still in its scene,
    so where one role can be does not depend on the others — and following sets of roles
    together could take exponentially many steps in a hostile file.
    """
    walk = TrackWalk()
    for role in dict.fromkeys(roles):
        _walk_one(scenario, start, role, walk)
    return walk


def _walk_one(scenario: Scenario, start: str, role: str, walk: TrackWalk) -> None:
    queue: deque[str] = deque()
    seen: set[str] = set()

    def enter(scene: str) -> None:
        on_enter = scenario.scenes[scene].on_enter
        if on_enter is not None and role in on_enter.join:  # a track ignores its split only
            walk.joined.add(role)
        elif scene not in seen:
            seen.add(scene)
            queue.append(scene)
            walk.roles_in.setdefault(scene, set()).add(role)

    enter(start)
    while queue:
        scene = queue.popleft()
        for action_id in scenario.scene_actions[scene] + scenario.globals_in(scene):
            action = scenario.actions[action_id]
            for reaction, completes in _reactions(action):
                at: str | None = scene
                for block in _blocks(action, reaction, completes):
                    for split in block.split:  # a block's splits, then its join
                        if role in split.roles and split.to in scenario.scenes:
                            at = split.to
                    if role in block.join:
                        at = None  # back with the team
                        walk.joined.add(role)
                if reaction.end is not None or reaction.goto == END:
                    walk.ends = True
                elif reaction.goto in scenario.scenes and at == scene:
                    at = reaction.goto  # still here: the goto moves it
                if at is not None and at != scene:
                    enter(at)


def _team_scenes(scenario: Scenario, origins: Iterable[str]) -> set[str]:
    """The scenes the team can be in from `origins` on, by gotos and injects."""
    injected = {
        inject.goto for inject in scenario.injects.values() if inject.goto in scenario.scenes
    }
    found = set(origins) | injected
    queue = list(found)
    while queue:
        scene = queue.pop()
        for action_id in scenario.scene_actions[scene] + scenario.globals_in(scene):
            action = scenario.actions[action_id]
            for reaction, _completes in _reactions(action):
                goto = reaction.goto
                if goto in scenario.scenes and goto not in found:
                    found.add(goto)
                    queue.append(goto)
    return found


def _joins_in(scenario: Scenario, scenes: set[str]) -> set[str]:
    """The roles a `join` can bring back while the team is in `scenes` (or by an inject)."""
    roles: set[str] = set()
    for scene in scenes:
        on_enter = scenario.scenes[scene].on_enter
        if on_enter is not None:
            roles.update(on_enter.join)
        for action_id in scenario.scene_actions[scene] + scenario.globals_in(scene):
            action = scenario.actions[action_id]
            for reaction, completes in _reactions(action):
                for block in _blocks(action, reaction, completes):
                    roles.update(block.join)
    for inject in scenario.injects.values():
        if inject.effects is not None:
            roles.update(inject.effects.join)
    return roles


class _Where:
    """Where effects blocks apply, from their paths; worked out once per scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.team = _team_scenes(scenario, [scenario.doc.start])
        self.owner: dict[Path, str] = {}
        for ident in (*scenario.actions, *scenario.scenes, *scenario.injects):
            path = scenario.paths.get(ident)
            if path is not None:
                self.owner[path] = ident
        # The blocks with a split written in each scene: its on_enter and its own actions'.
        self.splits: dict[str, list[tuple[Path, Effects]]] = {}
        for path, effects in scenario.effects_blocks():
            scene = self._scene_of(path) if effects.split else None
            if scene is not None:
                self.splits.setdefault(scene, []).append((path, effects))
        self._joins: dict[frozenset[str], set[str]] = {}

    def _owners(self, path: Path) -> Iterator[str]:
        """The ids whose element holds `path`, innermost first."""
        for length in range(len(path), 0, -1):
            ident = self.owner.get(path[:length])
            if ident is not None:
                yield ident

    def _scene_of(self, path: Path) -> str | None:
        return next((i for i in self._owners(path) if i in self.scenario.scenes), None)

    def origins(self, path: Path) -> list[str]:
        sc = self.scenario
        ident = next(self._owners(path), None)
        if ident in sc.scenes:
            return [ident]
        if ident in sc.actions:
            scene = sc.action_scene[ident]
            if scene is not None:
                return [scene]
            return [s for s in sc.scenes if ident in sc.globals_in(s)]
        return list(sc.scenes)  # an inject: the team may be anywhere

    def team_joins(self, path: Path) -> set[str]:
        """The roles a join can bring back while the team goes on after a split written at
        `path`: from its scene on, or anywhere the team goes when the split is itself done
        on a track."""
        origins = frozenset(s for s in self.origins(path) if s in self.team)
        found = self._joins.get(origins)
        if found is None:
            scenes = _team_scenes(self.scenario, origins) if origins else self.team
            found = self._joins[origins] = _joins_in(self.scenario, scenes)
        return found


def track_problems(scenario: Scenario) -> list[Diagnostic]:
    blocks = scenario.effects_blocks()
    if not any(effects.split for _path, effects in blocks):
        return []
    where = _Where(scenario)
    problems: list[Diagnostic] = []
    for path, effects in blocks:
        for index, split in enumerate(effects.split):
            if split.to not in scenario.scenes:
                continue  # the loader reported it
            at = scenario.source.locate((*path, "split", index))
            if set(split.roles) <= set(effects.join):
                continue  # the same block joins them again at once
            walk = walk_track(scenario, split.to, split.roles)
            stuck = [r for r in split.roles if r not in walk.joined] if not walk.ends else []
            if stuck:  # only then the team's side is asked: it costs a walk of the scenes
                stuck = [r for r in stuck if r not in where.team_joins(path)]
            if stuck:
                problems.append(
                    Diagnostic(
                        at,
                        f"the track of {', '.join(stuck)} to '{split.to}' can never join: no "
                        f"'join' can bring {'it' if len(stuck) == 1 else 'them'} back while "
                        "on the track, and no ending can be reached from its scenes",
                        Severity.warning,
                        "track-never-joins",
                    )
                )
            for scene, here in walk.roles_in.items():
                for inner_path, inner in where.splits.get(scene, ()):
                    if inner_path == path:
                        continue
                    message = _again(inner_path, inner, here)
                    if message:
                        problems.append(
                            Diagnostic(
                                scenario.source.locate((*inner_path, "split")),
                                f"{message} the track to '{split.to}' (split at "
                                f"{at.file}:{at.line})",
                                Severity.warning,
                                "split-again",
                            )
                        )
    return _unique(problems)


def _again(path: Path, inner: Effects, roles: set[str]) -> str:
    """What a split written in a track's scene does to the track's roles there, or ""."""
    if path[-1] == "on_enter":  # the session leaves it out on a track (`tracks.py`)
        return "a track ignores the split of an on_enter, and this scene is on"
    again = [r for split in inner.split for r in split.roles if r in roles and r not in inner.join]
    if again:
        return f"splits {', '.join(dict.fromkeys(again))} again, already on"
    return ""


def _unique(problems: list[Diagnostic]) -> list[Diagnostic]:
    """One warning per place and message: two splits can reach the same scene."""
    seen: set[tuple[Any, str]] = set()
    found = []
    for problem in problems:
        mark = (problem.location, problem.message)
        if mark not in seen:
            seen.add(mark)
            found.append(problem)
    return found
