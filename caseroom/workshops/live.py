"""Live updates of a theme's board: a nudge with the board's version after the commit.

Only a nudge: phones then re-fetch the board part (which answers 204 when unchanged), so a
lost message never shows wrong data and app.js's polling covers a blocked socket. Sent
through exercises.live.post, which hands it to the server's event loop without waiting.
"""

from __future__ import annotations

from typing import Protocol

from channels.layers import get_channel_layer
from django.db import transaction

from caseroom.exercises.live import post

__all__ = ["ChannelPublisher", "Publisher", "RecordingPublisher", "after_commit", "theme_group"]


def theme_group(theme_id: int) -> str:
    return f"workshop-theme-{theme_id}"


class Publisher(Protocol):
    def theme_changed(self, theme_id: int, version: int) -> None: ...


class ChannelPublisher:
    def theme_changed(self, theme_id: int, version: int) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        message = {"type": "theme.changed", "theme": theme_id, "seq": version}

        async def send() -> None:
            await layer.group_send(theme_group(theme_id), message)

        post(send())


class RecordingPublisher:
    """For tests: remembers what was published."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int]] = []

    def theme_changed(self, theme_id: int, version: int) -> None:
        self.sent.append((theme_id, version))


publisher: Publisher = ChannelPublisher()


def after_commit(theme_id: int, version: int) -> None:
    transaction.on_commit(lambda: publisher.theme_changed(theme_id, version))
