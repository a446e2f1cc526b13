"""`manage.py backup`: one owner-only file with everything the data needs, and a manifest
that vouches for each member; never a file that looks complete and is not."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from caseroom.backups import archive
from caseroom.backups.archive import BackupError, Manifest
from caseroom.backups.backup import create_backup
from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.scenarios.models import ScenarioVersion

# Other connections (the backup's) see only what is committed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("data_folder")]


@pytest.fixture
def played(exercise: Exercise, team: Team, ana: Participant) -> Exercise:
    actions.command(team, Event("act", role="police-rs", ref="treat-as-victim", actor="Ana"))
    actions.send_message(team, "We refer her to protection.", participant=ana)
    return exercise


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_backup_is_one_owner_only_file_whose_manifest_vouches_for_every_member(
    played: Exercise, data_folder: Path
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, 30, 5, tzinfo=dt.UTC), tick=False):
        done = create_backup()

    # Europe/Belgrade: the trainer's clock names the file.
    assert done.path == data_folder / "backups" / "caseroom-20260302-083005.zip"
    assert stat.S_IMODE(done.path.stat().st_mode) == 0o600
    assert done.size == done.path.stat().st_size
    assert os.listdir(data_folder / "backups") == [done.path.name]  # no work files left
    files = members(done.path)
    manifest = Manifest.from_json(files.pop("manifest.json"))
    assert manifest == done.manifest
    assert manifest.format_version == archive.FORMAT_VERSION == 2
    assert manifest.vendor == connection.vendor
    assert manifest.created_at == "2026-03-02T07:30:05+00:00"
    assert manifest.counts == {
        "exercises": 1,
        "teams": 2,
        "team_events": 1,
        "participants": 1,
        "messages": 1,
    }
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, ""))
    assert manifest.migrations == latest
    assert set(files) == set(manifest.members)
    for name, data in files.items():
        assert manifest.members[name].size == len(data), name
        assert manifest.members[name].sha256 == hashlib.sha256(data).hexdigest(), name


def test_the_backup_holds_the_scenario_store_relative_to_it_the_secret_key_and_the_demo_logins(
    played: Exercise, data_folder: Path
) -> None:
    (data_folder / "demo-logins.json").write_text('{"trainer": "abcd"}', encoding="utf-8")
    (data_folder / "scenarios" / ".incoming-killed-registration").mkdir()
    (data_folder / "scenarios" / ".incoming-killed-registration" / "half.yaml").write_text("x")

    files = members(create_backup().path)

    stored = Path(ScenarioVersion.objects.get().path)
    folder = stored.relative_to(data_folder / "scenarios") if stored.is_absolute() else stored
    expected = {
        f"scenarios/{folder.as_posix()}/{p.relative_to(data_folder / 'scenarios' / folder).as_posix()}"
        for p in (data_folder / "scenarios" / folder).rglob("*")
        if p.is_file()
    }
    assert {n for n in files if n.startswith("scenarios/")} == expected
    assert f"scenarios/{folder.as_posix()}/scenario.yaml" in files
    assert files["secret_key"] == (data_folder / "secret_key").read_bytes()
    assert files["demo-logins.json"] == b'{"trainer": "abcd"}'
    database = "database/caseroom." + ("sqlite3" if connection.vendor == "sqlite" else "pgdump")
    assert database in files


def test_a_secret_key_from_the_environment_is_left_out_and_the_command_says_so(
    played: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    out = StringIO()
    call_command("backup", stdout=out)

    path = Path(re.search(r"Backup written to (\S+) ", out.getvalue())[1])  # type: ignore[index]
    files = members(path)
    assert "secret_key" not in files
    assert json.loads(files["manifest.json"])["secret_key"] is False
    assert "keep it with the backup" in out.getvalue()


def test_the_command_says_where_the_backup_is_how_large_and_what_it_holds(
    played: Exercise, tmp_path: Path
) -> None:
    out = StringIO()
    call_command("backup", "--out", str(tmp_path / "kept.zip"), stdout=out)

    size = (tmp_path / "kept.zip").stat().st_size
    assert out.getvalue().startswith(f"Backup written to {tmp_path / 'kept.zip'} (")
    assert f"({size / 1024:.1f}\xa0KB)" in out.getvalue()
    assert "1 exercise(s), 2 team(s), 1 event(s), 1 participant(s), 1 message(s)" in out.getvalue()


def test_an_existing_file_is_never_replaced(played: Exercise, tmp_path: Path) -> None:
    kept = tmp_path / "kept.zip"
    kept.write_bytes(b"an earlier backup")
    with pytest.raises(BackupError, match="already exists"):
        create_backup(kept)
    assert kept.read_bytes() == b"an earlier backup"


def test_two_backups_in_the_same_second_get_two_files(played: Exercise, data_folder: Path) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, 30, 5, tzinfo=dt.UTC), tick=False):
        first, second = create_backup(), create_backup()
    assert first.path.name == "caseroom-20260302-083005.zip"
    assert second.path.name == "caseroom-20260302-083005-2.zip"
    with zipfile.ZipFile(first.path) as archive:
        assert archive.testzip() is None


def test_a_backup_being_written_has_a_hidden_name_and_one_that_fails_leaves_nothing(
    played: Exercise, data_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_while_writing: list[list[str]] = []
    finish = archive.ArchiveWriter.finish

    def fail_at_the_end(writer: Any, manifest: Manifest) -> None:
        seen_while_writing.append(sorted(os.listdir(data_folder / "backups")))
        finish(writer, manifest)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.ArchiveWriter, "finish", fail_at_the_end)
    with pytest.raises(BackupError, match="No space left on device"):
        create_backup()

    # What a killed backup leaves: names that start with a dot and do not end in .zip.
    [names] = seen_while_writing
    assert names and all(n.startswith(".") and not n.endswith(".zip") for n in names)
    assert os.listdir(data_folder / "backups") == []
