"""Hostile or broken input to the participant and facilitator endpoints: a clear 4xx, nothing
stored, never a 500 (PostgreSQL is stricter than SQLite: both suites run these)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from caseroom.exercises.models import Exercise, Message, Participant, Team, TeamEvent
from tests.exercises.support import BORDER, htmx, player
from tests.exercises.test_live import connect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("pk", ["9" * 25, str(2**63), "0"])
def test_a_socket_for_an_impossible_id_is_closed_not_crashed(pk: str) -> None:
    async def run() -> bool:
        _, connected = await connect(f"/ws/team/{pk}/", None)
        return connected

    assert async_to_sync(run)() is False


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("message/team/", {"body": "hi\x00there"}),
        ("act/", {"role": BORDER, "action": "secure-and-separate", "key": "k\x00"}),
        ("act/", {"role": BORDER, "action": "write-note", "text": "a\x00b"}),
    ],
)
def test_nul_characters_are_refused_with_a_message(
    night_exercise: Exercise, path: str, data: dict[str, str]
) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    answer = htmx(client, f"/x/{night_exercise.pk}/play/{path}", data)
    assert answer.status_code == 400
    assert "NUL character" in answer.content.decode()
    assert not Message.objects.exists() and not TeamEvent.objects.exists()


def test_a_nul_in_a_name_is_refused_at_the_join(night_exercise: Exercise) -> None:
    team = Team.objects.filter(exercise=night_exercise).first()
    assert team is not None
    answer = Client().post(
        f"/join/{night_exercise.join_code}/",
        {"name": "A\x00na", "agency": "x", "country": "MK", "team": team.pk, "roles": [BORDER]},
    )
    assert answer.status_code == 400
    assert not Participant.objects.exists()


def test_a_nul_in_a_query_string_is_refused(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    answer = facilitator_client.get("/analysis/?country=%00")
    assert answer.status_code == 400
