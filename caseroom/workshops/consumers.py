"""WebSocket endpoint: a theme's new version to the screens showing its board, and to phones
the board itself in their language (see live.ChannelPublisher)."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from caseroom.exercises.consumers import LiveConsumer

from .access import participant_id, role_in
from .live import theme_group
from .models import Participant, Theme

# The newest pushed boards as sent, oldest first (a dict keeps its insertion order).
_encoded: dict[tuple[int, int, str], str] = {}


class ThemeConsumer(LiveConsumer):
    """Joined phones of the theme's workshop and its facilitator; anyone else is closed 4403.
    Reuses the exercises' consumer for its lean dispatch and group bookkeeping."""

    phone = False  # only a phone's page shows the shared board; the console fetches its own
    language = ""

    async def connect(self) -> None:
        pk = int(self.scope["url_route"]["kwargs"]["pk"])
        self.group = await self._theme_group(pk) if 0 < pk < 2**63 else None
        if self.group is None:
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def theme_changed(self, event: dict[str, Any]) -> None:
        html = event.get("html", {}).get(self.language) if self.phone else None
        if not isinstance(html, str):
            await self.send_json({"theme": event["theme"], "seq": event["seq"]})
            return
        key = (event["theme"], event["seq"], self.language)
        text = _encoded.get(key)
        if text is None:  # the same board goes to every phone of the process: encoded once
            message = {"theme": event["theme"], "seq": event["seq"]}
            text = json.dumps({**message, "voting": bool(event.get("voting")), "html": html})
            if len(_encoded) >= 16:
                _encoded.pop(next(iter(_encoded)))
            _encoded[key] = text
        await self.send(text_data=text)

    def _language(self) -> str:
        """The language the phone's pages are in: LocaleMiddleware's choice, from the cookie
        the language menu sets or else the browser's Accept-Language."""
        candidates = [self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")]
        for name, value in self.scope.get("headers", []):
            if name == b"accept-language":
                header = value.decode("latin-1")[:500]
                candidates += [code for code, _q in parse_accept_lang_header(header)]
        for candidate in candidates:
            if candidate and candidate != "*":
                try:
                    return get_supported_language_variant(candidate)
                except LookupError:
                    continue
        return settings.LANGUAGE_CODE

    @database_sync_to_async  # type: ignore[untyped-decorator]  # channels has no stubs
    def _theme_group(self, pk: int) -> str | None:
        theme = Theme.objects.select_related("workshop").filter(pk=pk).first()
        if theme is None:
            return None
        pid = participant_id(self.scope.get("session"), theme.workshop_id)
        if pid is not None and Participant.objects.filter(pk=pid, workshop=theme.workshop).exists():
            self.phone, self.language = True, self._language()
            return theme_group(pk)
        if role_in(self.scope.get("user"), theme.workshop) is not None:
            return theme_group(pk)
        return None
