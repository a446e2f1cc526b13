"""WebSocket endpoints: a nudge to the team's members or the exercise's facilitators."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .access import is_facilitator, participant_id_from_session
from .live import exercise_group, team_group
from .models import Exercise, Participant


class LiveConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str | None = None

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch without its `aclose_old_connections()` before every message.

        That call runs in the one thread that all of Django's sync code of a process
        shares, so every nudge to every listener queued behind the views: at 300 listeners
        it held actions up for seconds (benchmarks/load.py). A nudge touches no database;
        connecting does, through database_sync_to_async, which closes connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        pk = int(kwargs["pk"])
        # An id no row can have (the routing takes any digits) is a stranger's guess.
        known = kwargs["kind"] in ("team", "exercise") and 0 < pk < 2**63
        self.group = await self._group_for(kwargs["kind"], pk) if known else None
        if self.group is None:
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def team_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"team": event["team"], "seq": event["seq"]})

    @database_sync_to_async
    def _group_for(self, kind: str, pk: int) -> str | None:
        session = self.scope.get("session")
        if kind == "team":
            participant = Participant.objects.filter(team_id=pk).values("exercise_id").first()
            if participant is None:
                return None
            pid = participant_id_from_session(session, participant["exercise_id"])
            if pid is not None and Participant.objects.filter(pk=pid, team_id=pk).exists():
                return team_group(pk)
            return None
        if kind == "exercise":
            exercise = Exercise.objects.filter(pk=pk).first()
            if exercise is not None and is_facilitator(self.scope.get("user"), exercise):
                return exercise_group(pk)
        return None
