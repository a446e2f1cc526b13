"""The production server started for a benchmark that drives it over HTTP and WebSockets
(load.py, workshop.py): uvicorn on 127.0.0.1 with the given workers, and a wait until it
answers /healthz."""

from __future__ import annotations

import asyncio
import os
import shlex
import socket
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def start_server(
    port: int,
    workers: int,
    env: dict[str, str],
    *,
    extra: str = "",
    cpus: Collection[int] | None = None,
) -> subprocess.Popen[bytes]:
    """uvicorn serving caseroom.asgi on `port`; `cpus` pins it (and its workers) there."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            # Another server (a run that was interrupted?) would answer for ours.
            raise SystemExit(f"port {port} is in use: stop what listens there or pass --port")
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "caseroom.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        *shlex.split(extra),
    ]
    pinned = set(cpus or ())
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        preexec_fn=(lambda: os.sched_setaffinity(0, pinned)) if pinned else None,
    )


async def wait_until_healthy(client: Any, server: subprocess.Popen[bytes]) -> None:
    """Until /healthz answers 200 (30 s at most); stops if the server process ends."""
    import httpx

    for _ in range(300):
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode})")
        await asyncio.sleep(0.1)
    raise SystemExit("the server did not answer /healthz within 30 s")
