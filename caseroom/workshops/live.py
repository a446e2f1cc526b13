"""Live updates of a theme's board: a nudge with the board's version after the commit
(coalesced in a burst, see ChannelPublisher).

Only a nudge: phones then re-fetch the board part (which answers 204 when unchanged), so a
lost message never shows wrong data and app.js's polling covers a blocked socket. Sent
through exercises.live.post, which hands it to the server's event loop without waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from channels.layers import get_channel_layer
from django.db import transaction

from caseroom.exercises.live import post

__all__ = ["ChannelPublisher", "Publisher", "RecordingPublisher", "after_commit", "theme_group"]


def theme_group(theme_id: int) -> str:
    return f"workshop-theme-{theme_id}"


class Publisher(Protocol):
    def theme_changed(self, theme_id: int, version: int) -> None: ...


# A burst (a room of phones posting at once) would send every phone one nudge per card, and
# each nudge asks for the board again: the first nudge goes out at once, then at most one per
# window, carrying the newest version. Kept on the server's event loop, which is one thread.
WINDOW_SECONDS = 0.1
_window: dict[int, int] = {}  # theme → newest version seen while its window is open


async def coalesced(theme_id: int, version: int, send: Callable[[int], Awaitable[None]]) -> None:
    """Sends `version` at once unless the theme's window is open; then the window's newest
    version goes out once when it closes."""
    if theme_id in _window:
        _window[theme_id] = max(_window[theme_id], version)
        return
    _window[theme_id] = version
    try:
        await send(version)
        await asyncio.sleep(WINDOW_SECONDS)
    finally:
        newest = _window.pop(theme_id, version)
    if newest > version:
        await send(newest)


class ChannelPublisher:
    def theme_changed(self, theme_id: int, version: int) -> None:
        layer = get_channel_layer()
        if layer is None:
            return

        async def send(seq: int) -> None:
            message = {"type": "theme.changed", "theme": theme_id, "seq": seq}
            await layer.group_send(theme_group(theme_id), message)

        post(coalesced(theme_id, version, send))


class RecordingPublisher:
    """For tests: remembers what was published."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int]] = []

    def theme_changed(self, theme_id: int, version: int) -> None:
        self.sent.append((theme_id, version))


publisher: Publisher = ChannelPublisher()


def after_commit(theme_id: int, version: int) -> None:
    transaction.on_commit(lambda: publisher.theme_changed(theme_id, version))
