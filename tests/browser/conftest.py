"""A real server for browser tests: migrated, seeded, served by uvicorn on 127.0.0.1.

On SQLite with the in-memory channel layer by default; when DATABASE_URL and REDIS_URL
are set (the second CI pass) on a fresh PostgreSQL database with Redis and two workers,
so live updates cross processes as in production.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import MINI, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "screenshots"
SETUP = """
import django; django.setup()
from django.contrib.auth.models import User
from caseroom.scenarios.registry import register_folder
User.objects.create_user("fac", password="pw-facilitator-1", is_staff=True)
register_folder(__import__("pathlib").Path({mini!r}), explore=False)
"""


@dataclass(frozen=True)
class LiveApp:
    url: str
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_postgres(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def serve(env: dict[str, str], port: int, workers: str = "1") -> subprocess.Popen[bytes]:
    """The production server command on 127.0.0.1, returned once /healthz answers."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "caseroom.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            workers,
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the test server did not start") from None
            time.sleep(0.1)  # polling a starting server: there is no event to await


def app_env(var: Path, database: str) -> tuple[dict[str, str], str]:
    """Environment of a test server with its own var/ and, on the PostgreSQL pass, its own
    fresh database named `database`; returns it with the number of workers to run."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "CASEROOM_VAR_DIR": str(var),
            "DJANGO_SETTINGS_MODULE": "caseroom.settings",
            "LOG_LEVEL": "ERROR",
        }
    )
    workers = "1"
    if os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL"):
        env["DATABASE_URL"] = _fresh_postgres(os.environ["DATABASE_URL"], database)
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        workers = "2"
    return env, workers


def prepare(env: dict[str, str], script: str = "") -> None:
    """Migrate the test server's database and seed the facilitator and the mini scenario."""
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "-c", SETUP.format(mini=str(MINI)) + script], cwd=ROOT, env=env, check=True
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    from tests.browser.pages import ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[LiveApp]:
    var = tmp_path_factory.mktemp("var")
    env, workers = app_env(var, "caseroom_browser")
    prepare(env)
    port = _free_port()
    server = serve(env, port, workers)
    url = f"http://127.0.0.1:{port}"
    try:
        yield LiveApp(url, env)
    finally:
        server.terminate()
        server.wait(timeout=20)
