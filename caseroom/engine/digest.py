"""A team's play reduced to what the cross-team aggregates read, small and JSON-ready.

Replaying 10,000 logs takes half a minute; decoding 10,000 digests takes a fraction of
a second. A digest is derived state: it says at which event count it was taken, so a
store can tell a stale one and rebuild it from the log, which stays the only truth.

>>> d = summarise(session, expert_choices(scenario).on_path)     # doctest: +SKIP
>>> TeamDigest.from_dict(d.to_dict()) == d                         # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .session import Session, State

__all__ = ["DIGEST_VERSION", "TeamDigest", "node_path", "summarise"]

# Bump when the digest's content or meaning changes: stored digests of another version
# are rebuilt from the logs instead of being misread.
DIGEST_VERSION = 1
GRADES = ("exemplary", "acceptable", "poor", "harmful")


def node_path(state: State) -> list[str]:
    """Scenes entered, then the ending, in order; re-entering the same scene is one stay."""
    path: list[str] = []
    for item in state.feed:
        kind = item.kind
        if (kind == "scene" or kind == "ending") and (not path or path[-1] != item.ref):
            path.append(item.ref)
    return path


@dataclass(frozen=True, slots=True)
class TeamDigest:
    """What decision_distribution, flows, misconception_ranking and compare_teams need.

    `visited`: scenes the team reached; `chosen`: actions it chose (act events, whatever
    the approver said); `path`: node_path; `misconceptions`: (id, action, actor) per step
    that showed one; `on_expert`/`off_expert`: steps matching or not the expert's choice.
    """

    events: int
    visited: frozenset[str]
    chosen: frozenset[str]
    path: tuple[str, ...]
    misconceptions: tuple[tuple[str, str, str | None], ...]
    steps: int
    on_expert: int
    off_expert: int
    grades: Mapping[str, int]
    ending: str | None
    rubric: Mapping[str, int]
    total: int
    objectives: Mapping[str, int | None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": DIGEST_VERSION,
            "events": self.events,
            "visited": sorted(self.visited),
            "chosen": sorted(self.chosen),
            "path": list(self.path),
            "misconceptions": [list(m) for m in self.misconceptions],
            "steps": self.steps,
            "on_expert": self.on_expert,
            "off_expert": self.off_expert,
            "grades": dict(self.grades),
            "ending": self.ending,
            "rubric": dict(self.rubric),
            "total": self.total,
            "objectives": dict(self.objectives),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TeamDigest:
        """The digest stored by to_dict; ValueError for another version or a broken one."""
        if data.get("version") != DIGEST_VERSION:
            raise ValueError(f"digest version {data.get('version')!r} is not {DIGEST_VERSION}")
        # Trusts the types it wrote itself (this runs for every team of a cross-team page);
        # a missing key or a wrong shape still fails loudly.
        try:
            return cls(
                events=data["events"],
                visited=frozenset(data["visited"]),
                chosen=frozenset(data["chosen"]),
                path=tuple(data["path"]),
                misconceptions=tuple((m, a, who) for m, a, who in data["misconceptions"]),
                steps=data["steps"],
                on_expert=data["on_expert"],
                off_expert=data["off_expert"],
                grades=data["grades"],
                ending=data["ending"],
                rubric=data["rubric"],
                total=data["total"],
                objectives=data["objectives"],
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"broken digest: {error!r}") from error


def summarise(session: Session, on_path: Callable[[str, str], bool | None]) -> TeamDigest:
    """The digest of a session's current state; `on_path(kind, ref)` is the expert index's."""
    state = session.state
    grades = dict.fromkeys(GRADES, 0)
    on = off = 0
    misconceptions: list[tuple[str, str, str | None]] = []
    for step in state.steps:
        if step.grade is not None:
            grades[step.grade] += 1
        matched = on_path(step.kind, step.ref)
        if matched is True:
            on += 1
        elif matched is False:
            off += 1
        if step.misconception is not None:
            misconceptions.append((step.misconception, step.ref, step.actor))
    score = session.score()
    return TeamDigest(
        events=len(session.events),
        visited=frozenset(state.visited),
        chosen=frozenset(e.ref for e in session.events if e.type == "act" and e.ref),
        path=tuple(node_path(state)),
        misconceptions=tuple(misconceptions),
        steps=len(state.steps),
        on_expert=on,
        off_expert=off,
        grades=grades,
        ending=state.ending,
        rubric=dict(score["rubric"]),
        total=int(score["total"]),
        objectives=dict(score["objectives"]),
    )
