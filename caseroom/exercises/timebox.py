"""The facilitator's time box for a phase: "20 minutes for the financial investigation".

Scenarios run on case time (days of an investigation pass in a few clicks), but a
training day runs on the clock: the facilitator gives the room so many minutes for a
phase, extends them when teams need it, or moves teams on (skip: `actions.command` with
a jump). Participants see the minutes left count down; a pause stops the count.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import live
from .models import Exercise

__all__ = [
    "FIELDS",
    "MAX_MINUTES",
    "TimeBox",
    "clear",
    "extend",
    "freeze",
    "of",
    "start",
    "thaw",
    "version",
]

MAX_MINUTES = 8 * 60  # a training day


@dataclass(frozen=True)
class TimeBox:
    label: str
    left: timedelta  # now (frozen while paused)
    paused: bool

    @property
    def over(self) -> bool:
        return self.left <= timedelta(0)

    @property
    def seconds_left(self) -> int:
        """Whole seconds, rounded up: a clock shows 0:01 until the very end."""
        return max(0, math.ceil(self.left.total_seconds()))


def of(exercise: Exercise, now: datetime | None = None) -> TimeBox | None:
    """The exercise's time box as it stands, or None if the facilitator set none."""
    now = now or timezone.now()
    if exercise.timebox_ends_at is not None:
        left = max(exercise.timebox_ends_at - now, timedelta(0))
        return TimeBox(exercise.timebox_label, left, paused=False)
    if exercise.timebox_left is not None:
        return TimeBox(exercise.timebox_label, exercise.timebox_left, paused=True)
    return None


def version(exercise: Exercise) -> str:
    """Changes whenever what a page shows of the time box changes (pause included)."""
    return (
        f"{exercise.status}-{exercise.timebox_label}-"
        f"{exercise.timebox_ends_at and exercise.timebox_ends_at.timestamp()}-"
        f"{exercise.timebox_left and exercise.timebox_left.total_seconds()}"
    )


def start(exercise: Exercise, minutes: int, label: str = "", *, key: str = "") -> bool:
    """Give the room `minutes` from now (replacing any time box); False if `key` was
    already applied (a repeated click)."""

    def change(row: Exercise, now: datetime) -> None:
        row.timebox_label = label.strip()[:120]
        _set_left(row, timedelta(minutes=minutes), now)

    return _change(exercise, key, change)


def extend(exercise: Exercise, minutes: int, *, key: str = "") -> bool:
    """Add minutes to the time box; one that has run out restarts from now."""

    def change(row: Exercise, now: datetime) -> None:
        box = of(row, now)
        _set_left(row, (box.left if box else timedelta(0)) + timedelta(minutes=minutes), now)

    return _change(exercise, key, change)


def clear(exercise: Exercise, *, key: str = "") -> bool:
    def change(row: Exercise, now: datetime) -> None:
        row.timebox_label, row.timebox_ends_at, row.timebox_left = "", None, None

    return _change(exercise, key, change)


def freeze(exercise: Exercise, now: datetime | None = None) -> None:
    """On pause: keep what is left instead of an end time (the caller saves the row)."""
    box = of(exercise, now)
    if box is not None and not box.paused:
        exercise.timebox_ends_at, exercise.timebox_left = None, box.left


def thaw(exercise: Exercise, now: datetime | None = None) -> None:
    """On resume: what was left counts down again from now (the caller saves the row)."""
    if exercise.timebox_left is not None:
        exercise.timebox_ends_at = (now or timezone.now()) + exercise.timebox_left
        exercise.timebox_left = None


FIELDS = ["timebox_label", "timebox_ends_at", "timebox_left", "timebox_key"]  # what a change saves


def _set_left(row: Exercise, left: timedelta, now: datetime) -> None:
    left = min(left, timedelta(minutes=MAX_MINUTES))
    if row.status == Exercise.Status.RUNNING:
        row.timebox_ends_at, row.timebox_left = now + left, None
    else:  # not started or paused: the count starts when the exercise runs
        row.timebox_ends_at, row.timebox_left = None, left


def _change(exercise: Exercise, key: str, change: Callable[[Exercise, datetime], None]) -> bool:
    with transaction.atomic():
        row = Exercise.objects.select_for_update().get(pk=exercise.pk)
        if key and row.timebox_key == key:
            applied = False
        else:
            change(row, timezone.now())
            row.timebox_key = key
            row.save(update_fields=FIELDS)
            applied = True
        for field in [*FIELDS, "status"]:
            setattr(exercise, field, getattr(row, field))
        if applied:
            live.every_team_after_commit(exercise)
    return applied
