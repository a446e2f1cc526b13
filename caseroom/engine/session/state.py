"""A team's state: a pure function of the scenario and the event log, changed in place
only by `Session.transition`, copied cheaply for the explorer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .events import FeedItem, Pending, Step

__all__ = ["Discard", "State"]


@dataclass(slots=True)
class State:
    clock: int
    scene: str | None
    phase: str
    vars: dict[str, Any]
    role_vars: dict[str, dict[str, Any]]
    visited: dict[str, int] = field(default_factory=dict)
    unlocked: dict[str, int] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)
    fired: dict[str, int] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)
    pending_actions: dict[str, int] = field(default_factory=dict)
    # Injects with a `delay` whose condition has held: inject -> case time it fires.
    scheduled: dict[str, int] = field(default_factory=dict)
    feed: list[FeedItem] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    ending: str | None = None
    seq: int = 0
    # Roles a linked team plays (a `link` event): requests to them wait for a person.
    remote: frozenset[str] = frozenset()
    # Roles on a track of their own (`split`): role -> its scene; the others are in `scene`.
    tracks: dict[str, str] = field(default_factory=dict)

    @property
    def ended(self) -> bool:
        return self.ending is not None

    def copy(self, *, history: bool = True) -> State:
        """A copy to change independently; without history, feed and steps are not kept."""
        return State(
            clock=self.clock,
            scene=self.scene,
            phase=self.phase,
            vars=dict(self.vars),  # values are immutable (sets are frozensets)
            role_vars={r: dict(d) for r, d in self.role_vars.items()} if self.role_vars else {},
            visited=dict(self.visited),
            unlocked=dict(self.unlocked),
            taken=dict(self.taken),
            fired=dict(self.fired),
            pending=list(self.pending),  # Pending is immutable: sharing is safe
            pending_actions=dict(self.pending_actions),
            scheduled=dict(self.scheduled),
            feed=list(self.feed) if history else Discard(),
            steps=list(self.steps) if history else Discard(),
            ending=self.ending,
            seq=self.seq,
            remote=self.remote,
            tracks=dict(self.tracks) if self.tracks else {},
        )

    def key(self) -> tuple[Any, ...]:
        """Everything but history and time stamps: equal keys have equal futures."""
        return (
            self.scene,
            self.clock,
            self.ending,
            tuple(self.vars.items()),
            tuple((r, tuple(d.items())) for r, d in self.role_vars.items()),
            frozenset(self.visited),
            frozenset(self.unlocked),
            frozenset(self.taken.items()),
            frozenset(self.fired),
            tuple(
                (p.kind, p.action, p.role, p.to, p.due, p.step, repr(p.answer), p.choice)
                for p in self.pending
            ),
            frozenset(self.scheduled.items()),
            self.remote,
            frozenset(self.tracks.items()),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready picture of the state (sets as sorted lists)."""

        def plain(value: Any) -> Any:
            return sorted(value) if isinstance(value, frozenset) else value

        return {
            "clock": self.clock,
            "scene": self.scene,
            "phase": self.phase,
            "ending": self.ending,
            "vars": {k: plain(v) for k, v in self.vars.items()},
            "role_vars": {
                r: {k: plain(v) for k, v in d.items()} for r, d in self.role_vars.items()
            },
            "visited": dict(self.visited),
            "unlocked": dict(self.unlocked),
            "taken": dict(self.taken),
            "fired": dict(self.fired),
            "pending": [asdict(p) for p in self.pending],
            "scheduled": dict(self.scheduled),
            "feed": [asdict(f) for f in self.feed],
            "steps": [asdict(s) for s in self.steps],
            "seq": self.seq,
            # Only where a track exists: the picture of a case without tracks is unchanged.
            **({"tracks": dict(self.tracks)} if self.tracks else {}),
        }


class Discard(list[Any]):
    """History that the explorer does not need: appends are dropped."""

    def append(self, item: Any) -> None:
        pass
