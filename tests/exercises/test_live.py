"""Live updates over WebSockets: members of a team, and facilitators, are nudged at once."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from caseroom.asgi import application
from caseroom.engine import Event
from caseroom.exercises import actions
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
    headers = [(b"origin", b"http://testserver")]
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


@pytest.mark.parametrize("who", ["anonymous", "other team", "outsider staff"])
def test_strangers_cannot_listen(
    exercise: Exercise, team: Team, rival: Participant, outsider: User, who: str
) -> None:
    cookie = {
        "anonymous": None,
        "other team": participant_cookie(rival),
        "outsider staff": user_cookie(outsider),
    }[who]

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
