"""What a test run starts outside its own process, and how it takes it all down again.

Every name a run gives to something shared (a PostgreSQL database, a Redis key prefix)
carries `RUN`, unique per pytest session, so that two runs against one server never meet;
every process a run starts inherits `RUN_VAR=RUN` in its environment, so that whatever
survives the run can be found by it, whichever process group or parent it ended up with.
tests/conftest.py checks at the end of the session that nothing carrying `RUN` is left.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "CACHE_PREFIX",
    "RUN",
    "RUN_VAR",
    "Leftover",
    "create_database",
    "database_name",
    "databases",
    "delete_keys",
    "drop_database",
    "group_members",
    "left_behind",
    "marked_processes",
    "port_is_free",
    "redis_keys",
    "stop_group",
    "wait_until",
]

# The pid tells a person whose run it was; the random part keeps two hosts (or a reused pid)
# apart. Lower case and underscores: it goes into unquoted PostgreSQL identifiers.
RUN = f"{os.getpid()}_{secrets.token_hex(4)}"
RUN_VAR = "CASEROOM_TEST_RUN"
# Set on import, which tests/conftest.py does before any test starts a process.
os.environ[RUN_VAR] = RUN
# The prefix of every cache key the run writes to Redis (no glob characters: it is matched).
CACHE_PREFIX = f"caseroom-test-{RUN}"


@dataclass(frozen=True)
class Leftover:
    kind: str  # "process", "database" or "redis key"
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def wait_until(done: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """For states that send no event we can wait on (another process's socket or a
    database's list): look again until `done()` or the timeout; returns the last answer."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


# Processes ------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, process group) of a live process, or None when it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        # The command name in parentheses may itself hold spaces and parentheses.
        state, _ppid, pgrp = text.rsplit(")", 1)[1].split()[:3]
        # A killed process's main thread can be a zombie while its other threads are still
        # exiting, holding its files (a listening socket) open: alive until they are gone.
        if state in ("Z", "X") and len(os.listdir(f"/proc/{pid}/task")) <= 1:
            return None
    except OSError:
        return None
    return state, int(pgrp)


def _pids() -> list[int]:
    # A list, not a generator: a loop left early must not leave the directory open.
    with os.scandir("/proc") as entries:
        return [int(entry.name) for entry in entries if entry.name.isdigit()]


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    found = []
    for pid in _pids():
        stat = _stat(pid)
        if stat is not None and stat[1] == pgid:
            found.append(pid)
    return found


def _wait_for_exit(pids: list[int], timeout: float) -> None:
    """Wait for the processes' exit itself (a pidfd becomes readable when its process
    ends, reaped or not), not for a guessed delay."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except (ProcessLookupError, OSError):
            continue  # already gone
        try:
            select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(fd)


def stop_group(process: subprocess.Popen[bytes], *, crash: bool = False, grace: float = 20) -> None:
    """End a process started with `start_new_session=True` and every process in its group.

    SIGTERM (or SIGKILL for a crash) goes to the whole group: uvicorn's workers and
    multiprocessing's resource tracker outlive a killed supervisor otherwise, still
    listening on its port. Waits for the leader (our child) and for every other member,
    which init reaps, and kills what has not ended after `grace` seconds.
    """
    pgid = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL if crash else signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=grace)
    _wait_for_exit(group_members(pgid), grace)
    rest = group_members(pgid)
    if rest:
        for pid in rest:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _wait_for_exit(rest, grace)
        rest = group_members(pgid)
        assert not rest, f"processes {rest} of group {pgid} survived SIGKILL"


def marked_processes(run: str = RUN) -> list[tuple[int, str]]:
    """Live processes, other than this one, whose environment carries this run's mark."""
    mark = f"{RUN_VAR}={run}".encode()
    found = []
    for pid in _pids():
        if pid == os.getpid() or _stat(pid) is None:
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
            if mark not in environ.split(b"\0"):
                continue
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue  # ended meanwhile, or not ours to read
        found.append((pid, command.decode(errors="replace").strip()[:200]))
    return found


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Nothing accepts connections on the port any more."""
    with socket.socket() as probe:
        probe.settimeout(2)
        try:
            probe.connect((host, port))
        except OSError:
            return True
    return False


# PostgreSQL -----------------------------------------------------------------------------


def database_name(purpose: str) -> str:
    return f"caseroom_{RUN}_{purpose}"


def _admin(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    import psycopg  # only the PostgreSQL pass needs it

    return psycopg.connect(url, autocommit=True)


def create_database(url: str, name: str) -> str:
    """A new, empty database on the server of `url`; returns its URL."""
    with _admin(url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str, name: str) -> None:
    """FORCE: a server connection still closing (or a killed worker's) must not keep it."""
    with _admin(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def databases(url: str) -> set[str]:
    with _admin(url) as connection:
        rows = connection.execute("SELECT datname FROM pg_database").fetchall()
    return {str(name) for (name,) in rows}


# Redis ----------------------------------------------------------------------------------


def redis_keys(url: str, pattern: str = "*") -> set[str]:
    import redis

    with redis.Redis.from_url(url) as client:
        return {key.decode() for key in client.scan_iter(match=pattern, count=1000)}


def delete_keys(url: str, pattern: str) -> int:
    """Delete the keys matching `pattern` (SCAN, never KEYS or FLUSHDB: the server is shared)."""
    from caseroom.lib.cache import delete_matching

    return delete_matching(url, pattern)


# The check at the end of a run ------------------------------------------------------------


def left_behind(
    database_url: str, redis_url: str, databases_before: set[str], keys_before: set[str] | None
) -> list[Leftover]:
    """What the run left: its processes (after a grace period, as processes end a moment
    after the signal that ends them), the databases named after it, and, with `keys_before`
    given (CI, where the servers are the run's alone), any database or Redis key that
    appeared during the run. Only what carries the run's name is removed: a database or key
    that merely appeared may be another run's, which is still using it. The run's own Redis
    keys are deleted without being reported (the main suite's sessions are expected there).
    """
    found: list[Leftover] = []
    if Path("/proc/self/environ").exists():
        wait_until(lambda: not marked_processes(), timeout=10)
        for pid, command in marked_processes():
            found.append(Leftover("process", f"{pid} ({command})"))
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if database_url:
        for name in sorted(databases(database_url) - databases_before):
            if RUN in name:
                found.append(Leftover("database", name))
                drop_database(database_url, name)
            elif keys_before is not None:
                found.append(Leftover("database (not removed: not named after this run)", name))
    if redis_url:
        delete_keys(redis_url, f"{CACHE_PREFIX}*")
        if keys_before is not None:
            for key in sorted(redis_keys(redis_url) - keys_before):
                found.append(Leftover("redis key (not removed: not this run's prefix)", key))
    return found
