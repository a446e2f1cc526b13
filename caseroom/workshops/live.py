"""Live updates of a theme's board: after the commit, the board's version and, for phones,
the board itself (coalesced in a burst, see ChannelPublisher).

A room posting at once made every phone fetch the board three or four times per burst (100
phones: 400 requests, 3.8 s p95 until a card showed everywhere); the board every phone sees is
the same at one version, so it is rendered once and carried in the message. A phone that
cannot use it (another language, a voting state that changed, a board too large to push)
fetches its part as before, which answers 204 when unchanged: a lost message never shows wrong
data and app.js's polling covers a blocked socket. Sent through exercises.live.post, which
hands it to the server's event loop without waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from caseroom.exercises.live import in_server, post

from .board import pushed
from .models import Theme

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["ChannelPublisher", "Publisher", "RecordingPublisher", "after_commit", "theme_group"]


def theme_group(theme_id: int) -> str:
    return f"workshop-theme-{theme_id}"


class Publisher(Protocol):
    def theme_changed(self, theme_id: int, version: int) -> None: ...


# A burst (a room of phones posting at once) would send every phone one board per card. One
# sender per theme, across all of the server's workers (a lock in the shared cache): it pushes
# the board as it is, then looks again after each window and pushes again while it changed.
# A change committed while the lock is held leaves its push to that sender.
WINDOW_SECONDS = 0.25
LOCK_SECONDS = 5.0  # a worker that dies holding the lock stops blocking pushes after this


class Turn:
    """The right to push one theme's board, and the theme's version as the database has it."""

    def __init__(self, theme_id: int) -> None:
        self.theme_id = theme_id
        self.key = f"workshop-push:{theme_id}"

    def claim(self) -> bool:
        return bool(cache.add(self.key, "1", LOCK_SECONDS))

    def version(self) -> int:
        cache.touch(self.key, LOCK_SECONDS)
        return self._stored()

    def release(self) -> int:
        """Gives the turn up and answers the version after that: a change committed while it
        was held may have left its push to this sender."""
        cache.delete(self.key)
        return self._stored()

    def _stored(self) -> int:
        found = Theme.objects.filter(pk=self.theme_id).values_list("version", flat=True).first()
        return found or 0


def in_thread(function: Callable[[], T]) -> Callable[[], Awaitable[T]]:
    # Not thread-sensitive: the sender was posted from a request, whose sync thread (which
    # thread-sensitive calls would use) is gone once it has answered.
    return database_sync_to_async(function, thread_sensitive=False)  # type: ignore[no-any-return]


async def keep_pushing(
    turn: Turn, send: Callable[[], Awaitable[int]], window: float = WINDOW_SECONDS
) -> None:
    """Holding `turn`: pushes, then after each window pushes again if the theme changed;
    gives the turn up when a window passed without change. `send` answers the version it
    pushed."""
    held = True
    try:
        sent = await send()
        while True:
            await asyncio.sleep(window)
            newest = await in_thread(turn.version)()
            if newest <= sent:
                held = False
                newest = await in_thread(turn.release)()
                if newest <= sent:
                    return
                held = await in_thread(turn.claim)()
                if not held:
                    return  # another worker's sender took it and pushes this version
            sent = max(newest, await send())
    finally:
        if held:
            await in_thread(turn.release)()


class ChannelPublisher:
    def theme_changed(self, theme_id: int, version: int) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        turn = Turn(theme_id)
        if not turn.claim():
            return  # the sender holding it looks again when its window closes

        async def send() -> int:
            message: dict[str, object] = {"type": "theme.changed", "theme": theme_id}
            try:
                board = await in_thread(lambda: pushed(theme_id))()
            except Exception:  # the nudge still goes out: phones fetch what could not be pushed
                log.exception("The board of theme %s could not be rendered to push", theme_id)
                board = None
            seq = version if board is None else board.version
            message["seq"] = seq
            if board is not None:
                message.update(voting=board.voting, html=board.html)
            await layer.group_send(theme_group(theme_id), message)
            return seq

        # Outside a server (loaddemo, tests) `post` waits for the sender: no window to wait in.
        post(keep_pushing(turn, send, WINDOW_SECONDS if in_server() else 0.0))


class RecordingPublisher:
    """For tests: remembers what was published."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int]] = []

    def theme_changed(self, theme_id: int, version: int) -> None:
        self.sent.append((theme_id, version))


publisher: Publisher = ChannelPublisher()


def after_commit(theme_id: int, version: int) -> None:
    transaction.on_commit(lambda: publisher.theme_changed(theme_id, version))
