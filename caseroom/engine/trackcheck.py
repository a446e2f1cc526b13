"""Validator checks of per-role tracks (`split` and `join` effects), with file and line.

Unknown roles and scenes in `split` and `join` are the loader's errors. Here, warnings on
what a track does: one that can never join (no `join` names the role, and no ending can be
reached from the track's scenes, so only the facilitator could bring the role back), and a
split of a role that is already on a track from the same split (its scenes split it again).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .diagnostics import Diagnostic, Severity
from .model import Action, Effects
from .scenario import END, Scenario

__all__ = ["track_problems", "track_scenes"]


def _leads(action: Action) -> Iterator[Any]:
    """Every reaction of an action with a `goto` or `end`: where its track may go."""
    yield action
    yield from action.outcomes
    if action.approval is not None:
        yield from action.approval.reactions()
    if action.request is not None:
        yield from action.request.replies


def track_scenes(scenario: Scenario, start: str) -> tuple[list[str], bool]:
    """The scenes a track starting at `start` can reach by its own gotos, in the order
    found, and whether one of them can end the case."""
    seen = [start]
    ends = False
    index = 0
    while index < len(seen):
        scene = seen[index]
        index += 1
        for action_id in scenario.scene_actions[scene] + scenario.globals_in(scene):
            for reaction in _leads(scenario.actions[action_id]):
                if reaction.end is not None or reaction.goto == END:
                    ends = True
                elif reaction.goto in scenario.scenes and reaction.goto not in seen:
                    seen.append(reaction.goto)
    return seen, ends


def _splits_in(scenario: Scenario, scene: str) -> Iterator[tuple[tuple[str | int, ...], Effects]]:
    """The effects blocks written in a scene: its `on_enter` and its own actions'."""
    prefix = scenario.paths[scene]
    for path, effects in scenario.effects_blocks():
        if effects.split and path[: len(prefix)] == prefix:
            yield path, effects


def track_problems(scenario: Scenario) -> list[Diagnostic]:
    blocks = scenario.effects_blocks()
    if not any(effects.split for _path, effects in blocks):
        return []
    joined = {role for _path, effects in blocks for role in effects.join}
    problems: list[Diagnostic] = []
    for path, effects in blocks:
        for index, split in enumerate(effects.split):
            if split.to not in scenario.scenes:
                continue  # the loader reported it
            where = scenario.source.locate((*path, "split", index))
            scenes, ends = track_scenes(scenario, split.to)
            stuck = [r for r in split.roles if r not in joined]
            if stuck and not ends:
                problems.append(
                    Diagnostic(
                        where,
                        f"the track of {', '.join(stuck)} to '{split.to}' can never join: no "
                        f"'join' names {'it' if len(stuck) == 1 else 'them'} and no ending "
                        "can be reached from its scenes",
                        Severity.warning,
                        "track-never-joins",
                    )
                )
            for scene in scenes:
                for inner_path, inner in _splits_in(scenario, scene):
                    if inner_path == path:
                        continue
                    message = _again(inner_path, inner, split.roles)
                    if message:
                        problems.append(
                            Diagnostic(
                                scenario.source.locate((*inner_path, "split")),
                                f"{message} the track to '{split.to}' (split at "
                                f"{where.file}:{where.line})",
                                Severity.warning,
                                "split-again",
                            )
                        )
    return _unique(problems)


def _again(path: tuple[str | int, ...], inner: Effects, roles: list[str]) -> str:
    """What a split written in a track's scene does to the track, or ""."""
    if path[-1] == "on_enter":  # the session leaves it out on a track (`tracks.py`)
        return "a track ignores the split of an on_enter, and this scene is on"
    again = [r for split in inner.split for r in split.roles if r in roles]
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
