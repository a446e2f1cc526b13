"""Per-role tracks: roles of one team in a scene of their own while the others carry on.

A `split` effect sends the listed roles to a scene (their track); a `join` effect brings
them back to the team's scene. `State.tracks` maps each role on a track to its scene; every
other role is in `State.scene` (the main track). Roles on tracks at the same scene are one
track: they see the same options, and a `goto` of one moves them all.

What belongs to an action follows its role: the `goto` of an action taken on a track (of its
outcomes, approval, replies and authorities' decisions) moves that track only. The main
track's gotos, injects and the facilitator's jump move the team's scene; the facilitator's
jump also brings every track back. An ending ends every track. Without a `split`,
`State.tracks` stays empty and nothing here runs: a case without tracks plays as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Effects
from ..scenario import END, Scenario
from .events import FeedItem
from .state import State

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Track", "enter_track", "move", "of", "regroup", "scene_of"]

# A track as an action finds it: its scene and the roles in it then.
Track = tuple[str, tuple[str, ...]]


def scene_of(state: State, role: str) -> str | None:
    """The scene a role sees and acts in: its track's, else the team's."""
    return state.tracks.get(role, state.scene) if state.ending is None else None


def of(state: State, role: str | None) -> Track | None:
    """The track the role is on now (None: the main track)."""
    if role is None or role not in state.tracks:
        return None
    scene = state.tracks[role]
    return scene, tuple(r for r, s in state.tracks.items() if s == scene)


def move(sc: Scenario, state: State, track: Track, goto: str) -> None:
    """A `goto` on a track: its roles still there go on (those an effect of the same
    action sent elsewhere, or joined to the team, do not)."""
    scene, roles = track
    still = [r for r in roles if state.tracks.get(r) == scene]
    if still:
        enter_track(sc, state, goto, still)


def enter_track(sc: Scenario, state: State, scene_id: str, roles: Iterable[str]) -> None:
    """Roles enter a scene on their own track; `end` ends the whole case."""
    from .consequences import apply_effects, enter  # consequences calls here too

    if state.ending is not None:
        return
    if scene_id == END:
        enter(sc, state, END)
        return
    members = tuple(roles)
    for role in members:
        state.tracks[role] = scene_id
    state.visited.setdefault(scene_id, state.clock)
    state.feed.append(FeedItem(state.clock, "scene", scene_id, f"scene.{scene_id}.title", members))
    on_enter = sc.scenes[scene_id].on_enter
    if on_enter is not None:
        if on_enter.split:
            # A track does not split again on entering (two scenes splitting to each
            # other would never stop); the validator warns about such a scene.
            on_enter = on_enter.model_copy(update={"split": []})
        apply_effects(sc, state, on_enter, None)


def regroup(sc: Scenario, state: State, effects: Effects) -> None:
    """An effects block's `split`s, then its `join`."""
    for split in effects.split:
        enter_track(sc, state, split.to, split.roles)
    joined = tuple(r for r in effects.join if state.tracks.pop(r, None) is not None)
    if joined and state.scene is not None and state.ending is None:
        scene = state.scene
        state.feed.append(FeedItem(state.clock, "scene", scene, f"scene.{scene}.title", joined))
