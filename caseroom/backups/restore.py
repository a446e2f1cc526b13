"""`restore`: a backup back into the configured database and data folder.

Nothing is touched until the whole file has been checked: its manifest, the database
vendor, the migrations it needs, the target (empty, or `force`), free space, and every
member copied to a staging place and found equal to the manifest (size and SHA-256). Then
the database is replaced (SQLite: one rename; PostgreSQL: pg_restore in one transaction),
the scenario store, the library's files and the secret key are restored, `migrate` brings an
older backup up to date, derived data is rebuilt (the library's search index), and the
integrity check says whether what was restored is sound.
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from caseroom.exercises.models import Exercise, Message, Participant, Team, TeamEvent
from caseroom.lib.cache import delete_matching
from caseroom.library import store as library_store
from caseroom.library.models import Document
from caseroom.scenarios.registry import TEMP_PREFIX
from caseroom.surveys.models import Response

from .archive import (
    DEMO_LOGINS_MEMBER,
    LIBRARY_PREFIX,
    PRIVATE,
    SECRET_KEY_MEMBER,
    STORE_PREFIX,
    BackupError,
    Manifest,
    check_member,
    copy_member,
    open_archive,
)
from .databases import Postgres, fsync_directory, postgres_restore, processes_using, sqlite_replace
from .integrity import Problem, check_database, library_orphans
from .libraryfiles import IndexRebuild, library_target, put_library_files, rebuild_search_index

__all__ = ["VENDOR_NAMES", "RestoreReport", "describe", "restore", "verify"]

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# A secret key or the demo log-ins larger than this is not ours.
SMALL_FILE_LIMIT = 2**20


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    migrations_applied: int
    counts: dict[str, int]
    problems: list[Problem]
    warnings: list[str] = field(default_factory=list)
    library_files: int = 0  # put back into LIBRARY_STORE
    index: IndexRebuild | None = None  # None: the rebuild failed (a problem says why)
    orphans: int = 0  # files in LIBRARY_STORE no document version names (left in place)


def _quiet(_line: str) -> None:
    pass


def restore(
    path: Path,
    *,
    force: bool = False,
    replay: bool = True,
    say: Callable[[str], None] = _quiet,
) -> RestoreReport:
    """Restore `path`; BackupError (nothing touched) when it is refused. `replay=False`
    skips replaying every team's log in the final check; `say` is told the progress."""
    archive, manifest = open_archive(Path(path))
    with archive:
        connection = connections["default"]
        _check_vendor(manifest, connection.vendor)
        _check_migrations_known(manifest)
        held = _held()
        if held and not force:
            raise BackupError(
                "not_empty",
                f"The database already holds {held}. A restore replaces all of "
                "its data with the backup's: run again with --force to do that.",
            )
        database_file = None
        if connection.vendor == "sqlite":
            database_file = Path(connection.settings_dict["NAME"]).resolve()
            _check_not_served(database_file)
        var_dir = Path(settings.VAR_DIR)
        store = Path(settings.SCENARIO_STORE)
        library = library_store.root()
        folders = [var_dir, store, library, *([database_file.parent] if database_file else [])]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        _check_space(manifest, folders)
        warnings, library_files = _apply(
            archive, manifest, database_file, (var_dir, store, library), say
        )
    _forget_cached_sessions()
    connections.close_all()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        say(f"Bringing the database up to date: {len(plan)} migration(s) …")
    call_command("migrate", interactive=False, verbosity=0)
    say("Rebuilding the library's search index …")
    index, problems = rebuild_search_index()
    say("Checking the restored data …")
    counts = _counts()
    problems += check_database(replay=replay)
    if counts != manifest.counts:
        differ = f"it holds {describe(counts)}; the backup had {describe(manifest.counts)}"
        problems.append(Problem("database", differ))
    orphans = len(library_orphans())
    return RestoreReport(
        manifest, len(plan), counts, problems, warnings, library_files, index, orphans
    )


def verify(path: Path) -> Manifest:
    """Check the whole backup without touching anything: the checks `restore` begins with,
    for a trainer who wants to know that the copy on a memory stick is good."""
    archive, manifest = open_archive(Path(path))
    with archive:
        for name, member in manifest.members.items():
            check_member(archive, name, member)
    return manifest


def describe(counts: dict[str, int]) -> str:
    """The counts as a trainer reads them: "3 exercises, 20 teams, …"."""
    return ", ".join(f"{n:,} {key.replace('_', ' ')}" for key, n in counts.items())


def _counts() -> dict[str, int]:
    return {
        "exercises": Exercise.objects.count(),
        "teams": Team.objects.count(),
        "team_events": TeamEvent.objects.count(),
        "participants": Participant.objects.count(),
        "messages": Message.objects.count(),
    }


# ---------------------------------------------------------------- refusals


def _check_vendor(manifest: Manifest, vendor: str) -> None:
    if manifest.vendor == vendor:
        return
    made, here = VENDOR_NAMES[manifest.vendor], VENDOR_NAMES.get(vendor, vendor)
    raise BackupError(
        "vendor",
        f"This backup holds a {made} database and this installation uses {here}. A backup "
        "restores into the same kind of database only: SQLite to SQLite, PostgreSQL to "
        f"PostgreSQL. Restore it where Caseroom runs on {made}"
        + (" (without DATABASE_URL)." if manifest.vendor == "sqlite" else " (DATABASE_URL)."),
    )


def _check_migrations_known(manifest: Manifest) -> None:
    """A backup from a newer Caseroom has migrations this code cannot know: refuse rather
    than restore a database whose tables the code would misread."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app, name in manifest.migrations.items():
        if (app, name) not in known:
            raise BackupError(
                "newer",
                f"The backup's database has migration {app}.{name}, which this installation "
                "does not know: it was made by a newer version of Caseroom. Update Caseroom, "
                "then restore.",
            )


def _held() -> str:
    """What the database holds that a restore would lose ("" if nothing): exercises, and
    since the library and the questionnaires, an installation without any exercise may
    hold documents and answers (a coordinator's) just as much worth a --force."""
    tables = set(connections["default"].introspection.table_names())
    held = [
        f"{n:,} {what}"
        for model, what in (
            (Exercise, "exercise(s)"),
            (Document, "library document(s)"),
            (Response, "questionnaire response(s)"),
        )
        if model._meta.db_table in tables and (n := model.objects.count())
    ]
    return ", ".join(held)


def _check_not_served(database_file: Path) -> None:
    users = processes_using(database_file)
    if users:
        raise BackupError(
            "in_use",
            f"The database {database_file} is open in process {', '.join(users)}. On SQLite a "
            "restore replaces the database file, and a running server would go on writing "
            "into the old one: stop the server first, then restore.",
        )


def _check_space(manifest: Manifest, folders: list[Path]) -> None:
    needed = sum(member.size for member in manifest.members.values())
    free = min(shutil.disk_usage(folder).free for folder in folders)
    if needed > free:
        raise BackupError(
            "space",
            f"The backup needs {needed / 1e6:,.0f} MB of free disk space to be restored, "
            f"and {free / 1e6:,.0f} MB are free.",
        )


# ---------------------------------------------------------------- the restore itself


def _apply(
    archive: zipfile.ZipFile,
    manifest: Manifest,
    database_file: Path | None,
    folders: tuple[Path, Path, Path],
    say: Callable[[str], None],
) -> tuple[list[str], int]:
    """Stage and check every member, then put each in place; the warnings to show and the
    number of library files restored. `folders`: var/, the scenario store, the library's."""
    var_dir, store, library = folders
    staged_database = (
        database_file.with_name(f".{database_file.name}.restore-{secrets.token_hex(4)}")
        if database_file
        else None
    )
    touched = False
    try:
        # Work folders where renames into place cannot cross file systems: the store's own
        # (named as registrations name theirs, so a killed restore's is swept the same way),
        # and a hidden one in the library's, which backups and orphans() pass over.
        with (
            tempfile.TemporaryDirectory(prefix=".restore-", dir=var_dir) as small,
            tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=store) as staged_store,
            tempfile.TemporaryDirectory(prefix=".restore-", dir=library) as staged_library,
        ):
            database_copy = staged_database or Path(small) / "caseroom.pgdump"
            staged = (Path(staged_store), Path(staged_library), Path(small))
            say(f"Checking {len(manifest.members)} file(s) of the backup against its manifest …")
            _stage(archive, manifest, database_copy, staged)
            say("Every file matches. Replacing the database …")
            touched = True
            connections.close_all()
            if database_file is not None:
                sqlite_replace(database_file, database_copy)
            else:
                settings_dict = connections["default"].settings_dict
                postgres_restore(Postgres.from_settings(settings_dict), database_copy)
            say("Restoring the scenario store, the library's files and the secret key …")
            _restore_store(Path(staged_store), store)
            library_files = put_library_files(Path(staged_library), library)
            warnings = _restore_secret_key(Path(small) / SECRET_KEY_MEMBER, var_dir)
            logins = Path(small) / DEMO_LOGINS_MEMBER
            if logins.is_file():
                _put_file(logins, var_dir / DEMO_LOGINS_MEMBER)
            else:  # the passwords of another database's demo users
                (var_dir / DEMO_LOGINS_MEMBER).unlink(missing_ok=True)
    except OSError as error:  # a full disk, a name the file system refuses, a permission
        if not touched:
            raise BackupError("io", f"Nothing was restored: {error}.") from None
        raise BackupError(
            "io", f"The restore stopped half-way: {error}. Fix that, then restore again."
        ) from None
    finally:
        if staged_database is not None:
            staged_database.unlink(missing_ok=True)
    return warnings, library_files


def _stage(
    archive: zipfile.ZipFile, manifest: Manifest, database: Path, staged: tuple[Path, Path, Path]
) -> None:
    """Copy each member to its staging place (`staged`: the scenario store's, the library's,
    the small files'), refusing the backup at the first that differs from the manifest or
    would land outside its folder."""
    store, library, small = staged
    for name, member in manifest.members.items():
        if name == manifest.database_member:
            copy_member(archive, name, member, database)
        elif name.startswith((STORE_PREFIX, LIBRARY_PREFIX)):
            if name.startswith(LIBRARY_PREFIX):
                library_target(name)  # refused here, before anything is touched
                folder, prefix = library, LIBRARY_PREFIX
            else:
                folder, prefix = store, STORE_PREFIX
            target = Path(folder, *name[len(prefix) :].split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            copy_member(archive, name, member, target)
        else:  # the secret key, the demo log-ins (check_name allows no other)
            if member.size > SMALL_FILE_LIMIT:
                raise BackupError("members", f"Member {name!r} is too large.")
            copy_member(archive, name, member, small / name)


def _forget_cached_sessions() -> int:
    """Sessions cached in Redis (cached_db, with REDIS_URL) outlive a restore: one made after
    the backup would stay valid for weeks, naming a participant id that someone joining the
    restored database will get. Their cached copies are deleted (SCAN, never FLUSHDB: the
    Redis database may hold other things); the restored sessions are read from the database
    again. Returns how many were deleted."""
    alias = settings.SESSION_CACHE_ALIAS
    config = settings.CACHES.get(alias, {})
    store = getattr(import_module(settings.SESSION_ENGINE), "SessionStore", None)
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix is None or config.get("BACKEND") != "django.core.cache.backends.redis.RedisCache":
        return 0  # sessions in the database only, or in a cache that ends with its process
    location = config["LOCATION"]
    url = location if isinstance(location, str) else list(location)[0]  # where Django writes
    return delete_matching(url, caches[alias].make_key(f"{prefix}*"))


def _restore_store(staged: Path, store: Path) -> None:
    """Each scenario version's folder into the store; one already there with the same files
    is kept, one that differs (altered on disk) is replaced. Folders the backup does not
    have are left: versions are immutable, and an extra one harms nothing."""
    for entry in sorted(staged.iterdir()):
        target = store / entry.name
        if not target.exists():
            entry.rename(target)
        elif not _same(entry, target):
            aside = store / f"{TEMP_PREFIX}replaced-{secrets.token_hex(4)}"
            target.rename(aside)
            entry.rename(target)
            shutil.rmtree(aside, ignore_errors=True)
    fsync_directory(store)


def _same(left: Path, right: Path) -> bool:
    if left.is_file() or right.is_file():
        return left.is_file() and right.is_file() and filecmp.cmp(left, right, shallow=False)
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    _match, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    return (
        not mismatch
        and not errors
        and all(_same(left / name, right / name) for name in comparison.common_dirs)
    )


def _restore_secret_key(staged: Path, var_dir: Path) -> list[str]:
    """The backup's key into var/, unless SECRET_KEY comes from the environment (then the
    environment wins, as in settings.py, and the trainer is told what that means)."""
    from_environment = os.environ.get("SECRET_KEY", "").strip()
    if not staged.is_file():
        if from_environment:
            return []
        return [
            "The backup holds no secret key (SECRET_KEY came from the environment where it "
            "was made): set SECRET_KEY to that value, or everyone logged in must log in again."
        ]
    if from_environment:
        if staged.read_text(encoding="utf-8").strip() == from_environment:
            return []
        return [
            "SECRET_KEY is set in the environment and differs from the backup's secret key, "
            "which was therefore not restored: everyone logged in must log in again."
        ]
    _put_file(staged, var_dir / SECRET_KEY_MEMBER)
    return []


def _put_file(staged: Path, target: Path) -> None:
    """Replace `target` in one rename with an owner-only copy of `staged`."""
    temporary = target.with_name(f".{target.name}.restore-{secrets.token_hex(4)}")
    shutil.copyfile(staged, temporary)
    os.chmod(temporary, PRIVATE)
    os.replace(temporary, target)
