"""The records of a team's play: the events of the append-only log, what the team sees
(feed items, options, pending approvals and requests), the assessed steps, and the two
refusals (`IllegalAction` for a command, `ReplayError` for a log).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

__all__ = [
    "Event",
    "EventType",
    "FeedItem",
    "IllegalAction",
    "Move",
    "Option",
    "Pending",
    "ReplayError",
    "Result",
    "Step",
]

EventType = Literal[
    "act",
    "approve",
    "refuse",
    "wait",
    "inject",
    "grade",
    "end",
    "jump",
    # Linked teams (`linked.py`): the roles the other team plays, a request arriving from
    # it, this team's person answering it, and that answer delivered to the asking team.
    "link",
    "incoming",
    "answer",
    "reply",
]


class IllegalAction(Exception):
    """A command the rules do not allow now; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ReplayError(Exception):
    """An event log that does not fit the scenario (edited, or from another version)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the append-only log: who, as which role, did what, at which case time."""

    type: EventType
    role: str | None = None
    actor: str | None = None
    ref: str | None = None  # action, inject or ending id
    input: Any = None
    reason: str | None = None
    points: Mapping[str, int] | None = None
    step: int | None = None  # grade: the step being graded
    key: str | None = None  # idempotency key: a repeated submission is applied once
    at: int | None = None  # case time when applied (filled in by the session)
    time: str | None = None  # wall-clock time, for the debrief only
    # The version of the rules the log was played under, on its first event only (None:
    # a log from before versions, played under rules 1; see `session.RULES`).
    rules: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        if self.points is not None:
            data["points"] = dict(self.points)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        # The field names once, not per event: `fields()` was a sixth of a log's replay.
        unknown = data.keys() - _EVENT_FIELDS
        if unknown:
            raise ReplayError(f"unknown event fields: {', '.join(sorted(unknown))}")
        return cls(**data)


_EVENT_FIELDS = frozenset(f.name for f in fields(Event))


@dataclass(frozen=True, slots=True)
class Pending:
    # decision: an authority's, scripted; incoming: a linked team's request to answer here
    kind: Literal["approval", "request", "decision", "incoming"]
    action: str
    role: str  # who asked
    actor: str | None
    to: str  # who approves, or who receives the request
    answer: Any
    since: int
    due: int | None = None
    step: int = 0  # decision: which of the approval's `then` steps (from 1)
    # A request answered by a person of the linked team: the reply they chose, or their
    # reason for refusing (None and None: the scenario's replies decide, as unlinked).
    choice: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """Something the team sees happen; `key` addresses the text for translation."""

    at: int
    kind: str
    ref: str
    key: str | None = None
    roles: tuple[str, ...] | None = None  # None: the whole team
    role: str | None = None
    actor: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One assessed moment of the trajectory, for scoring and the debrief."""

    seq: int  # index of the event that caused it
    kind: str  # act, approve, refuse, reply, inject, grade
    ref: str
    at: int
    scene: str | None
    role: str | None = None
    actor: str | None = None
    grade: str | None = None
    points: Mapping[str, int] = field(default_factory=dict)
    objectives: tuple[str, ...] = ()
    misconception: str | None = None
    feedback: str | None = None  # text key
    debrief: str | None = None  # text key
    score: float | None = None
    answer: Any = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """An action as one role sees it now: enabled, or greyed out with the reason."""

    action: str
    enabled: bool
    code: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Move:
    """A legal command, as the explorer enumerates them."""

    type: EventType
    role: str | None
    ref: str | None


@dataclass(frozen=True)
class Result:
    event: Event
    feed: tuple[FeedItem, ...]
    steps: tuple[Step, ...]
    repeated: bool = False
