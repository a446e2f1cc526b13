"""Helpers of the backup and restore tests, imported by name (their fixtures are in
conftest.py): an installation to restore into (`Target`), the restore command (or another)
run there in a process of its own, as a trainer runs it; a backup rewritten; and play in a
background thread.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

from caseroom.exercises import actions
from caseroom.exercises.models import Participant, Team
from caseroom.exercises.sessions import session_for

ROOT = Path(__file__).resolve().parents[2]
# A restore of the few rows these tests make takes seconds; this only stops a hung child.
CHILD_TIMEOUT_S = 300
WAIT_S = 60


@dataclass
class Target:
    """An installation to restore into: its environment and a way to read its database."""

    var: Path
    env: dict[str, str]
    sqlite: Path | None = None
    url: str | None = None

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.sqlite is not None:
            with closing(sqlite3.connect(self.sqlite)) as database:
                return database.execute(sql).fetchall()
        import psycopg

        assert self.url is not None
        with psycopg.connect(self.url) as database:
            return database.execute(sql.encode()).fetchall()

    def tables(self) -> set[str]:
        if self.sqlite is not None:
            if not self.sqlite.exists():
                return set()
            return {r[0] for r in self.rows("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            r[0] for r in self.rows("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }


def run_restore(
    backup: Path, target: Target, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`manage.py restore` in a process configured for `target`, as a trainer runs it."""
    return run_manage(target, "restore", str(backup), *options, env=env)


def run_manage(
    target: Target, *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`manage.py` with these arguments in a process configured for `target`."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "SECRET_KEY", "CASEROOM_VAR_DIR")
    }
    command = [sys.executable, "manage.py", *arguments]
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**inherited, "LOG_LEVEL": "ERROR", **target.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )


def rewritten(backup: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of `backup` whose members pass through `change` (None leaves one out)."""
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
    return out


@dataclass
class Play:
    """Teams playing random legal moves and chatting in a thread until stopped."""

    players: list[tuple[int, int]]  # (team id, participant id)
    commands: int = 0
    errors: list[BaseException] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    progress: threading.Condition = field(default_factory=threading.Condition)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="play")
        self.thread.start()

    def wait_for(self, commands: int) -> None:
        with self.progress:
            reached = self.progress.wait_for(
                lambda: self.commands >= commands or bool(self.errors) or self.stop.is_set(),
                timeout=WAIT_S,
            )
        assert reached and not self.errors, self.errors
        assert self.commands >= commands, "play stopped before it got this far"

    def finish(self) -> None:
        self.stop.set()
        assert self.thread is not None
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive()
        assert self.errors == []

    def _run(self) -> None:
        rng = random.Random(17)
        try:
            players = [
                (Team.objects.get(pk=t), Participant.objects.get(pk=p)) for t, p in self.players
            ]
            while not self.stop.is_set():
                for team, participant in players:
                    options = session_for(team).legal_events()
                    if options:
                        actions.command(team, rng.choice(options), participant=participant)
                    # Chat never runs out, so the play goes on after every team's ending.
                    actions.send_message(team, f"note {self.commands}", participant=participant)
                    with self.progress:
                        self.commands += 1
                        self.progress.notify_all()
        except BaseException as error:  # reported by wait_for and finish
            self.errors.append(error)
            with self.progress:
                self.progress.notify_all()
        finally:
            connections.close_all()
