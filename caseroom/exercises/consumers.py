"""WebSocket endpoints: a nudge to the team's members or the exercise's facilitators."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .access import is_facilitator, participant_id_from_session
from .live import exercise_group, team_group
from .models import Exercise, Participant


class LiveConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str | None = None

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        self.group = await self._group_for(kwargs["kind"], int(kwargs["pk"]))
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
