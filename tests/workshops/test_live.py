"""A theme's board is nudged over its WebSocket after a card is stored; strangers are shut out.

The route is served here through the same middleware as caseroom/asgi.py, since the project's
routing gains the workshop's route separately (see caseroom/workshops/routing.py)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from caseroom.workshops import actions, live
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


def test_a_burst_of_posts_nudges_twice_the_first_and_the_newest_version() -> None:
    sent: list[int] = []

    async def send(seq: int) -> None:
        sent.append(seq)

    async def burst() -> None:
        await asyncio.gather(*(live.coalesced(7, version, send) for version in range(1, 31)))

    asyncio.run(burst())
    assert sent == [1, 30]


def test_every_phone_gets_the_shared_board_with_its_own_token_and_vote_forms(
    theme: Theme, ana: Participant, boris: Participant
) -> None:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    cluster = actions.cluster_cards(theme, "Mutual legal assistance", [card])
    actions.set_voting(theme, True)
    url = reverse("workshops:board_part", args=[theme.pk])
    ana_phone, boris_phone = Client(enforce_csrf_checks=True), Client()
    for client, person in ((ana_phone, ana), (boris_phone, boris)):
        session = client.session
        session[SESSION_KEY] = {str(person.workshop_id): person.pk}
        session.save()
    for _ in range(theme.workshop.votes_per_theme):
        actions.vote(boris, cluster)

    ana_board = ana_phone.get(url).content.decode()
    boris_board = boris_phone.get(url).content.decode()

    assert "Slow MLA" in ana_board and "Slow MLA" in boris_board
    assert "Vote for" in ana_board and "Vote for" not in boris_board  # Boris has no vote left
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', ana_board)
    assert token is not None and not token.group(1).startswith("csrf-")  # filled in
    answer = ana_phone.post(
        reverse("workshops:vote", args=[cluster.pk]),
        {"csrfmiddlewaretoken": token.group(1), "key": "v9-once"},
    )
    assert answer.status_code == 302
