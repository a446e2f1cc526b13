"""The vocabulary of the demo's scripts: who plays, what they do, what the facilitator notes.

Plain frozen dataclasses and a constructor per kind of move, so that `script.py` reads as
a table of the teams' moves and `play.py` is the only code that gives them effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Member",
    "Move",
    "MoveType",
    "Note",
    "TeamScript",
    "approve",
    "do",
    "end",
    "grade",
    "refuse",
    "wait",
]

MoveType = Literal["act", "approve", "refuse", "wait", "grade", "end"]


@dataclass(frozen=True)
class Move:
    """One command of a team's script; `role` says which member (or None: the facilitator)."""

    type: MoveType
    role: str | None = None
    ref: str | None = None
    answer: Any = None
    reason: str | None = None
    points: Mapping[str, int] | None = None


def do(role: str, action: str, answer: Any = None) -> Move:
    return Move("act", role, action, answer)


def approve(role: str, action: str) -> Move:
    return Move("approve", role, action)


def refuse(role: str, action: str, reason: str) -> Move:
    return Move("refuse", role, action, reason=reason)


def wait(role: str) -> Move:
    return Move("wait", role)


def grade(action: str, points: Mapping[str, int], comment: str) -> Move:
    """The facilitator grades the team's latest free-text answer to `action`."""
    return Move("grade", None, action, reason=comment, points=points)


def end(ending: str) -> Move:
    """The facilitator ends the team's case (time is up) with the ending that fits."""
    return Move("end", None, ending)


@dataclass(frozen=True)
class Member:
    name: str
    agency: str
    country: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    """A facilitator's annotation on the team's first step of `step_kind` on `ref`."""

    kind: str
    ref: str
    body: str
    step_kind: str = "act"
    misconception: str = ""


@dataclass(frozen=True)
class TeamScript:
    name: str
    members: tuple[Member, ...]
    moves: tuple[Move, ...]  # empty: the expert path (see play._expert_moves)
    finished: dt.time  # wall-clock time of the team's last event
    notes: tuple[Note, ...] = ()
    # For a script that is the expert path: answers replaced, and actions left out.
    overrides: Mapping[str, Any] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()
