"""A theme's board is nudged over its WebSocket after a card is stored; strangers are shut out.

The route is served here through the same middleware as caseroom/asgi.py, since the project's
routing gains the workshop's route separately (see caseroom/workshops/routing.py)."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client

from caseroom.workshops import actions
from caseroom.workshops.access import SESSION_KEY
from caseroom.workshops.models import Participant, Theme
from caseroom.workshops.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)
application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))


def cookie_of(participant: Participant | None) -> bytes:
    client = Client()
    session = client.session
    if participant is not None:
        session[SESSION_KEY] = {str(participant.workshop_id): participant.pk}
    session.save()
    return f"sessionid={session.session_key}".encode()


async def connect(theme: Theme, cookie: bytes) -> tuple[WebsocketCommunicator, bool]:
    communicator = WebsocketCommunicator(
        application, f"/ws/workshop/theme/{theme.pk}/", headers=[(b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    return communicator, connected


def test_a_phone_on_the_board_is_nudged_when_someone_posts(
    theme: Theme, ana: Participant, boris: Participant
) -> None:
    cookie = cookie_of(boris)

    async def run() -> Any:
        communicator, connected = await connect(theme, cookie)
        assert connected
        await sync_to_async(actions.post_card)(ana, theme, kind="gap", text="Slow MLA")
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    assert async_to_sync(run)() == {"theme": theme.pk, "seq": 1}


def test_a_browser_that_has_not_joined_is_refused(theme: Theme) -> None:
    cookie = cookie_of(None)

    async def run() -> bool:
        communicator, connected = await connect(theme, cookie)
        await communicator.disconnect()
        return connected

    assert async_to_sync(run)() is False
