"""Live updates: after a change is committed, tell the team's and facilitator's browsers.

The message is only a nudge with the new event count; pages then fetch their fragments,
so a lost or late message never shows wrong data (and polling covers blocked sockets).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

if TYPE_CHECKING:
    from .models import Exercise, Team

log = logging.getLogger(__name__)

__all__ = [
    "ChannelPublisher",
    "Publisher",
    "after_commit",
    "every_team_after_commit",
    "exercise_group",
    "publisher",
    "team_group",
]


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

        post(send_both())


_pending: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks


def post(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run `coroutine` on the server's event loop without waiting for it.

    Called after the transaction has committed: the command is stored, so the person
    who acted need not wait for the nudges to go out (on a busy server that wait was a
    third of an action's time). Outside a server (commands, tests) there is no loop to
    hand it to: run it to the end here.
    """
    loop = _server_loop()
    if loop is None:

        async def run() -> None:
            await coroutine

        async_to_sync(run)()
        return

    def start() -> None:
        task = loop.create_task(coroutine)
        _pending.add(task)
        task.add_done_callback(_finished)

    try:
        loop.call_soon_threadsafe(start)
    except RuntimeError:  # the server is shutting down: the change is stored, pages poll
        coroutine.close()
        log.warning("A live update was not sent: the event loop has closed")


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the ASGI server that runs this sync thread's request, if any
    (asgiref records it for the threads it runs sync code in)."""
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop: asyncio.AbstractEventLoop | None = getattr(local, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def in_server() -> bool:
    """Whether this thread answers a request of a running ASGI server (else `post` runs its
    coroutine to the end before returning: a command or a test)."""
    return _server_loop() is not None


def _finished(task: asyncio.Task[None]) -> None:
    _pending.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("A live update could not be sent", exc_info=task.exception())


class RecordingPublisher:
    """For tests: remembers what was published."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int, int]] = []

    def team_changed(self, exercise_id: int, team_id: int, seq: int) -> None:
        self.sent.append((exercise_id, team_id, seq))


publisher: Publisher = ChannelPublisher()


def after_commit(team: Team, seq: int | None = None) -> None:
    """Nudge the team's and the facilitators' pages once the transaction commits (at
    once outside one), with the team's event count `seq` (default: as the row says)."""
    exercise_id, team_id = team.exercise_id, team.pk
    count = team.event_count if seq is None else seq
    transaction.on_commit(lambda: publisher.team_changed(exercise_id, team_id, count))


def every_team_after_commit(exercise: Exercise) -> None:
    """A change to the whole exercise (status, time box): every team's pages hear of it."""
    for team in exercise.teams.all():
        after_commit(team)
