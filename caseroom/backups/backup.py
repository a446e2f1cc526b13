"""`create_backup`: everything the data needs in one owner-only file, taken while people play.

The database (a consistent copy: see databases.py), the scenario store's files relative to
SCENARIO_STORE, the library's uploaded files relative to LIBRARY_STORE, the secret key when
it lives in var/ (without it a restored database logs every participant out) and the demo
log-ins, with a manifest (archive.py). Written under a hidden temporary name and renamed
when complete, so a killed backup never leaves a file that looks like one.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connections
from django.utils import timezone

from caseroom.engine.yamlsource import walk_files
from caseroom.library import store as library_store
from caseroom.scenarios.registry import TEMP_PREFIX

from .archive import (
    DATABASE_MEMBERS,
    DEMO_LOGINS_MEMBER,
    PRIVATE,
    SECRET_KEY_MEMBER,
    STORE_PREFIX,
    ArchiveWriter,
    BackupError,
    Manifest,
)
from .databases import Postgres, Snapshot, fsync_directory, postgres_snapshot, sqlite_snapshot
from .libraryfiles import library_files

__all__ = ["BackupResult", "backups_folder", "create_backup", "default_path"]

# zlib level 1: the 10,000-team set's SQLite file (127 MB) became 30 MB in a 3.1 s backup;
# the default level 6 made 25 MB in 5.6 s (benchmarks/backup.py). pg_dump's archive is
# compressed already (11 MB for the same set) and is stored as it is.
COMPRESSLEVEL = 1
# Library files of these types are compressed already (PDF streams, DOCX is a zip): stored
# as they are, they cost no CPU; Markdown is deflated.
STORED_AS_IS = (".pdf", ".docx")
WORK_PREFIX = ".backup-"
PARTIAL_MARK = ".partial-"
# Work files of a backup that was killed are deleted by a later backup after this long.
STALE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    seconds: float


def backups_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def default_path(now: dt.datetime | None = None) -> Path:
    """var/backups/caseroom-YYYYMMDD-HHMMSS.zip in the installation's time zone."""
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    return backups_folder() / f"caseroom-{stamp}.zip"


def create_backup(out: Path | None = None, *, compresslevel: int = COMPRESSLEVEL) -> BackupResult:
    """Back up the configured database and data folder into `out` (default: `default_path`).

    BackupError when `out` exists or the database cannot be copied; never overwrites.
    """
    started = time.perf_counter()
    target = Path(out) if out is not None else default_path()
    if out is not None and target.exists():
        raise BackupError("exists", f"{target} already exists: name another file.")
    vendor = connections["default"].vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError("vendor", f"Backups support SQLite and PostgreSQL, not {vendor}.")
    try:
        work_root = backups_folder()
        for folder in (work_root, target.parent):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            _sweep(folder)
        partial = target.with_name(f".{target.name}{PARTIAL_MARK}{secrets.token_hex(4)}")
        with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=work_root) as work:
            snapshot = _snapshot(vendor, Path(work))
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    manifest = _write(handle, vendor, snapshot, compresslevel)
                    handle.flush()
                    os.fsync(handle.fileno())
                target = _publish(partial, target, numbered=out is None)
            finally:
                partial.unlink(missing_ok=True)
    except OSError as error:  # a full disk, a memory stick pulled out, no permission
        raise BackupError("io", f"The backup could not be written to {target}: {error}.") from None
    return BackupResult(target, target.stat().st_size, manifest, time.perf_counter() - started)


def _snapshot(vendor: str, work: Path) -> Snapshot:
    wrapper = connections["default"]
    database = wrapper.settings_dict
    if vendor == "sqlite":
        return sqlite_snapshot(Path(database["NAME"]), work / "caseroom.sqlite3")
    # The database the live connection really uses: a connection pool made before the
    # settings were last changed (as pytest-django does for its test database) keeps the
    # name it was made with.
    wrapper.ensure_connection()
    live = {**database, "NAME": wrapper.connection.info.dbname}
    return postgres_snapshot(Postgres.from_settings(live), work / "caseroom.pgdump")


def _write(handle: IO[bytes], vendor: str, snapshot: Snapshot, compresslevel: int) -> Manifest:
    writer = ArchiveWriter(handle, compresslevel=compresslevel)
    writer.add_file(DATABASE_MEMBERS[vendor], snapshot.path, compress=vendor == "sqlite")
    # After the database copy: a version registered meanwhile adds a folder nobody uses
    # yet, while every version the copy names has its folder (stored before its row).
    for name, path in _store_files(Path(settings.SCENARIO_STORE)):
        writer.add_file(name, path)
    # Likewise, an upload stores its file before the row naming it commits: every file
    # the copy names is on disk by now. Each is streamed (add_file reads 1 MB at a time).
    for name, path in library_files(library_store.root()):
        writer.add_file(name, path, compress=not name.endswith(STORED_AS_IS))
    key_file = Path(settings.VAR_DIR) / "secret_key"
    with_key = not os.environ.get("SECRET_KEY") and key_file.is_file()
    if with_key:
        writer.add_file(SECRET_KEY_MEMBER, key_file)
    logins = Path(settings.VAR_DIR) / DEMO_LOGINS_MEMBER
    if logins.is_file():
        writer.add_file(DEMO_LOGINS_MEMBER, logins)
    manifest = Manifest(
        created_at=timezone.now().isoformat(timespec="seconds"),
        vendor=vendor,
        migrations=snapshot.migrations,
        counts=snapshot.counts,
        secret_key=with_key,
        members=dict(writer.members),
    )
    writer.finish(manifest)
    return manifest


def _store_files(store: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file of the store, named relative to it; registrations in progress
    (their work folders) and symbolic links left out."""
    if not store.is_dir():
        return
    for path in walk_files(store):
        relative = path.relative_to(store)
        if relative.parts[0].startswith(TEMP_PREFIX) or path.is_symlink() or not path.is_file():
            continue
        yield STORE_PREFIX + relative.as_posix(), path


def _publish(partial: Path, target: Path, *, numbered: bool) -> Path:
    """Give the finished file its name without replacing another: a hard link fails if the
    name is taken (two backups in one second get -2, -3). File systems without hard links
    (a FAT memory stick) get a rename after a check."""
    for attempt in range(1, 100):
        name = target if attempt == 1 else target.with_stem(f"{target.stem}-{attempt}")
        try:
            os.link(partial, name)
        except FileExistsError:
            if not numbered:
                raise BackupError("exists", f"{name} already exists: name another file.") from None
            continue
        except OSError:
            if name.exists():
                if not numbered:
                    raise BackupError("exists", f"{name} already exists.") from None
                continue
            os.replace(partial, name)
        fsync_directory(name.parent)
        return name
    raise BackupError("exists", f"Too many backups named {target.stem}-N in {target.parent}.")


def _sweep(folder: Path) -> None:
    """Delete what killed backups left in `folder` (hidden names, never a finished backup)."""
    cutoff = time.time() - STALE_SECONDS
    for entry in folder.iterdir():
        name = entry.name
        ours = name.startswith(WORK_PREFIX) or (name.startswith(".") and PARTIAL_MARK in name)
        try:
            if ours and entry.lstat().st_mtime < cutoff:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
        except FileNotFoundError:
            continue
