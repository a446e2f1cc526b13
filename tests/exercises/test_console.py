"""The facilitator's pages: exercises, the live console, and the scenario upload."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Message, Participant, TeamEvent
from caseroom.scenarios.models import ScenarioVersion
from tests.exercises.support import (
    BORDER,
    PROSECUTOR,
    htmx,
    player,
    teams,
)

pytestmark = pytest.mark.django_db


def console(exercise: Exercise, rest: str = "") -> str:
    return f"/facilitate/{exercise.pk}/{rest}"


def test_my_exercises_lists_only_mine_and_creates_one_with_me_as_facilitator(
    night_exercise: Exercise, trainer: User, trainer_client: Client, night_version: ScenarioVersion
) -> None:
    assert b"Skopje workshop" not in trainer_client.get("/facilitate/").content
    response = trainer_client.post(
        "/facilitate/",
        {"scenario": night_version.pk, "title": "Ohrid", "date": "2026-05-04", "location": "Ohrid"},
    )
    created = Exercise.objects.get(title="Ohrid")
    assert response["Location"] == console(created)
    assert list(created.facilitators.all()) == [trainer]
    assert b"Ohrid" in trainer_client.get("/facilitate/").content


def test_the_console_shows_the_join_code_and_its_qr_code(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    page = facilitator_client.get(console(night_exercise)).content.decode()
    assert f'class="join-code" aria-label="Join code">{night_exercise.join_code}<' in page
    assert "<svg" in page and f"http://testserver/join/{night_exercise.join_code}/" in page
    assert f'data-live-url="/ws/exercise/{night_exercise.pk}/"' in page


def test_status_buttons_pause_resume_and_end(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    for status in ["paused", "running", "ended"]:
        facilitator_client.post(console(night_exercise, "status/"), {"status": status})
        night_exercise.refresh_from_db()
        assert night_exercise.status == status


def test_teams_are_created_balanced_and_roles_assigned(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    facilitator_client.post(console(night_exercise, "create-teams/"), {"count": 2})
    assert night_exercise.teams.count() == 4
    for name in ["A", "B", "C", "D"]:
        actions.join(night_exercise, name=name, country="MK")
    facilitator_client.post(console(night_exercise, "balance/"))
    assert not Participant.objects.filter(team=None).exists()
    person = Participant.objects.get(name="A")
    target = teams(night_exercise)[1]
    facilitator_client.post(
        console(night_exercise, "roles/"),
        {"participant": person.pk, "team": target.pk, "roles": [BORDER, PROSECUTOR]},
    )
    person.refresh_from_db()
    assert (person.team, person.roles) == (target, [BORDER, PROSECUTOR])


def test_an_inject_fires_for_one_team_or_all(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    first, second = teams(night_exercise)
    facilitator_client.post(
        console(night_exercise, "inject/"),
        {"team": first.pk, "inject": "sister-calls", "key": "i1"},
    )
    assert TeamEvent.objects.filter(team=first).count() == 1
    response = facilitator_client.post(
        console(night_exercise, "inject/"),
        {"team": "all", "inject": "sister-calls", "key": "i2"},
        follow=True,
    )
    assert TeamEvent.objects.filter(team=second).count() == 1
    assert TeamEvent.objects.filter(team=first).count() == 1  # it had fired there already
    assert b"already fired" in response.content


def test_an_inject_reaches_a_paused_exercise(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    actions.set_status(night_exercise, Exercise.Status.PAUSED)
    facilitator_client.post(
        console(night_exercise, "inject/"), {"team": "all", "inject": "sister-calls", "key": "i1"}
    )
    assert TeamEvent.objects.count() == 2


def test_a_facilitator_message_reaches_the_team_once(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    participant_client, _ = player(night_exercise, "Ana", [BORDER])
    for _ in range(2):
        facilitator_client.post(
            console(night_exercise, "message/"),
            {"team": "all", "body": "Ten minutes left.", "key": "m1"},
        )
    assert Message.objects.filter(channel=Message.Channel.FACILITATOR).count() == 2  # one per team
    page = participant_client.get(f"/x/{night_exercise.pk}/play/").content.decode()
    assert "Ten minutes left." in page and "Facilitator" in page


def test_the_team_chat_view_shows_both_channels(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    participant_client, _ = player(night_exercise, "Ana", [BORDER])
    htmx(
        participant_client,
        f"/x/{night_exercise.pk}/play/message/cross-border/",
        {"key": "c", "body": "To Belgrade"},
    )
    htmx(
        participant_client,
        f"/x/{night_exercise.pk}/play/message/team/",
        {"key": "t", "body": "To us"},
    )
    page = facilitator_client.get(
        console(night_exercise, f"team/{teams(night_exercise)[0].pk}/chat/")
    )
    assert b"To Belgrade" in page.content and b"To us" in page.content


def test_the_facilitator_ends_a_teams_case_with_an_ending(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    participant_client, _ = player(night_exercise, "Ana", [BORDER])
    team = teams(night_exercise)[0]
    facilitator_client.post(
        console(night_exercise, "end/"), {"team": team.pk, "ending": "driver-charged", "key": "e"}
    )
    page = participant_client.get(f"/x/{night_exercise.pk}/play/").content.decode()
    assert "The driver is charged, the boy is protected" in page
    assert "Your team&#x27;s score" in page or "Your team's score" in page


def test_the_facilitator_moves_a_team_on_to_another_scene(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    participant_client, _ = player(night_exercise, "Ana", [BORDER])
    team = teams(night_exercise)[0]
    page = facilitator_client.get(console(night_exercise, "")).content
    assert b"Move the team here" in page
    assert f"/facilitate/{night_exercise.pk}/debrief/".encode() in page  # debrief across teams
    assert f"/facilitate/{night_exercise.pk}/team/{team.pk}/debrief/".encode() in page
    facilitator_client.post(
        console(night_exercise, "jump/"), {"team": team.pk, "scene": "follow-up", "key": "j"}
    )
    facilitator_client.post(
        console(night_exercise, "jump/"), {"team": team.pk, "scene": "follow-up", "key": "j"}
    )
    events = list(TeamEvent.objects.filter(team=team).values_list("payload", flat=True))
    assert [e["type"] for e in events] == ["jump"]  # the double click was applied once
    page = participant_client.get(f"/x/{night_exercise.pk}/play/").content.decode()
    assert "The case and the" in page  # the title of the scene the team was moved to


def test_free_text_answers_are_listed_and_graded_once(
    exercise: Exercise, facilitator_client: Client
) -> None:
    client_p, _ = player(exercise, "Petar", ["prosecutor-rs", "police-rs"])
    url = f"/x/{exercise.pk}/play/act/"
    htmx(client_p, url, {"role": "police-rs", "action": "treat-as-victim", "key": "a"})
    htmx(
        client_p,
        url,
        {
            "role": "prosecutor-rs",
            "action": "grounds",
            "key": "b",
            "text": "Proceeds of smuggling.",
        },
    )
    page = facilitator_client.get(console(exercise)).content.decode()
    assert "Proceeds of smuggling." in page and 'name="points-legal"' in page
    step = re.search(r'name="step" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    team = teams(exercise)[0]
    facilitator_client.post(
        console(exercise, "grade/"), {"team": team.pk, "step": step, "points-legal": 2, "key": "g"}
    )
    assert TeamEvent.objects.filter(team=team).last().payload["points"] == {"legal": 2}  # type: ignore[union-attr]
    assert 'name="points-legal"' not in facilitator_client.get(console(exercise)).content.decode()
    too_many = facilitator_client.post(
        console(exercise, "grade/"),
        {"team": team.pk, "step": step, "points-legal": 2, "key": "h"},
        follow=True,
    )
    assert b"already graded" in too_many.content


def test_the_console_flags_a_stuck_team_and_shows_the_last_actions(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    team = teams(night_exercise)[0]
    actions.command(team, Event("act", role=BORDER, ref="secure-and-separate", actor="Ana"))
    TeamEvent.objects.update(created_at="2020-01-01T00:00:00Z")
    page = facilitator_client.get(console(night_exercise, "teams/")).content.decode()
    assert f'id="team-{team.pk}"' in page
    assert "stuck?" in page
    assert "Ana (Border police shift commander (North Macedonia))" in page


def test_the_console_needs_few_queries_however_many_teams(
    night_exercise: Exercise, facilitator_client: Client, django_assert_max_num_queries: object
) -> None:
    actions.create_teams(night_exercise, 3)
    for index, team in enumerate(teams(night_exercise)):
        player(night_exercise, f"P{index}", [BORDER], team)
        actions.command(
            team, Event("act", role=BORDER, ref="secure-and-separate", actor=f"P{index}")
        )
    # Warms the sessions cache, as a running console does.
    facilitator_client.get(console(night_exercise))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = facilitator_client.get(console(night_exercise))
    assert response.content.count(b'class="card team-card') == 5
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        facilitator_client.get(console(night_exercise, "teams/"))


# ---------------------------------------------------------------- admin upload


def test_the_admin_sends_uploads_to_the_scenarios_page(admin_client: Client) -> None:
    """Uploading moved to the trainers' Scenarios page (tests/scenarios/test_upload_page.py
    covers bad and good zips there); the admin's list links to it and refuses to add."""
    changelist = admin_client.get("/admin/scenarios/scenarioversion/")
    assert b'href="/scenarios/upload/"' in changelist.content
    assert b"Caseroom administration" in changelist.content
