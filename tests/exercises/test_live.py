"""Live updates over WebSockets: members of a team, and facilitators, are nudged at once."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from caseroom.asgi import application
from caseroom.engine import Event
from caseroom.exercises import actions, live
from caseroom.exercises.access import SESSION_KEY
from caseroom.exercises.models import Exercise, Participant, Team

pytestmark = pytest.mark.django_db(transaction=True)


def participant_cookie(participant: Participant) -> bytes:
    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(participant.exercise_id): participant.pk}
    session.save()
    return f"sessionid={session.session_key}".encode()


def user_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(path: str, cookie: bytes | None) -> tuple[WebsocketCommunicator, bool]:
    # An origin the app serves on (the origin check is built with the hosts of settings).
    headers = [(b"origin", b"http://127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


def test_a_teammate_is_nudged_when_someone_acts(
    team: Team, ana: Participant, petar: Participant
) -> None:
    cookie = participant_cookie(petar)

    async def run() -> Any:
        communicator, connected = await connect(f"/ws/team/{team.pk}/", cookie)
        assert connected
        await sync_to_async(actions.command)(
            team, Event("act", role="police-rs", ref="treat-as-victim")
        )
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    assert async_to_sync(run)() == {"team": team.pk, "seq": 1}


def test_the_facilitator_console_is_nudged_for_every_team(
    exercise: Exercise, team: Team, other_team: Team, facilitator: User
) -> None:
    cookie = user_cookie(facilitator)

    async def run() -> Any:
        communicator, connected = await connect(f"/ws/exercise/{exercise.pk}/", cookie)
        assert connected
        await sync_to_async(actions.command)(
            other_team, Event("act", role="police-rs", ref="arrest-all")
        )
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    assert async_to_sync(run)() == {"team": other_team.pk, "seq": 1}


@pytest.mark.parametrize("who", ["anonymous", "other team", "other staff", "outsider"])
def test_strangers_cannot_listen(
    exercise: Exercise, team: Team, rival: Participant, request: pytest.FixtureRequest, who: str
) -> None:
    cookie = {
        "anonymous": lambda: None,
        "other team": lambda: participant_cookie(rival),
        "other staff": lambda: user_cookie(request.getfixturevalue("trainer")),
        "outsider": lambda: user_cookie(request.getfixturevalue("outsider")),
    }[who]()

    async def run() -> tuple[bool, bool]:
        _, team_ok = await connect(f"/ws/team/{team.pk}/", cookie)
        _, console_ok = await connect(f"/ws/exercise/{exercise.pk}/", cookie)
        return team_ok, console_ok

    assert async_to_sync(run)() == (False, False)


def test_the_redis_layer_never_times_out_an_idle_wait() -> None:
    from caseroom.settings import channel_layers

    (host,) = channel_layers("redis://127.0.0.1:6379/0")["default"]["CONFIG"]["hosts"]  # type: ignore[index]
    assert host == {"address": "redis://127.0.0.1:6379/0", "socket_timeout": None}
    assert channel_layers(None)["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_the_layer_is_redis_publish_subscribe_when_redis_is_configured() -> None:
    from caseroom.settings import channel_layers

    layer = channel_layers("redis://127.0.0.1:6379/0")["default"]
    assert layer["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"


def test_a_listener_quiet_for_longer_than_redis_timeouts_still_hears_the_next_nudge() -> None:
    """redis-py times reads out after 5 s unless told not to (channels_redis#422)."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from caseroom.settings import channel_layers

    url = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must give the suite a Redis server (TEST_REDIS_URL)")
        pytest.skip("no Redis server given (REDIS_URL or TEST_REDIS_URL)")
    layer = RedisPubSubChannelLayer(**channel_layers(url)["default"]["CONFIG"])  # type: ignore[arg-type]

    async def run() -> Any:
        channel = await layer.new_channel()
        await layer.group_add("quiet", channel)
        await asyncio.sleep(6)  # the quiet itself is what is tested
        await layer.group_send("quiet", {"type": "team.changed", "team": 1, "seq": 2})
        message = await asyncio.wait_for(layer.receive(channel), timeout=3)
        await layer.group_discard("quiet", channel)
        await layer.flush()
        return message

    assert async_to_sync(run)()["seq"] == 2


def test_whoever_acted_does_not_wait_for_the_nudges_to_go_out() -> None:
    async def run() -> tuple[list[str], list[str]]:
        gate, sent = asyncio.Event(), asyncio.Event()
        log: list[str] = []

        async def nudge() -> None:
            await gate.wait()  # a slow channel layer
            log.append("sent")
            sent.set()

        # A view's thread under the server's event loop posts the nudge and returns.
        await sync_to_async(live.post)(nudge())
        before = list(log)
        gate.set()
        await asyncio.wait_for(sent.wait(), timeout=3)
        return before, log

    assert async_to_sync(run)() == ([], ["sent"])


def test_outside_a_server_the_nudge_is_sent_before_returning() -> None:
    log: list[str] = []

    async def nudge() -> None:
        log.append("sent")

    live.post(nudge())  # a management command, a test: no event loop to hand it to
    assert log == ["sent"]


def test_a_page_from_another_site_cannot_open_a_socket(ana: Participant) -> None:
    cookie = participant_cookie(ana)

    async def run() -> bool:
        communicator = WebsocketCommunicator(
            application,
            f"/ws/team/{ana.team_id}/",
            headers=[(b"origin", b"http://evil.example"), (b"cookie", cookie)],
        )
        connected, _ = await communicator.connect()
        return bool(connected)

    assert async_to_sync(run)() is False
