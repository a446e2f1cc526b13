"""The database in a backup: a consistent copy taken while people play, and its replacement
on restore, on SQLite and on PostgreSQL.

A soak (issue "Data safety") found copying the SQLite file during play corrupt in 1 of 449
copies and `dumpdata` inconsistent (it reads table after table); SQLite's backup API and
pg_dump were exact. So: SQLite's backup API in one step (one read transaction), and
pg_dump of a snapshot exported by a transaction that also reads the manifest's figures, so
that the counts describe exactly the rows in the dump.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseroom.exercises.models import Exercise, Message, Participant, Team, TeamEvent

from .archive import COUNTED, BackupError

__all__ = [
    "Postgres",
    "Snapshot",
    "counted_tables",
    "pg_tool",
    "postgres_restore",
    "postgres_snapshot",
    "processes_using",
    "sqlite_replace",
    "sqlite_snapshot",
]

# SQLite waits this long for a writer's commit to finish before it may read.
SQLITE_TIMEOUT_S = 60
# Options of Django's PostgreSQL backend that are not libpq connection parameters.
DJANGO_ONLY_OPTIONS = {
    "assume_role",
    "client_encoding",
    "context",
    "cursor_factory",
    "isolation_level",
    "pool",
    "prepare_threshold",
    "server_side_binding",
}
# What of a failing tool's error output goes into the message.
STDERR_TAIL = 2000


@dataclass(frozen=True)
class Snapshot:
    """A copy of the database and what it holds, read from the copy's own state."""

    path: Path
    migrations: dict[str, str]
    counts: dict[str, int]


def counted_tables() -> dict[str, str]:
    tables = {
        "exercises": Exercise._meta.db_table,
        "teams": Team._meta.db_table,
        "team_events": TeamEvent._meta.db_table,
        "participants": Participant._meta.db_table,
        "messages": Message._meta.db_table,
    }
    assert tuple(tables) == COUNTED
    return tables


def _state(
    query: Callable[[str], Iterable[tuple[Any, ...]]], tables: set[str]
) -> tuple[dict[str, str], dict[str, int]]:
    """The latest applied migration per app and the row counts, through one connection.
    Table names come from the models, never from input; a missing table counts nothing."""
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        for app, name in query("SELECT app, name FROM django_migrations"):
            migrations[app] = max(str(name), migrations.get(app, ""))
    counts = {
        key: int(next(iter(query(f'SELECT COUNT(*) FROM "{table}"')))[0]) if table in tables else 0
        for key, table in counted_tables().items()
    }
    return dict(sorted(migrations.items())), counts


# ---------------------------------------------------------------- SQLite


def sqlite_snapshot(source: Path, copy: Path) -> Snapshot:
    """Copy the live database with SQLite's backup API, then read the copy's state.

    All pages in one step: a stepwise copy restarts whenever another connection writes,
    which during play could be forever. In WAL mode writers go on meanwhile; otherwise
    they wait for the copy (about a second per 500 MB) within their 20 s timeout.
    """
    if not source.is_file():
        raise BackupError("no_database", f"There is no database at {source}.")
    try:
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_TIMEOUT_S)) as live,
            closing(sqlite3.connect(copy)) as out,
        ):
            live.backup(out)
            # One self-contained file: in WAL mode the copy would expect a -wal file.
            out.execute("PRAGMA journal_mode=DELETE")

            def query(sql: str) -> list[tuple[Any, ...]]:
                return out.execute(sql).fetchall()

            tables = {row[0] for row in query("SELECT name FROM sqlite_master WHERE type='table'")}
            migrations, counts = _state(query, tables)
    except sqlite3.Error as error:
        raise BackupError("sqlite", f"SQLite could not copy {source}: {error}.") from None
    return Snapshot(copy, migrations, counts)


def processes_using(path: Path) -> list[str]:
    """Other processes holding the database file (or its WAL) open: a server still serving.
    Linux only (/proc); elsewhere an empty list, and the restore's warning must do."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return []
    resolved = str(path.resolve())
    wanted = {resolved, f"{resolved}-wal", f"{resolved}-journal"}
    found = []
    with os.scandir(proc) as processes:
        for entry in processes:
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                with os.scandir(f"{entry.path}/fd") as descriptors:
                    holds = any(os.readlink(fd.path) in wanted for fd in descriptors)
                if holds:
                    command = (proc / entry.name / "cmdline").read_bytes().replace(b"\0", b" ")
                    found.append(f"{entry.name} ({command.decode(errors='replace').strip()[:80]})")
            except OSError:  # ended meanwhile, or another user's
                continue
    return found


def sqlite_replace(target: Path, staged: Path) -> None:
    """Put the restored file in place in one rename, without the old file's -wal and -shm:
    SQLite would otherwise apply the old database's journal to the new file."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)
    fsync_directory(target.parent)


def fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable (a crash right after must not undo it)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------- PostgreSQL


@dataclass(frozen=True)
class Postgres:
    """A database to connect to: libpq parameters without the password, which the tools
    get from the environment (never on a command line, where `ps` shows it)."""

    conninfo: str
    password: str

    @classmethod
    def from_settings(cls, database: Mapping[str, Any]) -> Postgres:
        from psycopg.conninfo import make_conninfo

        options = {
            key: value
            for key, value in dict(database.get("OPTIONS") or {}).items()
            if key not in DJANGO_ONLY_OPTIONS and isinstance(value, str | int)
        }
        given = {
            "dbname": database.get("NAME"),
            "user": database.get("USER"),
            "host": database.get("HOST"),
            "port": database.get("PORT"),
        }
        options.update({key: value for key, value in given.items() if value})
        return cls(make_conninfo("", **options), str(database.get("PASSWORD") or ""))

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.conninfo, password=self.password or None)


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on the PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.parent.name))

    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if candidates:
        return str(candidates[-1])
    raise BackupError(
        "pg_tools",
        f"{name} was not found. Install PostgreSQL's client programs, of the server's "
        "version or newer (Debian and Ubuntu: apt install postgresql-client), and run again.",
    )


def _run(database: Postgres, command: list[str]) -> None:
    try:
        done = subprocess.run(
            command, env=database.environment(), capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError("pg_tools", f"{command[0]} could not be started: {error}.") from None
    if done.returncode != 0:
        name = Path(command[0]).name
        raise BackupError(name, f"{name} failed: {done.stderr.strip()[-STDERR_TAIL:]}")


def postgres_snapshot(database: Postgres, dump: Path) -> Snapshot:
    """pg_dump of a snapshot that one transaction exports and reads the counts in."""
    import psycopg

    pg_dump = pg_tool("pg_dump")
    try:
        with closing(database.connect()) as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True

            def query(sql: str) -> list[tuple[Any, ...]]:
                return list(connection.execute(sql.encode()).fetchall())  # model names only

            # The transaction's snapshot is taken by its first statement: this one.
            snapshot = str(query("SELECT pg_export_snapshot()")[0][0])
            tables = {
                str(row[0])
                for row in query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            }
            migrations, counts = _state(query, tables)
            # The exporting transaction stays open until pg_dump has imported its snapshot.
            _run(
                database,
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(dump)]
                + ["--dbname", database.conninfo],
            )
            connection.rollback()
    except psycopg.Error as error:
        raise BackupError("postgresql", f"PostgreSQL: {error}".strip()) from None
    return Snapshot(dump, migrations, counts)


def postgres_restore(database: Postgres, dump: Path) -> None:
    """Replace the database's tables with the dump's in one transaction: a restore that
    fails half-way (a lock, a full disk) leaves the database as it was."""
    _run(
        database,
        [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl"]
        + ["--single-transaction", "--exit-on-error", "--dbname", database.conninfo, str(dump)],
    )
