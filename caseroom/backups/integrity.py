"""Is this database sound? The checks `manage.py checkdata` runs and a restore ends with.

What a soak found in copies taken the wrong way (issue 17): SQLite files whose indexes miss
rows (a retried key was then stored twice), and dumps whose team event count lags its log
(every later action of that team then failed). Each check says exactly what is wrong and
where, so a trainer can decide whether to restore a backup or carry on. The library's files
are checked against the versions that name them, and SQLite's search index against its
passages; files nobody names are listed apart (`library_orphans`): harmless, never deleted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import Count, Max

from caseroom.engine import Event, ReplayError, Session, TeamDigest
from caseroom.exercises.models import Team, TeamEvent
from caseroom.exercises.sessions import digest_of
from caseroom.library import store
from caseroom.library.index import FTS_TABLE
from caseroom.library.models import DocumentVersion, Passage
from caseroom.scenarios.registry import load

__all__ = [
    "Problem",
    "check_database",
    "check_team",
    "library_orphans",
    "library_problems",
    "sqlite_file_problems",
]

# PRAGMA integrity_check stops after this many problems: enough to tell a broken file.
SQLITE_REPORT_LIMIT = 20


@dataclass(frozen=True)
class Problem:
    where: str  # "database", or "team 12 (Team A of exercise 3 “Demo”)"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def check_database(*, replay: bool = True) -> list[Problem]:
    """Every problem found: the file's own integrity (SQLite), each team's log, then the
    library's files and search index.

    `replay=False` skips the slow parts for a quick look: replaying logs and hashing the
    library's files (their presence and sizes are still checked).
    """
    problems = list(_sqlite_integrity())
    problems += _duplicate_keys()
    # Every log's length and last number in one query (not one per team: 10,000 teams).
    logs = {
        row["team_id"]: (row["n"], row["last"])
        for row in TeamEvent.objects.order_by()
        .values("team_id")
        .annotate(n=Count("pk"), last=Max("seq"))
    }
    for team in Team.objects.select_related("exercise__scenario").order_by("pk").iterator():
        problems += check_team(team, replay=replay, log=logs.get(team.pk, (0, None)))
    return problems + library_problems(hash_files=replay)


def _where(team: Team) -> str:
    return f"team {team.pk} ({team.name} of exercise {team.exercise_id} “{team.exercise}”)"


def check_team(
    team: Team, *, replay: bool = True, log: tuple[int, int | None] | None = None
) -> list[Problem]:
    """The team's event count against its log, gaps in the sequence, digest against replay.

    `log`: the log's (length, last number) when the caller has read them already."""
    where = _where(team)
    if log is None:
        found = TeamEvent.objects.filter(team=team).aggregate(n=Count("pk"), last=Max("seq"))
        log = (found["n"], found["last"])
    count, last = log
    problems = []
    if count != team.event_count:
        problems.append(
            Problem(where, f"the team counts {team.event_count} events but its log holds {count}")
        )
    if count and last != count - 1:
        problems.append(Problem(where, f"the log has gaps: {count} events numbered 0 to {last}"))
    if problems or not replay:
        return problems
    try:
        session = Session(load(team.exercise.scenario), list(_events(team)))
    except ReplayError as error:
        return [Problem(where, f"the log does not replay: {error}")]
    if team.digest:
        try:
            stored = TeamDigest.from_dict(team.digest)
        except ValueError:
            stored = None  # another digest version: rebuilt on the next read, not a fault
        if stored is not None and stored.events == count and stored != digest_of(session):
            problems.append(Problem(where, "the stored summary differs from a replay of the log"))
    return problems


def _events(team: Team) -> Iterator[Event]:
    rows = TeamEvent.objects.filter(team=team).order_by("seq").values_list("payload", flat=True)
    for payload in rows.iterator(chunk_size=2000):
        yield Event.from_dict(payload)


def _sqlite_integrity() -> list[Problem]:
    if connection.vendor != "sqlite":
        return []  # PostgreSQL checks its own pages; pg_dump copies are consistent
    return sqlite_file_problems(str(connection.settings_dict["NAME"]))


def sqlite_file_problems(path: str) -> list[Problem]:
    """SQLite's own integrity check of a database file, opened read-only."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as database:
            rows = [
                str(row[0])
                for row in database.execute(f"PRAGMA integrity_check({SQLITE_REPORT_LIMIT})")
            ]
    except sqlite3.DatabaseError as error:  # too damaged to be checked at all
        return [Problem("database", f"SQLite cannot read {path}: {error}")]
    if rows == ["ok"]:
        return []
    return [Problem("database", f"SQLite integrity check: {row}") for row in rows]


def _duplicate_keys() -> list[Problem]:
    """A key stored twice in one team: only a damaged unique index lets that happen."""
    repeated = (
        TeamEvent.objects.exclude(key=None)
        .values("team_id", "key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("team_id", "key")
    )
    return [
        Problem(f"team {row['team_id']}", f"idempotency key {row['key']!r} stored {row['n']} times")
        for row in repeated[:SQLITE_REPORT_LIMIT]
    ]


# ---------------------------------------------------------------- the library


def library_problems(*, hash_files: bool = True) -> list[Problem]:
    """Files a document version names that are missing from the store, or whose size (and,
    with `hash_files`, SHA-256) differs from the version's; then, on SQLite, an FTS5 table
    out of step with the passages. At most SQLITE_REPORT_LIMIT file problems are named (a
    lost store of 10,000 files would bury everything else) with a count of the rest."""
    root = store.root()
    files: list[Problem] = []
    more = 0
    versions = (
        DocumentVersion.objects.exclude(file_name="")
        .order_by("document__slug", "language")
        .values_list("document__slug", "language", "file_name", "file_size", "digest")
    )
    for slug, language, name, size, digest in versions.iterator(chunk_size=2000):
        what = _file_problem(name, size, digest, hash_files=hash_files)
        if what is None:
            continue
        if len(files) < SQLITE_REPORT_LIMIT:
            files.append(Problem(f"library document {slug} ({language})", what))
        else:
            more += 1
    if more:
        files.append(Problem("library", f"{more:,} more file(s) missing or altered in {root}"))
    return files + _index_problems()


def _file_problem(name: str, size: int, digest: str, *, hash_files: bool) -> str | None:
    try:
        path = store.path_of(name)
    except ValueError:
        return f"its file name {name!r} points outside the library store"
    if not path.is_file():
        return f"its file {name} is missing from the library store {store.root()}"
    found = path.stat().st_size
    if found != size:
        return f"its file {name} holds {found:,} bytes, but {size:,} were uploaded"
    if hash_files and digest and _sha256(path) != digest:
        return f"its file {name} differs from the one uploaded (its SHA-256 does not match)"
    return None


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _index_problems() -> list[Problem]:
    """SQLite only: the FTS5 table must hold one row per passage (PostgreSQL computes its
    column from the row itself, so it cannot lag)."""
    if connection.vendor != "sqlite":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")
            indexed = int(cursor.fetchone()[0])
    except DatabaseError as error:
        return [Problem("library", f"the search index cannot be read ({error})")]
    passages = Passage.objects.count()
    if indexed == passages:
        return []
    return [
        Problem(
            "library",
            f"the search index holds {indexed:,} passages and the library {passages:,}: "
            "run manage.py reindex_library",
        )
    ]


def library_orphans() -> list[Path]:
    """Files in the store that no document version names. Harmless (a file is stored
    before the row that names it commits; a restore leaves files the backup lacks), so
    they are reported and never deleted here."""
    known = set(
        DocumentVersion.objects.exclude(file_name="")
        .order_by()
        .values_list("file_name", flat=True)
        .distinct()
    )
    return store.orphans(known)
