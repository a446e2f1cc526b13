"""`loaddemo`: the finished demo exercise shows a newcomer a full, instructive debrief."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from caseroom.debrief.models import Annotation, ExerciseDebrief
from caseroom.demo import play as demo_play
from caseroom.demo.management.commands import loaddemo
from caseroom.engine import Session, misconception_ranking, play_expert_path
from caseroom.exercises import sessions
from caseroom.exercises.models import Exercise, Participant, Team, TeamEvent
from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import load

pytestmark = pytest.mark.django_db

ALL_ROLES = {
    "police-rs",
    "border-police-mk",
    "prosecutor-rs",
    "prosecutor-mk",
    "financial-investigator-rs",
    "protection-worker-rs",
}


@dataclass
class Demo:
    output: str
    exercise: Exercise


def _fresh_caches() -> None:
    # Rows made here are deleted afterwards and their ids reused: drop what is keyed by them.
    sessions._sessions.clear()
    registry._cache.clear()


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """One real `loaddemo` for the whole module (it plays five teams), rolled back afterwards
    with everything it made: each test runs in a savepoint inside it (as a TestCase's
    setUpTestData), and no row of the demo, its programme included, reaches the next module."""
    store: Path = tmp_path_factory.mktemp("demo-store")
    # The shipped scenarios' exploration is checked by the validator tests; here it would
    # only make the module slow, so they are registered without it.
    quick = functools.partial(registry.register_folder, explore=False)
    with django_db_blocker.unblock(), override_settings(SCENARIO_STORE=store):
        patcher = pytest.MonkeyPatch()
        patcher.setattr(loaddemo, "register_folder", quick)
        _fresh_caches()
        try:
            with transaction.atomic():
                out = StringIO()
                call_command("loaddemo", stdout=out)
                exercise = Exercise.objects.get(title=demo_play.FINISHED_TITLE)
                yield Demo(out.getvalue(), exercise)
                transaction.set_rollback(True)
        finally:
            patcher.undo()
            _fresh_caches()


def _sessions(exercise: Exercise) -> list[tuple[Team, Session]]:
    return [(team, sessions.session_for(team)) for team in exercise.teams.order_by("name")]


def test_the_finished_exercise_is_over_weeks_ago_with_the_demo_facilitator(demo: Demo) -> None:
    exercise = demo.exercise
    assert exercise.status == Exercise.Status.ENDED
    assert exercise.scenario.slug == "vardar-corridor"
    assert exercise.date is not None
    assert dt.timedelta(weeks=2) < timezone.localdate() - exercise.date < dt.timedelta(weeks=5)
    assert exercise.date.weekday() < 5
    assert exercise.location
    assert [u.username for u in exercise.facilitators.all()] == ["facilitator"]


def test_it_has_five_mixed_teams_of_three_to_six_covering_every_role(demo: Demo) -> None:
    teams = list(demo.exercise.teams.order_by("name"))
    assert [t.name for t in teams] == ["Team A", "Team B", "Team C", "Team D", "Team E"]
    for team in teams:
        members = list(team.members.all())
        assert 3 <= len(members) <= 6
        assert {r for m in members for r in m.roles} == ALL_ROLES
        assert {m.country for m in members} == {"Serbia", "North Macedonia"}
        assert all(m.name and m.agency for m in members)


def test_every_move_was_made_by_the_member_holding_the_role_or_the_facilitator(
    demo: Demo,
) -> None:
    events = TeamEvent.objects.filter(team__exercise=demo.exercise).select_related(
        "participant", "user"
    )
    assert events.count() > 150
    for event in events:
        payload = event.payload
        if payload["type"] in ("grade", "end"):
            assert event.user is not None and event.user.username == "facilitator"
            assert event.participant is None
        else:
            assert event.participant is not None
            assert event.participant.team_id == event.team_id
            assert payload["role"] in event.participant.roles
            assert payload["actor"] == event.participant.name


def test_every_team_reached_an_ending_or_was_ended_by_the_facilitator(demo: Demo) -> None:
    ended_by_facilitator = []
    for team, session in _sessions(demo.exercise):
        assert session.state.ending is not None, team.name
        if team.events.filter(payload__type="end").exists():
            ended_by_facilitator.append(team.name)
    # The team whose time ran out shows the facilitator's `end`; the others played to one.
    assert ended_by_facilitator == ["Team E"]


def test_the_teams_reach_at_least_three_different_endings(demo: Demo) -> None:
    endings = {session.state.ending for _team, session in _sessions(demo.exercise)}
    assert len(endings) >= 3


def test_one_team_reaches_the_ending_of_the_expert_path(demo: Demo) -> None:
    expert, problems = play_expert_path(load(demo.exercise.scenario))
    assert not problems and expert.state.ending is not None
    reached = {team.name: session.state.ending for team, session in _sessions(demo.exercise)}
    assert reached["Team A"] == expert.state.ending == "full-success"


def test_several_misconceptions_are_shared_by_two_teams_or_more(demo: Demo) -> None:
    teams = _sessions(demo.exercise)
    ranking = misconception_ranking(
        load(demo.exercise.scenario), [(team.name, session.events) for team, session in teams]
    )
    assert len(ranking) >= 3
    shared = [rank.id for rank in ranking if rank.teams >= 2]
    assert len(shared) >= 3
    assert ranking[0].teams >= 3


def test_the_facilitator_annotated_steps_with_all_three_kinds(demo: Demo) -> None:
    annotations = list(Annotation.objects.filter(team__exercise=demo.exercise))
    assert {a.kind for a in annotations} == set(Annotation.Kind.values)
    scenario = load(demo.exercise.scenario)
    for annotation in annotations:
        assert annotation.author is not None and annotation.author.username == "facilitator"
        steps = sessions.session_for(annotation.team).state.steps
        assert 0 <= annotation.step < len(steps) and annotation.body
        if annotation.kind == Annotation.Kind.MISCONCEPTION:
            # The mark names the misconception the marked step itself triggered.
            assert annotation.misconception in {m.id for m in scenario.doc.misconceptions}
            assert steps[annotation.step].misconception == annotation.misconception


def test_the_debrief_has_notes_and_recommendations_and_is_released(demo: Demo) -> None:
    debrief = ExerciseDebrief.objects.get(exercise=demo.exercise)
    assert debrief.notes.strip() and debrief.recommendations.strip()
    assert debrief.released_at is not None and debrief.released_at <= timezone.now()


def test_the_events_are_spread_over_the_exercise_morning_in_seq_order(demo: Demo) -> None:
    exercise = demo.exercise
    assert exercise.date is not None
    opening = timezone.make_aware(dt.datetime.combine(exercise.date, dt.time(9, 30)))
    closing = timezone.make_aware(dt.datetime.combine(exercise.date, dt.time(12, 30)))
    for team in exercise.teams.all():
        events = list(team.events.order_by("seq"))
        times = [e.created_at for e in events]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert opening <= times[0] and times[-1] <= closing
        for event in events:
            assert dt.datetime.fromisoformat(event.payload["time"]) == event.created_at


def test_it_prints_the_debrief_address_and_the_join_code(demo: Demo) -> None:
    path = reverse("debrief_exercise", args=[demo.exercise.pk])
    assert f"http://127.0.0.1:8000{path}" in demo.output
    assert demo.exercise.join_code in demo.output
    running = Exercise.objects.get(title="Demo: joint simulation")
    assert running.join_code in demo.output


def test_a_second_run_changes_nothing(demo: Demo) -> None:
    models: list[type[Model]] = [
        Exercise,
        Team,
        Participant,
        TeamEvent,
        Annotation,
        ExerciseDebrief,
        ScenarioVersion,
        loaddemo.get_user_model(),
    ]
    counts = {model: model.objects.count() for model in models}
    codes = set(Exercise.objects.values_list("join_code", flat=True))
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert {model: model.objects.count() for model in models} == counts
    assert set(Exercise.objects.values_list("join_code", flat=True)) == codes
    assert demo.exercise.join_code in out.getvalue()


def test_the_printed_addresses_follow_the_servers_host_and_port() -> None:
    from caseroom.demo.management.commands.loaddemo import site_url

    assert site_url("127.0.0.1", 8899) == "http://127.0.0.1:8899"
    room = site_url("0.0.0.0", 8000)  # the laptop's own address, for the room's Wi-Fi
    assert room.startswith("http://") and room.endswith(":8000")
    assert "0.0.0.0" not in room
