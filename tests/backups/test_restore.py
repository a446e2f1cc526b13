"""`manage.py restore`: a backup taken during play comes back whole into a fresh installation
and passes the integrity check; a damaged, altered or foreign file is refused before
anything is touched, with words that say what is wrong."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from caseroom.backups import restore as restore_module
from caseroom.backups.archive import DATABASE_MEMBERS
from caseroom.backups.backup import create_backup
from caseroom.backups.databases import processes_using, sqlite_replace
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team, TeamEvent
from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion
from tests.backups.support import Play, Target, rewritten, run_restore

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("data_folder")]


@pytest.fixture
def backup(exercise: Exercise, team: Team, ana: Participant, published: object) -> Path:
    play = Play([(team.pk, ana.pk)])
    play.start()
    play.wait_for(3)
    play.finish()
    return create_backup().path


def test_a_backup_taken_during_play_restores_into_a_fresh_database_that_passes_the_integrity_check(
    exercise: Exercise,
    ana: Participant,
    rival: Participant,
    published: object,
    fresh: Target,
) -> None:
    actions.create_teams(exercise, 2)
    members = [ana, rival]
    members += [
        actions.join(exercise, name=f"P{t.pk}", roles=["police-rs"], team=t)
        for t in exercise.teams.filter(members=None)
    ]
    play = Play([(p.team.pk, p.pk) for p in members if p.team is not None])
    play.start()
    try:
        play.wait_for(20)
        done = create_backup()
        play.wait_for(play.commands + 20)  # still playing after the copy was taken
    finally:
        play.finish()

    restored = run_restore(done.path, fresh)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "The restored database is sound." in restored.stdout

    # Every team's count equals its log, numbered without gaps, as the manifest counted.
    teams = fresh.rows(
        "SELECT t.id, t.event_count, COUNT(e.id), COALESCE(MAX(e.seq), -1) "
        "FROM exercises_team t LEFT JOIN exercises_teamevent e ON e.team_id = t.id "
        "GROUP BY t.id, t.event_count ORDER BY t.id"
    )
    assert len(teams) == 4
    assert all(count == logged == last + 1 for _id, count, logged, last in teams), teams
    counts = done.manifest.counts
    assert sum(logged for _id, _count, logged, _last in teams) == counts["team_events"]
    assert fresh.rows("SELECT COUNT(*) FROM exercises_message")[0][0] == counts["messages"]
    # The copy is a moment of the live play: each restored log is the start of the live one.
    for team_id, _count, logged, _last in teams:
        live = list(
            TeamEvent.objects.filter(team_id=team_id, seq__lt=logged)
            .order_by("seq")
            .values_list("payload", flat=True)
        )
        rows = fresh.rows(
            f"SELECT payload FROM exercises_teamevent WHERE team_id = {int(team_id)} ORDER BY seq"
        )
        assert [json.loads(p) if isinstance(p, str) else p for (p,) in rows] == live
    assert TeamEvent.objects.count() >= counts["team_events"]

    # Restoring again over what is there now needs --force, and changes nothing without it.
    again = run_restore(done.path, fresh)
    assert again.returncode == 1
    assert "already holds 1 exercise(s)" in again.stderr and "--force" in again.stderr
    forced = run_restore(done.path, fresh, "--force", "--quick")
    assert forced.returncode == 0, forced.stdout + forced.stderr


def test_a_restore_refuses_a_truncated_file_and_an_altered_member_touching_nothing(
    backup: Path, fresh: Target, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])

    def flip_a_byte(name: str, data: bytes) -> bytes:
        if not name.startswith("database/"):
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    altered = rewritten(backup, tmp_path / "altered.zip", flip_a_byte)

    refused = run_restore(truncated, fresh, "--force")
    assert refused.returncode == 1
    assert "is not a complete Caseroom backup: it is truncated or not a zip file" in refused.stderr
    refused = run_restore(altered, fresh, "--force")
    assert refused.returncode == 1
    assert "Member 'database/caseroom." in refused.stderr
    assert "differs from the backup's manifest" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert fresh.tables() <= {"django_migrations"}  # nothing restored, nothing migrated
    assert (
        not fresh.var.exists()
        or not (fresh.var / "scenarios").exists()
        or not any(p for p in (fresh.var / "scenarios").iterdir() if not p.name.startswith("."))
    )


def check(path: Path) -> str:
    """What `restore --check` says of a file (touches nothing)."""
    out = StringIO()
    try:
        call_command("restore", str(path), "--check", stdout=out)
    except CommandError as error:
        return f"refused: {error}"
    return out.getvalue()


def test_check_says_a_good_backup_is_complete_and_intact(backup: Path) -> None:
    assert check(backup).startswith("The backup is complete and intact:")


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda data: data[: len(data) // 2], "truncated or not a zip file"),
        (lambda data: b"PK\x03\x04 a zip file that is not", "truncated or not a zip file"),
        (lambda data: b"", "truncated or not a zip file"),
    ],
    ids=["truncated", "garbage", "empty"],
)
def test_check_refuses_a_file_that_is_not_a_whole_zip(
    backup: Path, tmp_path: Path, damage: object, said: str
) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(damage(backup.read_bytes()))  # type: ignore[operator]
    assert said in check(broken)


def test_check_names_the_member_whose_bytes_were_flipped(backup: Path, tmp_path: Path) -> None:
    # A byte in the middle of the deflated database: zlib or the CRC notices first.
    raw = bytearray(backup.read_bytes())
    with zipfile.ZipFile(backup) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("database/"))
    raw[info.header_offset + 100 + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    said = check(damaged)
    assert said.startswith("refused: Member 'database/caseroom.")
    assert "damaged" in said or "differs from the backup's manifest" in said


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda name, data: data + b"#" if name == "secret_key" else data,
            "Member 'secret_key' holds",
        ),
        (
            lambda name, data: None if name.endswith("scenario.yaml") else data,
            "lacks 1 member(s) its manifest lists, such as 'scenarios/",
        ),
        (
            lambda name, data: None if name == "manifest.json" else data,
            "holds no manifest.json: it is not a Caseroom backup",
        ),
        (
            lambda name, data: data.replace(b'"format_version": 2', b'"format_version": 3'),
            "made by a newer Caseroom",
        ),
        (
            lambda name, data: (
                data.replace(b'"scenarios/', b'"scenarios/../../', 1)
                if name == "manifest.json"
                else data
            ),
            "unexpected member 'scenarios/../../",
        ),
        (
            lambda name, data: (
                data.replace(b'"counts": {', b'"counts": {"x": 1, ')
                if name == "manifest.json"
                else data
            ),
            "manifest.json is not valid: 'counts' does not count",
        ),
    ],
    ids=["resized", "missing", "no-manifest", "newer-format", "outside-the-store", "bad-counts"],
)
def test_check_names_what_is_wrong_with_an_altered_backup(
    backup: Path, tmp_path: Path, change: object, said: str
) -> None:
    altered = rewritten(backup, tmp_path / "altered.zip", change)  # type: ignore[arg-type]
    assert said in check(altered)


def test_a_member_the_manifest_does_not_list_is_refused(backup: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.zip"
    shutil.copyfile(backup, extra)
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("scenarios/evil/run.sh", b"rm -rf /")
    assert "holds 'scenarios/evil/run.sh', which its manifest does not list" in check(extra)


def test_a_backup_of_another_vendor_is_refused_saying_what_is_possible(
    backup: Path, tmp_path: Path
) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    ours, theirs = DATABASE_MEMBERS[connection.vendor], DATABASE_MEMBERS[other]
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(foreign, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["database"] = {"vendor": other, "member": theirs}
        manifest["members"][theirs] = manifest["members"].pop(ours)
        target.writestr("manifest.json", json.dumps(manifest))
        for name in source.namelist():
            if name != "manifest.json":
                target.writestr(theirs if name == ours else name, source.read(name))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(foreign), "--force")
    assert "SQLite to SQLite, PostgreSQL to PostgreSQL" in str(refused.value)
    assert Exercise.objects.count() == 1


def test_a_backup_from_a_newer_caseroom_is_refused(backup: Path, tmp_path: Path) -> None:
    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["exercises"] = "9999_from_the_future"
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="exercises.9999_from_the_future.*newer version"):
        call_command("restore", str(rewritten(backup, tmp_path / "n.zip", newer)), "--force")
    assert Exercise.objects.count() == 1


def test_a_restored_data_folder_works_after_being_moved(
    backup: Path, fresh: Target, data_folder: Path, settings: object, tmp_path: Path
) -> None:
    # The installation the backup came from is gone: only the backup is left.
    kept = shutil.copy(backup, tmp_path / "kept.zip")
    shutil.rmtree(data_folder)

    restored = run_restore(Path(kept), fresh, "--quick")
    assert restored.returncode == 0, restored.stdout + restored.stderr

    settings.VAR_DIR = fresh.var  # type: ignore[attr-defined]
    settings.SCENARIO_STORE = fresh.var / "scenarios"  # type: ignore[attr-defined]
    [(pk, slug, digest, path)] = fresh.rows(
        "SELECT id, slug, digest, path FROM scenarios_scenarioversion"
    )
    registry._cache.clear()
    scenario = registry.load(ScenarioVersion(pk=pk, slug=slug, digest=digest, path=path))
    assert scenario.id == "mini"
    assert (fresh.var / "secret_key").read_text() == settings.SECRET_KEY  # type: ignore[attr-defined]


def test_the_secret_key_from_the_environment_is_kept_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = tmp_path / "staged-key"
    staged.write_text("the backup's key", encoding="utf-8")
    var = tmp_path / "var-here"
    var.mkdir()

    monkeypatch.setenv("SECRET_KEY", "this installation's key")
    [warning] = restore_module._restore_secret_key(staged, var)
    assert "SECRET_KEY is set in the environment" in warning
    assert not (var / "secret_key").exists()

    monkeypatch.setenv("SECRET_KEY", "the backup's key")
    assert restore_module._restore_secret_key(staged, var) == []

    monkeypatch.delenv("SECRET_KEY")
    assert restore_module._restore_secret_key(staged, var) == []
    assert (var / "secret_key").read_text() == "the backup's key"
    assert (var / "secret_key").stat().st_mode & 0o777 == 0o600


def test_sessions_cached_in_redis_are_forgotten_and_nothing_else() -> None:
    """With REDIS_URL, sessions are cached in Redis (settings.py) and would outlive the
    restored database; without it they live in the database only, which the restore
    replaces, and nothing needs forgetting."""
    cached = django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    session["participant"] = 7
    session.create()
    cache.set("not-a-session", 3)

    forgotten = restore_module._forget_cached_sessions()

    if cached:
        assert forgotten >= 1
        assert cache.get(session.cache_key) is None
    else:
        assert forgotten == 0
    assert cache.get("not-a-session") == 3
    assert session.exists(session.session_key)  # read from the database again


def test_replacing_a_sqlite_database_drops_the_old_files_journal(tmp_path: Path) -> None:
    """The old file's -wal holds commits not yet in it; left next to the new file, SQLite
    would apply them to it."""
    live, new = tmp_path / "live.sqlite3", tmp_path / "new.sqlite3"
    with closing(sqlite3.connect(new)) as database:
        database.execute("CREATE TABLE t (v TEXT)")
        database.execute("INSERT INTO t VALUES ('restored')")
        database.commit()
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # the commit stays in the -wal file
    writer.execute("CREATE TABLE t (v TEXT)")
    writer.execute("INSERT INTO t VALUES ('old')")
    writer.commit()
    wal, shm = Path(f"{live}-wal").read_bytes(), Path(f"{live}-shm").read_bytes()
    writer.close()  # checkpoints and deletes the -wal: put back what a killed server leaves
    Path(f"{live}-wal").write_bytes(wal)
    Path(f"{live}-shm").write_bytes(shm)

    sqlite_replace(live, new)

    assert not Path(f"{live}-wal").exists() and not Path(f"{live}-shm").exists()
    with closing(sqlite3.connect(live)) as database:
        assert database.execute("SELECT v FROM t").fetchall() == [("restored",)]
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_process_holding_the_database_open_is_named(tmp_path: Path) -> None:
    path = tmp_path / "served.sqlite3"
    sqlite3.connect(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('select 1');"
            "print('open', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        assert [u.split()[0] for u in processes_using(path)] == [str(holder.pid)]
    finally:
        holder.communicate("", timeout=30)
    assert processes_using(path) == []
