"""Exercise actions: stored before acknowledged, applied once, serialised, survive restarts."""

from __future__ import annotations

import threading
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseroom.engine import Event, IllegalAction
from caseroom.exercises import actions, sessions
from caseroom.exercises.models import Exercise, Participant, Team, TeamEvent
from caseroom.exercises.sessions import session_for
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import RegistrationError, register_folder, register_zip
from tests.conftest import MINI

pytestmark = pytest.mark.django_db


def act(
    team: Team, role: str, action: str, answer: Any = None, key: str | None = None
) -> actions.Outcome:
    return actions.command(
        team, Event("act", role=role, ref=action, input=answer, key=key, actor="p")
    )


def test_an_action_is_stored_in_the_log_before_it_is_acknowledged(
    team: Team, ana: Participant
) -> None:
    outcome = actions.command(
        team, Event("act", role="police-rs", ref="treat-as-victim"), participant=ana
    )
    stored = TeamEvent.objects.get(team=team)
    assert stored.seq == outcome.seq == 0
    assert stored.payload["ref"] == "treat-as-victim" and stored.participant == ana
    assert "time" in stored.payload  # wall clock, for the debrief
    team.refresh_from_db()
    assert team.event_count == 1


def test_a_repeated_submission_is_applied_once(team: Team) -> None:
    act(team, "police-rs", "treat-as-victim")
    first = act(team, "police-mk", "consult", key="click-1")
    again = act(team, "police-mk", "consult", key="click-1")
    assert again.repeated and again.seq == first.seq
    assert TeamEvent.objects.filter(team=team).count() == 2
    assert session_for(Team.objects.get(pk=team.pk)).state.taken["consult"] == 1


def test_an_illegal_action_is_refused_and_nothing_is_stored(team: Team) -> None:
    act(team, "police-rs", "treat-as-victim")
    with pytest.raises(IllegalAction) as caught:
        act(team, "prosecutor-rs", "check-db")
    assert caught.value.code == "wrong_role"
    assert TeamEvent.objects.filter(team=team).count() == 1


@pytest.mark.parametrize(
    "status", [Exercise.Status.DRAFT, Exercise.Status.PAUSED, Exercise.Status.ENDED]
)
def test_nobody_acts_unless_the_exercise_runs(exercise: Exercise, team: Team, status: str) -> None:
    actions.set_status(exercise, status)
    with pytest.raises(actions.ExerciseClosed):
        act(team, "police-rs", "treat-as-victim")


def test_teammates_and_facilitator_are_told_after_the_commit(
    exercise: Exercise, team: Team, published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        act(team, "police-rs", "treat-as-victim")
    assert published.sent == [(exercise.pk, team.pk, 1)]


def test_nothing_is_published_when_the_action_is_refused(
    team: Team, published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IllegalAction):
        act(team, "prosecutor-rs", "check-db")
    assert published.sent == []


def test_a_restart_loses_nothing(team: Team) -> None:
    act(team, "police-rs", "treat-as-victim")
    act(team, "police-rs", "surveil")
    before = session_for(Team.objects.get(pk=team.pk)).state.to_dict()
    sessions._sessions.clear()  # what a server restart does to the cache
    after = session_for(Team.objects.get(pk=team.pk)).state.to_dict()
    assert after == before
    assert after["pending"][0]["action"] == "surveil"


def _written_elsewhere(team: Team, *moves: tuple[str, str]) -> None:
    """Another server process stores commands that this process has not seen."""
    known = session_for(Team.objects.get(pk=team.pk))
    other = type(known)(known.scenario, known.events)
    for role, action in moves:
        other.act(role, action)
    for seq in range(len(known.events), len(other.events)):
        TeamEvent.objects.create(team=team, seq=seq, payload=other.events[seq].to_dict())
    Team.objects.filter(pk=team.pk).update(event_count=len(other.events))


def test_a_stale_cached_session_catches_up_with_the_log(team: Team) -> None:
    act(team, "police-rs", "treat-as-victim")
    cached = session_for(Team.objects.get(pk=team.pk))
    _written_elsewhere(team, ("police-mk", "consult"), ("police-rs", "surveil"))
    row = Team.objects.get(pk=team.pk)
    with CaptureQueriesContext(connection) as queries:
        current = session_for(row)
    assert current is cached  # caught up in place, not rebuilt
    assert len(queries) == 1 and '"seq" >= 1' in queries[0]["sql"]  # only the missing events
    assert current.state.taken == {"treat-as-victim": 1, "consult": 1}
    assert [p.action for p in current.state.pending] == ["surveil"]
    log = TeamEvent.objects.filter(team=team).order_by("seq").values_list("payload", flat=True)
    rebuilt = type(current)(current.scenario, log)
    assert current.state.to_dict() == rebuilt.state.to_dict()


def test_a_page_read_before_a_commit_gets_the_state_it_asked_for(team: Team) -> None:
    act(team, "police-rs", "treat-as-victim")
    before = Team.objects.get(pk=team.pk)  # a page reads the team row...
    act(team, "police-mk", "consult")  # ...another request commits meanwhile
    older = session_for(before)
    assert len(older.events) == 1 and "consult" not in older.state.taken
    newest = session_for(Team.objects.get(pk=team.pk))
    assert len(newest.events) == 2 and newest is not older  # the cache kept the newer one


def test_teams_are_independent(team: Team, other_team: Team) -> None:
    act(team, "police-rs", "treat-as-victim")
    assert session_for(Team.objects.get(pk=other_team.pk)).state.scene == "stop"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_actions_are_serialised_without_corruption(
    mini_version: ScenarioVersion,
) -> None:
    exercise = Exercise.objects.create(
        title="Race", scenario=mini_version, status=Exercise.Status.RUNNING
    )
    (team,) = actions.create_teams(exercise, 1)
    act(team, "police-rs", "treat-as-victim")
    errors: list[str] = []
    barrier = threading.Barrier(6)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            # Everyone clicks "check databases" (once only) at the same moment, plus notes.
            action = "check-db" if index % 2 else "consult"
            role = "police-rs" if index % 2 else "police-mk"
            act(Team.objects.get(pk=team.pk), role, action)
        except IllegalAction as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = list(TeamEvent.objects.filter(team=team).order_by("seq").values_list("seq", flat=True))
    assert stored == list(range(len(stored)))  # no gap, no duplicate
    assert sorted(errors) == ["used", "used"]  # the second and third check-db were refused
    sessions._sessions.clear()
    state = session_for(Team.objects.get(pk=team.pk)).state
    assert state.taken == {"treat-as-victim": 1, "check-db": 1, "consult": 3}


def test_balancing_mixes_countries_and_fills_every_role(exercise: Exercise) -> None:
    for index in range(6):
        actions.join(exercise, name=f"P{index}", country="RS" if index < 3 else "MK")
    actions.balance_teams(exercise, seed=1)
    for team in exercise.teams.all():
        members = list(team.members.all())
        assert len(members) == 3
        assert {m.country for m in members} == {"RS", "MK"}
        assert sorted(r for m in members for r in m.roles) == [
            "police-mk",
            "police-rs",
            "prosecutor-rs",
        ]


def test_a_new_version_does_not_touch_exercises_on_the_old_one(
    tmp_path: Path, exercise: Exercise
) -> None:
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        text.replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8"
    )
    newer = register_folder(folder, explore=False)
    assert newer.pk != exercise.scenario_id
    exercise.refresh_from_db()
    assert exercise.scenario.version == "1.0"
    assert exercise.scenario.folder.is_dir() and newer.folder != exercise.scenario.folder


def test_same_version_with_other_content_is_refused(
    tmp_path: Path, mini_version: ScenarioVersion
) -> None:
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "extra.yaml").write_text("misconceptions: []\n", encoding="utf-8")
    with pytest.raises(RegistrationError, match="already registered with other content"):
        register_folder(folder, explore=False)
    assert register_folder(MINI, explore=False) == mini_version  # same content: same version


def zipped(files: dict[str, str]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_broken_upload_reports_file_and_line(db: None) -> None:
    with pytest.raises(RegistrationError) as caught:
        register_zip(zipped({"case/scenario.yaml": "id: x\nversion: 1\ntitle: [\n"}))
    assert str(caught.value.diagnostics[0]).startswith("scenario.yaml:3:8: broken YAML")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "not a zip file"),
        (zipped({"../evil/scenario.yaml": "id: x"}), "unsafe path in the zip"),
        (zipped({"readme.txt": "hello"}), "the zip holds no scenario.yaml"),
    ],
)
def test_unsafe_or_useless_uploads_are_refused(db: None, data: bytes, message: str) -> None:
    with pytest.raises(RegistrationError) as caught:
        register_zip(data)
    assert caught.value.diagnostics[0].message == message
