"""`manage.py checkdata` says exactly what is wrong with a database, and a damaged team is
refused with words instead of a 500 on every action."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caseroom.backups.integrity import check_database, sqlite_file_problems
from caseroom.engine import Event
from caseroom.exercises import actions, sessions
from caseroom.exercises.models import Participant, Team, TeamEvent
from tests.exercises.support import as_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(team: Team, ana: Participant) -> Team:
    for ref in ("treat-as-victim", "check-db"):
        actions.command(team, Event("act", role="police-rs", ref=ref, actor="Ana"), participant=ana)
    team.refresh_from_db()
    return team


def test_a_sound_database_passes(played: Team) -> None:
    assert check_database() == []
    out = StringIO()
    call_command("checkdata", stdout=out)
    assert "The database is sound." in out.getvalue()


def test_a_count_that_lags_the_log_is_reported_and_the_team_refused_in_words(
    played: Team, ana: Participant
) -> None:
    # What a dump read without one transaction restored: the row behind its log.
    Team.objects.filter(pk=played.pk).update(event_count=played.event_count - 1)
    sessions._sessions.clear()
    problems = [str(p) for p in check_database()]
    assert problems == [
        f"team {played.pk} ({played.name} of exercise {played.exercise_id} “Test exercise”): "
        f"the team counts {played.event_count - 1} events but its log holds 2"
    ]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("checkdata", stdout=StringIO())
    client = as_participant(ana)
    answer = client.post(
        f"/x/{played.exercise_id}/play/act/", {"role": "police-rs", "action": "surveil"}
    )
    assert answer.status_code == 503
    assert "is damaged" in answer.content.decode()
    assert TeamEvent.objects.filter(team=played).count() == 2  # nothing more was stored
    refreshed = client.post(
        f"/x/{played.exercise_id}/play/act/",
        {"role": "police-rs", "action": "surveil"},
        headers={"HX-Request": "true"},
    )
    assert refreshed.status_code == 200 and refreshed["HX-Refresh"] == "true"


def test_a_gap_in_the_log_is_reported(played: Team) -> None:
    TeamEvent.objects.filter(team=played, seq=0).delete()
    Team.objects.filter(pk=played.pk).update(event_count=1)
    problems = [p.what for p in check_database()]
    assert "the log has gaps: 1 events numbered 0 to 1" in problems


def test_a_summary_that_differs_from_a_replay_is_reported(played: Team) -> None:
    digest: dict[str, Any] = dict(played.digest or {})
    digest["total"] = digest["total"] + 100
    Team.objects.filter(pk=played.pk).update(digest=digest)
    assert [p.what for p in check_database()] == [
        "the stored summary differs from a replay of the log"
    ]


def test_a_corrupted_sqlite_copy_is_reported(tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    with closing(sqlite3.connect(str(copy))) as database:
        database.execute("CREATE TABLE event (seq INTEGER, key TEXT)")
        database.execute("CREATE UNIQUE INDEX idempotency_key ON event (key)")
        database.executemany(
            "INSERT INTO event VALUES (?, ?)", [(n, f"key-{n:06d}") for n in range(5000)]
        )
        database.commit()
        root = database.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'idempotency_key'"
        ).fetchone()[0]
        page_size = database.execute("PRAGMA page_size").fetchone()[0]
    assert sqlite_file_problems(str(copy)) == []
    with copy.open("r+b") as raw:  # scribble over the key index's root page
        raw.seek((root - 1) * page_size + 8)
        raw.write(b"\xff" * 64)
    problems = sqlite_file_problems(str(copy))
    assert problems and all(p.where == "database" for p in problems)


def test_the_damaged_copy_check_does_not_modify_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    kept = broken.read_bytes()
    problems = sqlite_file_problems(str(broken))
    assert problems and "SQLite" in problems[0].what
    assert broken.read_bytes() == kept
