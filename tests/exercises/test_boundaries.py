"""What a participant or a user must never reach: other roles, teams, exercises, consoles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from caseroom.asgi import application
from caseroom.debrief.models import Annotation
from caseroom.exercises import actions
from caseroom.exercises.access import SESSION_KEY
from caseroom.exercises.models import Exercise, TeamEvent
from tests.exercises.support import (
    BORDER,
    POLICE_RS,
    PROSECUTOR,
    htmx,
    player,
    teams,
)

pytestmark = pytest.mark.django_db


def url(exercise: Exercise, rest: str = "") -> str:
    return f"/x/{exercise.pk}/play/{rest}"


def test_a_participant_cannot_open_another_roles_private_document(night_exercise: Exercise) -> None:
    border, _ = player(night_exercise, "Ana", [BORDER])
    rs, _ = player(night_exercise, "Rade", [POLICE_RS])
    htmx(
        border,
        url(night_exercise, "act/"),
        {"role": BORDER, "action": "secure-and-separate", "key": "k"},
    )
    assert border.get(url(night_exercise, "doc/doc-interception-report/")).status_code == 200
    assert rs.get(url(night_exercise, "doc/doc-interception-report/")).status_code == 404
    assert b"doc-interception-report" not in rs.get(url(night_exercise)).content


def test_a_locked_document_and_unknown_files_are_not_served(night_exercise: Exercise) -> None:
    border, _ = player(night_exercise, "Ana", [BORDER])
    assert border.get(url(night_exercise, "doc/doc-phone-messages/")).status_code == 404
    assert (
        border.get(url(night_exercise, "doc/doc-van-photo/image")).status_code == 404
    )  # not yet unlocked
    assert border.get(url(night_exercise, "doc/..%2Fscenario.yaml/image")).status_code == 404
    assert (
        border.get(url(night_exercise, "doc/doc-legal-note/image")).status_code == 404
    )  # no image


def test_a_participant_cannot_act_as_a_role_they_do_not_hold(night_exercise: Exercise) -> None:
    client, _ = player(night_exercise, "Petar", [PROSECUTOR])
    for path, data in [
        ("act/", {"role": BORDER, "action": "secure-and-separate", "key": "a"}),
        ("approve/", {"role": BORDER, "action": "seize-phone", "key": "b"}),
        ("refuse/", {"role": BORDER, "action": "seize-phone", "key": "c", "other": "no"}),
        ("message/team/", {"role": BORDER, "body": "hi", "key": "d"}),
    ]:
        assert client.post(url(night_exercise, path), data).status_code == 403, path
    assert not TeamEvent.objects.exists()


def test_a_participant_acts_only_on_their_own_team(night_exercise: Exercise) -> None:
    first, second = teams(night_exercise)
    client, _ = player(night_exercise, "Ana", [BORDER], first)
    # A team id in the form is ignored: the team is the participant's.
    client.post(
        url(night_exercise, "act/"),
        {"role": BORDER, "action": "secure-and-separate", "key": "k", "team": second.pk},
    )
    assert list(TeamEvent.objects.values_list("team", flat=True)) == [first.pk]


def test_a_participant_cannot_reach_another_exercise(
    night_exercise: Exercise, night_version: Any
) -> None:
    other = Exercise.objects.create(
        title="Other", scenario=night_version, status=Exercise.Status.RUNNING
    )
    actions.create_teams(other, 1)
    client, _ = player(night_exercise, "Ana", [BORDER])
    assert client.get(url(other)).status_code == 404
    assert client.get(url(other, "part/scene/")).status_code == 404
    assert client.get(url(other, "doc/doc-legal-note/")).status_code == 404
    response = client.post(
        url(other, "act/"), {"role": BORDER, "action": "secure-and-separate", "key": "k"}
    )
    assert response.status_code == 404
    assert not TeamEvent.objects.exists()


def test_a_stranger_sees_nothing_of_an_exercise(night_exercise: Exercise) -> None:
    stranger = Client()
    for path in ["", "part/feed/", "part/chat/?channel=team", "doc/doc-legal-note/"]:
        assert stranger.get(url(night_exercise, path)).status_code == 404, path
    assert stranger.post(url(night_exercise, "wait/"), {"key": "k"}).status_code == 404


def test_a_forged_session_for_a_participant_of_another_exercise_is_refused(
    night_exercise: Exercise, night_version: Any
) -> None:
    other = Exercise.objects.create(
        title="Other", scenario=night_version, status=Exercise.Status.RUNNING
    )
    actions.create_teams(other, 1)
    _, stranger = player(other, "Zed", [BORDER])
    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(night_exercise.pk): stranger.pk}
    session.save()
    assert client.get(url(night_exercise)).status_code == 404


def _socket(path: str, client: Client) -> bool:
    """Whether a WebSocket with this browser's cookies is accepted."""
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)]

    async def connect() -> bool:
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return bool(connected)

    return async_to_sync(connect)()


@pytest.mark.django_db(transaction=True)
def test_the_sockets_are_only_for_the_teams_members_and_facilitators(
    night_exercise: Exercise, facilitator_client: Client, trainer_client: Client
) -> None:
    first, second = teams(night_exercise)
    me, _ = player(night_exercise, "Ana", [BORDER], first)
    player(night_exercise, "Rival", [BORDER], second)
    assert _socket(f"/ws/team/{first.pk}/", me)
    assert not _socket(f"/ws/team/{second.pk}/", me)
    assert not _socket(f"/ws/exercise/{night_exercise.pk}/", me)
    assert _socket(f"/ws/exercise/{night_exercise.pk}/", facilitator_client)
    assert not _socket(f"/ws/exercise/{night_exercise.pk}/", trainer_client)


def exercise_urls(prefix: str, exercise: Exercise, **values: object) -> list[str]:
    """Every URL of the URLconf under `prefix` for this exercise, its kwargs filled in: a
    new view is in the access matrix the day it exists (a hand-kept list missed three)."""
    found: list[str] = []

    def walk(patterns: list[Any], route: str, namespace: str) -> None:
        for pattern in patterns:
            text = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, text, inner)
                continue
            if not text.lstrip("^").startswith(prefix):
                continue
            names = (
                list(pattern.pattern.regex.groupindex)
                if isinstance(pattern.pattern, RegexPattern)
                else list(pattern.pattern.converters)
            )
            choices = dict(re.findall(r"\(\?P<(\w+)>(\w+)\|", text))  # e.g. fmt: csv
            kwargs = {n: values.get(n, choices.get(n, exercise.pk)) for n in names}
            kwargs["exercise_id"] = exercise.pk
            found.append(reverse(namespace + pattern.name, kwargs=kwargs))

    walk(get_resolver().url_patterns, "", "")
    return found


@pytest.fixture
def matrix_values(night_exercise: Exercise, facilitator: User) -> dict[str, object]:
    team = teams(night_exercise)[0]
    note = Annotation.objects.create(team=team, step=0, kind="comment", body="x")
    return {"team_id": team.pk, "pk": note.pk, "doc_id": "doc-legal-note", "part": "scene"}


def test_the_access_matrix_covers_every_console_view(
    night_exercise: Exercise, matrix_values: dict[str, object]
) -> None:
    urls = exercise_urls("facilitate/<int:exercise_id>/", night_exercise, **matrix_values)
    for known in ("jump/", "timebox/", "timebox/part/", "rules/", "personal-code/"):
        assert f"/facilitate/{night_exercise.pk}/{known}" in urls, known
    assert len(urls) >= 25


def test_facilitator_pages_send_anonymous_visitors_to_log_in(
    night_exercise: Exercise, matrix_values: dict[str, object]
) -> None:
    client = Client()
    assert client.get("/facilitate/")["Location"].startswith("/accounts/login/")
    for full in exercise_urls("facilitate/<int:exercise_id>/", night_exercise, **matrix_values):
        for response in (client.get(full), client.post(full)):
            assert response.status_code == 302, full
            assert "/accounts/login/" in response["Location"], full


@pytest.mark.parametrize("who", ["trainer_client", "outsider_client"])
def test_facilitator_pages_are_404_for_other_staff_and_outsiders(
    night_exercise: Exercise,
    matrix_values: dict[str, object],
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    client: Client = request.getfixturevalue(who)
    for full in exercise_urls("facilitate/<int:exercise_id>/", night_exercise, **matrix_values):
        statuses = {
            client.get(full).status_code,
            client.post(full, {"status": "ended"}).status_code,
        }
        # 405 where the method is wrong; the other method must not find the exercise.
        assert statuses <= {404, 405} and 404 in statuses, (full, statuses)
    night_exercise.refresh_from_db()
    assert night_exercise.status == Exercise.Status.RUNNING
    assert night_exercise.title.encode() not in client.get("/facilitate/").content


def test_participant_pages_are_404_for_a_stranger(
    night_exercise: Exercise, matrix_values: dict[str, object]
) -> None:
    stranger = Client()
    urls = exercise_urls("x/<int:exercise_id>/", night_exercise, **matrix_values)
    assert len(urls) >= 11
    for full in urls:
        statuses = {stranger.get(full).status_code, stranger.post(full, {"key": "k"}).status_code}
        assert statuses <= {404, 405} and 404 in statuses, (full, statuses)
    assert not TeamEvent.objects.exists()


def test_a_facilitator_cannot_reach_a_team_of_another_exercise(
    night_exercise: Exercise, facilitator_client: Client, night_version: Any
) -> None:
    other = Exercise.objects.create(
        title="Other", scenario=night_version, status=Exercise.Status.RUNNING
    )
    foreign = actions.create_teams(other, 1)[0]
    chat = f"/facilitate/{night_exercise.pk}/team/{foreign.pk}/chat/"
    assert facilitator_client.get(chat).status_code == 404
    response = facilitator_client.post(
        f"/facilitate/{night_exercise.pk}/end/",
        {"team": foreign.pk, "ending": "boy-disappears", "key": "k"},
    )
    assert response.status_code == 404
    assert not TeamEvent.objects.exists()
