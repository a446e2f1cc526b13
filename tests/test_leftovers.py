"""The helpers that take down what a test run started (tests/leftovers.py) reach everything:
a process group's grandchildren too, as uvicorn's workers are to the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import leftovers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

# A supervisor with two workers, as `uvicorn --workers 2` is: the workers are its children,
# not ours, and a signal to the supervisor alone leaves them running.
SUPERVISOR = """
import subprocess, time
workers = [subprocess.Popen(["sleep", "300"]) for _ in range(2)]
print(" ".join(str(worker.pid) for worker in workers), flush=True)
time.sleep(300)
"""


def _start() -> tuple[subprocess.Popen[bytes], list[int]]:
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR], stdout=subprocess.PIPE, start_new_session=True
    )
    assert supervisor.stdout is not None
    workers = [int(pid) for pid in supervisor.stdout.readline().split()]
    supervisor.stdout.close()
    assert sorted(leftovers.group_members(supervisor.pid)) == sorted([supervisor.pid, *workers])
    return supervisor, workers


@pytest.mark.parametrize("crash", [False, True], ids=["stop", "crash"])
def test_stopping_a_group_ends_the_workers_too(crash: bool) -> None:
    supervisor, workers = _start()
    leftovers.stop_group(supervisor, crash=crash)
    assert supervisor.returncode is not None
    assert leftovers.group_members(supervisor.pid) == []


def test_a_process_the_run_started_carries_its_mark() -> None:
    supervisor, workers = _start()
    try:
        marked = {pid for pid, _command in leftovers.marked_processes()}
        assert {supervisor.pid, *workers} <= marked
    finally:
        leftovers.stop_group(supervisor, crash=True)
    assert not {supervisor.pid, *workers} & {pid for pid, _ in leftovers.marked_processes()}
