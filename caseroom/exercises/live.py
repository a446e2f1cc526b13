"""Live updates: after a change is committed, tell the team's and facilitator's browsers.

The message is only a nudge with the new event count; pages then fetch their fragments,
so a lost or late message never shows wrong data (and polling covers blocked sockets).
"""

from __future__ import annotations

from typing import Protocol

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

__all__ = ["ChannelPublisher", "Publisher", "exercise_group", "publisher", "team_group"]


def team_group(team_id: int) -> str:
    return f"team-{team_id}"


def exercise_group(exercise_id: int) -> str:
    return f"exercise-{exercise_id}"


class Publisher(Protocol):
    def team_changed(self, exercise_id: int, team_id: int, seq: int) -> None: ...


class ChannelPublisher:
    """Publishes through the channel layer (in-memory, or Redis when REDIS_URL is set)."""

    def team_changed(self, exercise_id: int, team_id: int, seq: int) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        message = {"type": "team.changed", "team": team_id, "seq": seq}

        async def send_both() -> None:
            await layer.group_send(team_group(team_id), message)
            await layer.group_send(exercise_group(exercise_id), message)

        # One hop to the event loop for both groups: each hop is a thread hand-off.
        async_to_sync(send_both)()


class RecordingPublisher:
    """For tests: remembers what was published."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int, int]] = []

    def team_changed(self, exercise_id: int, team_id: int, seq: int) -> None:
        self.sent.append((exercise_id, team_id, seq))


publisher: Publisher = ChannelPublisher()
