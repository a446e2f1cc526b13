"""WebSocket endpoint: a nudge to the phones showing one theme's board."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from caseroom.exercises.consumers import LiveConsumer

from .access import participant_id, role_in
from .live import theme_group
from .models import Participant, Theme


class ThemeConsumer(LiveConsumer):
    """Joined phones of the theme's workshop and its facilitator; anyone else is closed 4403.
    Reuses the exercises' consumer for its lean dispatch and group bookkeeping."""

    async def connect(self) -> None:
        pk = int(self.scope["url_route"]["kwargs"]["pk"])
        self.group = await self._theme_group(pk) if 0 < pk < 2**63 else None
        if self.group is None:
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def theme_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"theme": event["theme"], "seq": event["seq"]})

    @database_sync_to_async  # type: ignore[untyped-decorator]  # channels has no stubs
    def _theme_group(self, pk: int) -> str | None:
        theme = Theme.objects.select_related("workshop").filter(pk=pk).first()
        if theme is None:
            return None
        pid = participant_id(self.scope.get("session"), theme.workshop_id)
        if pid is not None and Participant.objects.filter(pk=pid, workshop=theme.workshop).exists():
            return theme_group(pk)
        if role_in(self.scope.get("user"), theme.workshop) is not None:
            return theme_group(pk)
        return None
