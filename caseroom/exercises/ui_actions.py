"""Facilitator actions the console needs beyond `actions.py`: creating an exercise and
sending one command or message to several teams at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from caseroom.engine import Event, IllegalAction

from . import actions
from .models import Exercise, Message, Team

__all__ = ["Broadcast", "broadcast_command", "broadcast_message", "create_exercise"]


@transaction.atomic
def create_exercise(user: User, **fields: Any) -> Exercise:
    """A new exercise with `user` as its facilitator."""
    exercise = Exercise.objects.create(**fields)
    exercise.facilitators.add(user)
    return exercise


@dataclass
class Broadcast:
    applied: list[Team] = field(default_factory=list)
    refused: list[tuple[Team, str]] = field(default_factory=list)


def broadcast_command(teams: Iterable[Team], event: Event, *, user: User | None) -> Broadcast:
    """Apply a facilitator command to each team (paused or not); one key per team."""
    result = Broadcast()
    for team in teams:
        key = f"{event.key}-{team.pk}" if event.key else None
        per_team = Event(**{**event.to_dict(), "key": key})
        try:
            actions.command(team, per_team, user=user, require_running=False)
        except IllegalAction as error:
            result.refused.append((team, error.message))
        else:
            result.applied.append(team)
    return result


def broadcast_message(
    teams: Iterable[Team], body: str, *, user: User | None, key: str | None
) -> list[Message]:
    """The facilitator's message to each team (a repeated key sends nothing again)."""
    return [
        actions.send_message(
            team,
            body,
            channel=Message.Channel.FACILITATOR,
            user=user,
            key=f"{key}-{team.pk}" if key else None,
        )
        for team in teams
    ]
