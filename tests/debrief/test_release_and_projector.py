"""Participants see their own team's debrief once released; the projector mode."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.debrief import notes
from caseroom.debrief.models import Annotation, read_debrief
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team
from tests.exercises.support import as_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(team: Team, other_team: Team) -> None:
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    actions.command(other_team, Event("act", role="police-rs", ref="treat-as-victim", actor="R"))


def release_after_the_end(exercise: Exercise) -> None:
    actions.set_status(exercise, Exercise.Status.ENDED)
    notes.release(exercise, True)


def test_the_debrief_is_hidden_until_released(
    exercise: Exercise, ana: Participant, played: None
) -> None:
    url = reverse("debrief_participant", args=[exercise.pk])
    response = as_participant(ana).get(url)
    assert response.status_code == 403
    assert "has not released the debrief yet" in response.content.decode()


def test_a_participant_sees_only_their_own_teams_debrief(
    exercise: Exercise, ana: Participant, rival: Participant, other_team: Team, played: None
) -> None:
    release_after_the_end(exercise)
    page = as_participant(ana).get(reverse("debrief_participant", args=[exercise.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Arrest everyone for illegal crossing." in text
    assert ana.team is not None and ana.team.name in text
    assert other_team.name not in text
    assert "Good screening." not in text  # the feedback of the other team's move
    assert "Annotate this step" not in text  # no facilitator tools
    assert reverse("debrief_exercise", args=[exercise.pk]) not in text


def test_participants_see_the_facilitators_marks_but_cannot_change_them(
    exercise: Exercise, ana: Participant, team: Team, played: None
) -> None:
    Annotation.objects.create(team=team, step=0, kind="good-practice", body="Well argued.")
    release_after_the_end(exercise)
    client = as_participant(ana)
    assert (
        "Well argued."
        in client.get(reverse("debrief_participant", args=[exercise.pk])).content.decode()
    )
    response = client.post(
        reverse("debrief_annotate", args=[exercise.pk, team.pk]),
        {"step": 0, "kind": "comment", "body": "x"},
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_on_another_device_the_join_code_name_and_personal_code_open_the_teams_debrief(
    exercise: Exercise, ana: Participant, played: None
) -> None:
    code = actions.new_personal_code(ana)
    release_after_the_end(exercise)
    client = Client()
    url = reverse("debrief_find", args=[exercise.join_code.lower()])
    assert client.get(url).status_code == 200
    found = client.post(url, {"name": " ana ", "personal_code": code.lower().replace("-", " ")})
    assert found.status_code == 302
    assert found["Location"] == reverse("debrief_participant", args=[exercise.pk])
    assert "Arrest everyone" in client.get(found["Location"]).content.decode()


def test_a_teammates_name_alone_opens_no_debrief_and_says_nothing_about_who_joined(
    exercise: Exercise, ana: Participant, played: None
) -> None:
    actions.new_personal_code(ana)
    release_after_the_end(exercise)
    url = reverse("debrief_find", args=[exercise.join_code])
    answers = [
        Client().post(url, {"name": name, "personal_code": "AAAA-AAAA"})
        for name in ("Ana", "Nobody")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    texts = [
        re.sub(r"[A-Za-z0-9]{64}", "", a.content.decode().replace("Ana", "Nobody"))  # CSRF
        for a in answers
    ]
    assert texts[0] == texts[1]  # the same words for a known and an unknown name
    assert "do not match anyone" in texts[0]


def test_reading_a_released_debrief_grants_no_play_session(
    exercise: Exercise, ana: Participant, team: Team, played: None
) -> None:
    code = actions.new_personal_code(ana)
    release_after_the_end(exercise)
    exercise.status = Exercise.Status.RUNNING  # even if the facilitator resumes it
    exercise.save(update_fields=["status"])
    client = Client()
    client.post(
        reverse("debrief_find", args=[exercise.join_code]), {"name": "Ana", "personal_code": code}
    )
    assert client.get(reverse("debrief_participant", args=[exercise.pk])).status_code == 200
    assert client.get(reverse("play", args=[exercise.pk])).status_code == 404
    chat = client.post(reverse("message", args=[exercise.pk, "team"]), {"body": "as Ana"})
    assert chat.status_code == 404
    act = client.post(reverse("act", args=[exercise.pk]), {"action": "x", "role": "police-rs"})
    assert act.status_code == 404
    assert not team.messages.exists()


def test_the_debrief_look_up_rotates_the_session_key(
    exercise: Exercise, ana: Participant, played: None
) -> None:
    code = actions.new_personal_code(ana)
    release_after_the_end(exercise)
    client = Client()
    url = reverse("debrief_find", args=[exercise.join_code])
    client.get(url)
    client.session.save()
    before = client.cookies["sessionid"].value
    client.post(url, {"name": "Ana", "personal_code": code})
    assert client.cookies["sessionid"].value != before


def test_personal_code_guesses_are_throttled(
    exercise: Exercise, ana: Participant, played: None
) -> None:
    code = actions.new_personal_code(ana)
    release_after_the_end(exercise)
    client = Client()
    url = reverse("debrief_find", args=[exercise.join_code])
    statuses = [
        client.post(url, {"name": "Ana", "personal_code": f"AAAA-AA{i:02d}"}).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    refused = client.post(url, {"name": "Ana", "personal_code": code})
    assert refused.status_code == 429  # even the right code waits: no oracle while throttled
    assert "Too many wrong codes" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0


def test_the_join_code_opens_nothing_before_release(exercise: Exercise, ana: Participant) -> None:
    code = actions.new_personal_code(ana)
    response = Client().post(
        reverse("debrief_find", args=[exercise.join_code]), {"name": "Ana", "personal_code": code}
    )
    assert response.status_code == 403


def test_a_running_exercise_cannot_be_released(
    exercise: Exercise, facilitator_client: Client
) -> None:
    page = facilitator_client.post(
        reverse("debrief_release", args=[exercise.pk]), {"released": "on"}
    )
    assert page.status_code == 302
    assert not read_debrief(exercise).released
    shown = facilitator_client.get(page["Location"]).content.decode()
    assert "End the exercise before releasing its debrief" in shown


def test_the_facilitator_releases_and_hides_the_debrief(
    exercise: Exercise, facilitator_client: Client, trainer_client: Client
) -> None:
    url = reverse("debrief_release", args=[exercise.pk])
    assert trainer_client.post(url, {"released": "on"}).status_code == 404
    actions.set_status(exercise, Exercise.Status.ENDED)
    facilitator_client.post(url, {"released": "on"})
    assert exercise.debrief.released
    overview = facilitator_client.get(
        reverse("debrief_exercise", args=[exercise.pk])
    ).content.decode()
    assert exercise.join_code in overview
    facilitator_client.post(url, {})
    exercise.debrief.refresh_from_db()
    assert not exercise.debrief.released


def test_projector_walks_through_endings_misconceptions_and_decisions(
    exercise: Exercise, facilitator_client: Client, ana: Participant, played: None
) -> None:
    url = reverse("debrief_projector", args=[exercise.pk])
    first = facilitator_client.get(url).content.decode()
    assert "Test exercise" in first and 'rel="next"' in first and 'rel="prev"' not in first
    screens = []
    for index in range(30):
        page = facilitator_client.get(f"{url}?slide={index}").content.decode()
        screens.append(page)
        if 'rel="next"' not in page:
            break
    whole = "\n".join(screens)
    assert "Where the teams ended" in whole
    assert "Treated a victim as an offender" in whole
    assert "Show the expert&#x27;s choice" in whole or "Show the expert's choice" in whole
    assert "Ana" not in whole  # names stay off the projector
    assert facilitator_client.get(f"{url}?slide=999").status_code == 200  # clamped, not an error


def test_team_projector_reveals_one_step_at_a_time_and_hides_names(
    exercise: Exercise, facilitator_client: Client, team: Team, played: None
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="check-db", actor="Ana"))
    url = reverse("debrief_team_projector", args=[exercise.pk, team.pk])
    first = facilitator_client.get(url).content.decode()
    assert "Arrest everyone for illegal crossing." in first
    assert "Check the databases" not in first  # not revealed yet
    assert "Ana" not in first and "Police investigator (Serbia)" in first
    second = facilitator_client.get(url + "?step=1").content.decode()
    assert "Arrest everyone for illegal crossing." in second  # kept above, smaller
    named = facilitator_client.get(url + "?step=0&names=1").content.decode()
    assert "Ana (Police investigator (Serbia))" in named


def test_projector_pages_need_a_facilitator(
    exercise: Exercise, trainer_client: Client, team: Team
) -> None:
    assert trainer_client.get(reverse("debrief_projector", args=[exercise.pk])).status_code == 404
    url = reverse("debrief_team_projector", args=[exercise.pk, team.pk])
    assert trainer_client.get(url).status_code == 404
