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
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.workshops import actions, board, live
from caseroom.workshops.access import SESSION_KEY
from caseroom.workshops.models import Card, Participant, Theme
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


def first_message(theme: Theme, cookie: bytes, poster: Participant, text: str) -> Any:
    """What a screen on the theme's socket hears when `poster` posts `text`."""

    async def run() -> Any:
        communicator, connected = await connect(theme, cookie)
        assert connected
        await sync_to_async(actions.post_card)(poster, theme, kind="gap", text=text)
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    return async_to_sync(run)()


def test_a_phone_on_the_board_receives_the_new_board_when_someone_posts(
    theme: Theme, ana: Participant, boris: Participant
) -> None:
    message = first_message(theme, cookie_of(boris), ana, "Slow MLA")

    assert (message["theme"], message["seq"], message["voting"]) == (theme.pk, 1, False)
    assert "Slow MLA" in message["html"] and "Gaps and challenges" in message["html"]


def test_the_pushed_board_carries_no_token_placeholder_and_marks_its_vote_forms(
    theme: Theme, ana: Participant, boris: Participant
) -> None:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    actions.cluster_cards(theme, "Mutual legal assistance", [card])
    actions.set_voting(theme, True)

    message = first_message(theme, cookie_of(boris), ana, "No interpreters at night")

    assert message["voting"] is True and "No interpreters at night" in message["html"]
    assert 'name="csrfmiddlewaretoken" value=""' in message["html"]  # app.js sets its own
    assert "csrf-" not in message["html"]
    assert "data-vote" in message["html"]  # app.js removes these when no vote is left


def test_a_phone_gets_the_board_in_the_language_its_pages_are_in(
    theme: Theme, ana: Participant
) -> None:
    reader = actions.join(theme.workshop, name="Marija", country="North Macedonia", agency="MVR")
    reader.language = "mk"
    reader.save(update_fields=["language"])
    cookie = cookie_of(reader) + b"; django_language=mk"

    message = first_message(theme, cookie, ana, "Slow MLA")

    assert "Slow MLA" in message["html"]
    assert "Gaps and challenges" not in message["html"]  # Macedonian headings


def test_the_facilitators_console_is_only_nudged(
    theme: Theme, ana: Participant, facilitator: User
) -> None:
    client = Client()
    client.force_login(facilitator)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    assert first_message(theme, cookie, ana, "Slow MLA") == {"theme": theme.pk, "seq": 1}


def test_a_browser_that_has_not_joined_is_refused(theme: Theme) -> None:
    cookie = cookie_of(None)

    async def run() -> bool:
        communicator, connected = await connect(theme, cookie)
        await communicator.disconnect()
        return connected

    assert async_to_sync(run)() is False


class FakeTurn(live.Turn):
    """A theme whose version the test moves, with the lock in memory."""

    def __init__(self) -> None:
        super().__init__(7)
        self.now, self.held, self.claims = 0, False, 0
        self.on_release: list[int] = []  # versions committed while the sender releases

    def claim(self) -> bool:
        self.claims += 1
        if self.held:
            return False
        self.held = True
        return True

    def version(self) -> int:
        return self.now

    def release(self) -> int:
        self.held = False
        if self.on_release:
            self.now = self.on_release.pop()
        return self.now


def pushes(turn: FakeTurn, during_first_window: int | None = None) -> list[int]:
    """The versions the sender pushes; `during_first_window` is committed after the first."""
    sent: list[int] = []

    async def send() -> int:
        sent.append(turn.now)
        if during_first_window is not None and len(sent) == 1:
            turn.now = during_first_window
        return sent[-1]

    assert turn.claim()
    asyncio.run(live.keep_pushing(turn, send))
    return sent


def test_a_burst_is_pushed_once_then_once_more_with_its_newest_version() -> None:
    turn = FakeTurn()
    turn.now = 1

    assert pushes(turn, during_first_window=30) == [1, 30]
    assert turn.held is False


def test_a_quiet_window_ends_the_turn() -> None:
    turn = FakeTurn()
    turn.now = 4

    assert pushes(turn) == [4]
    assert turn.held is False and turn.claim()  # the next change starts a new sender


def test_a_change_committed_while_the_turn_is_given_up_is_still_pushed() -> None:
    turn = FakeTurn()
    turn.now = 4
    turn.on_release.append(5)

    assert pushes(turn) == [4, 5]


def test_while_one_worker_pushes_a_theme_no_other_starts_to(theme: Theme) -> None:
    first, second = live.Turn(theme.pk), live.Turn(theme.pk)  # two workers, one cache

    assert first.claim() and not second.claim()
    assert first.release() == theme.version
    assert second.claim()
    second.release()


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


def test_a_version_met_again_after_a_restore_is_not_served_from_the_cache(
    theme: Theme, ana: Participant
) -> None:
    actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    theme.refresh_from_db()
    assert "Slow MLA" in board.shared_html(theme)
    # A restore brings back an older database: the same version number, other cards.
    Card.objects.filter(theme=theme).delete()
    actions.post_card(ana, theme, kind="gap", text="No interpreters")
    Theme.objects.filter(pk=theme.pk).update(version=1)
    theme.refresh_from_db()

    shown = board.shared_html(theme)

    assert "No interpreters" in shown and "Slow MLA" not in shown
