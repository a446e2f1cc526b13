"""The facilitator's time box: minutes for a phase that every participant sees count down."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from caseroom.engine import Event
from caseroom.exercises import actions, timebox
from caseroom.exercises.models import Exercise, TeamEvent
from tests.exercises.support import BORDER, player, teams

pytestmark = pytest.mark.django_db


def left(exercise: Exercise) -> timedelta | None:
    exercise.refresh_from_db()
    box = timebox.of(exercise)
    return box.left if box else None


def test_the_room_gets_minutes_that_count_down_and_can_be_extended(
    night_exercise: Exercise,
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        timebox.start(night_exercise, 20, "Financial investigation")
        clock.shift(timedelta(minutes=15))
        assert left(night_exercise) == timedelta(minutes=5)
        timebox.extend(night_exercise, 10)
        assert left(night_exercise) == timedelta(minutes=15)
        clock.shift(timedelta(minutes=20))
        box = timebox.of(night_exercise)
        assert box is not None and box.over and box.seconds_left == 0
        timebox.extend(night_exercise, 5)  # run out: five more minutes from now
        assert left(night_exercise) == timedelta(minutes=5)
        timebox.clear(night_exercise)
        assert left(night_exercise) is None


def test_a_pause_stops_the_count_and_resuming_goes_on_from_there(
    night_exercise: Exercise,
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        timebox.start(night_exercise, 20)
        clock.shift(timedelta(minutes=5))
        actions.set_status(night_exercise, Exercise.Status.PAUSED)
        clock.shift(timedelta(hours=1))  # lunch
        paused = timebox.of(night_exercise)
        assert paused is not None and paused.paused and paused.left == timedelta(minutes=15)
        actions.set_status(night_exercise, Exercise.Status.RUNNING)
        clock.shift(timedelta(minutes=1))
        assert left(night_exercise) == timedelta(minutes=14)


def test_a_time_box_set_before_the_start_counts_from_the_start(night_exercise: Exercise) -> None:
    actions.set_status(night_exercise, Exercise.Status.DRAFT)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        timebox.start(night_exercise, 30, "Initial checks")
        clock.shift(timedelta(minutes=10))
        actions.set_status(night_exercise, Exercise.Status.RUNNING)
        assert left(night_exercise) == timedelta(minutes=30)


def test_a_double_click_extends_once(night_exercise: Exercise) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        timebox.start(night_exercise, 10, key="s1")
        assert timebox.extend(night_exercise, 5, key="e1") is True
        assert timebox.extend(night_exercise, 5, key="e1") is False
        assert left(night_exercise) == timedelta(minutes=15)


def test_participants_see_the_time_box_and_their_page_is_told_it_changed(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    client, _ = player(night_exercise, "Ana", [BORDER])
    play = f"/x/{night_exercise.pk}/play/"
    before = client.get(play).content.decode()
    assert "countdown" not in before
    version = before.split("play/part/status/?v=")[1].split('"')[0]
    facilitator_client.post(
        f"/facilitate/{night_exercise.pk}/timebox/",
        {"do": "start", "minutes": 20, "label": "Mapping the network", "key": "t1"},
    )
    part = client.get(f"/x/{night_exercise.pk}/play/part/status/", {"v": version})
    assert part.status_code == 200  # not 204: the status part changed
    html = part.content.decode()
    assert "Mapping the network" in html and 'data-countdown="1200"' in html
    assert ">20:00<" in html


def test_the_console_sets_extends_and_removes_the_time_box(
    night_exercise: Exercise, facilitator_client: Client
) -> None:
    url = f"/facilitate/{night_exercise.pk}/timebox/"
    with time_machine.travel(timezone.now(), tick=False):
        facilitator_client.post(
            url, {"do": "start", "minutes": 15, "label": "Evidence", "key": "a"}
        )
        facilitator_client.post(url, {"do": "extend", "minutes": 5, "key": "b"})
        page = facilitator_client.get(f"/facilitate/{night_exercise.pk}/").content.decode()
        assert "Evidence" in page and ">20:00<" in page and "+10 min" in page
    facilitator_client.post(url, {"do": "clear", "key": "c"})
    assert left(night_exercise) is None


@pytest.mark.parametrize(
    "data",
    [{"do": "start"}, {"do": "start", "minutes": 0}, {"do": "extend", "minutes": 9999}, {}],
)
def test_a_wrong_time_box_is_refused_with_a_message(
    night_exercise: Exercise, facilitator_client: Client, data: dict[str, object]
) -> None:
    timebox.start(night_exercise, 10)
    response = facilitator_client.post(
        f"/facilitate/{night_exercise.pk}/timebox/", data, follow=True
    )
    assert response.status_code == 200
    assert "minutes between 1 and 480" in response.content.decode() or (
        "Check the time box" in response.content.decode()
    )
    assert timedelta(minutes=9) < (left(night_exercise) or timedelta(0)) <= timedelta(minutes=10)


def test_only_the_exercise_facilitators_set_a_time_box(
    night_exercise: Exercise, trainer_client: Client
) -> None:
    url = f"/facilitate/{night_exercise.pk}/timebox/"
    assert trainer_client.post(url, {"do": "start", "minutes": 5}).status_code == 404
    participant, _ = player(night_exercise, "Ana", [BORDER])
    assert participant.post(url, {"do": "start", "minutes": 5}).status_code == 302  # to log in
    assert left(night_exercise) is None


def test_every_team_moves_on_at_once(night_exercise: Exercise, facilitator_client: Client) -> None:
    first, second = teams(night_exercise)
    actions.command(
        second, Event("end", ref="child-safe-network-traced", actor="fay"), require_running=False
    )
    response = facilitator_client.post(
        f"/facilitate/{night_exercise.pk}/jump/",
        {"team": "all", "scene": "follow-up", "key": "all-1"},
        follow=True,
    )
    assert [
        e["type"] for e in TeamEvent.objects.filter(team=first).values_list("payload", flat=True)
    ] == ["jump"]
    page = response.content.decode()
    assert f"{first.name} moved on." in page
    assert f"{second.name}: " in page  # its case had ended: said, not applied


def test_a_co_facilitators_extension_shows_on_every_console(
    night_exercise: Exercise,
    co_facilitator: User,
    facilitator_client: Client,
    co_facilitator_client: Client,
    trainer_client: Client,
) -> None:
    night_exercise.facilitators.add(co_facilitator)
    mine, theirs = facilitator_client, co_facilitator_client
    timebox.start(night_exercise, 10, "Evidence")
    page = mine.get(f"/facilitate/{night_exercise.pk}/").content.decode()
    part_url = page.split('id="timebox-now" hx-get="')[1].split('"')[0].replace("&amp;", "&")
    assert mine.get(part_url).status_code == 204  # a team's nudge: nothing changed here
    theirs.post(
        f"/facilitate/{night_exercise.pk}/timebox/", {"do": "extend", "minutes": 15, "key": "x"}
    )
    refreshed = mine.get(part_url)
    assert refreshed.status_code == 200
    assert re.search(r'data-countdown="(1500|149\d)"', refreshed.content.decode())  # 25 min
    assert trainer_client.get(part_url).status_code == 404
