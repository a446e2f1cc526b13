"""A real server for browser tests: migrated, seeded, served by uvicorn on 127.0.0.1.

On SQLite with the in-memory channel layer by default; when DATABASE_URL and REDIS_URL
are set (the second CI pass) on a fresh PostgreSQL database with Redis and two workers,
so live updates cross processes as in production.

Whatever a server uses outside the test process is its own and goes when it stops: the
server runs in a process group of its own and the whole group is ended and waited for
(uvicorn's workers and multiprocessing's resource tracker outlive a killed supervisor,
still listening on its port); its database and cache key prefix are named after the run
(tests/leftovers.py) and dropped and deleted with it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import MINI, ROOT
from tests.leftovers import (
    CACHE_PREFIX,
    RUN,
    RUN_VAR,
    create_database,
    database_name,
    delete_keys,
    drop_database,
    port_is_free,
    stop_group,
    wait_until,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# axe-core from npm (package.json, pinned in package-lock.json; `make test` runs `npm ci`).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What the checks hold every page to: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
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


class Server:
    """The production server command on 127.0.0.1:`port`, in a process group of its own."""

    def __init__(self, env: dict[str, str], port: int, workers: str) -> None:
        self.env = env
        self.port = port
        self.workers = workers
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start, and return once this server (not an earlier one) answers /healthz."""
        assert self.process is None, "already running"
        assert port_is_free(self.port), f"something still listens on port {self.port}"
        command = [sys.executable, "-m", "uvicorn", "caseroom.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", self.workers]
        # As `make run` serves: no Server banner (tests/browser/test_exercise_flow.py checks).
        command += ["--log-level", "warning", "--no-access-log", "--no-server-header"]
        # A session of its own: its process group holds the workers and the resource
        # tracker too, so that stop() and crash() reach every one of them.
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            code = self.process.poll()
            if code is not None:
                self.process = None
                raise RuntimeError(f"the test server exited with {code} before answering")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the test server did not answer /healthz within 30 s")
            time.sleep(0.1)  # polling a starting server: there is no event to await

    def crash(self) -> None:
        """SIGKILL to every process of the server: no shutdown handler runs."""
        self._end(crash=True)

    def stop(self) -> None:
        self._end(crash=False)

    def _end(self, *, crash: bool) -> None:
        if self.process is None:
            return
        stop_group(self.process, crash=crash)
        self.process = None
        # The kernel closes the listening socket as the last process holding it goes.
        closed = wait_until(lambda: port_is_free(self.port), timeout=10)
        assert closed, f"port {self.port} still answers after the server ended"


@contextmanager
def served(env: dict[str, str], workers: str, port: int | None = None) -> Iterator[Server]:
    server = Server(env, port or _free_port(), workers)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# The run's collected static files (see collected_static), made once.
_static: list[Path] = []


def collected_static() -> Path:
    """Static files as `make run` serves them (hashed names, gzip and Brotli copies), collected
    once per run into a folder of its own: hashing and compressing every file takes ~15 s.
    Each test server's var/static links to it."""
    if not _static:
        var = Path(tempfile.mkdtemp(prefix="caseroom-static-"))
        atexit.register(shutil.rmtree, var, True)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            {
                "CASEROOM_VAR_DIR": str(var),
                "CASEROOM_STATIC_COLLECTED": "true",
                "DJANGO_SETTINGS_MODULE": "caseroom.settings",
                RUN_VAR: RUN,
            }
        )
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        _static.append(var / "static")
    return _static[0]


@contextmanager
def app_env(var: Path, purpose: str) -> Iterator[tuple[dict[str, str], str]]:
    """Environment of a test server with its own var/ and, on the PostgreSQL pass, a
    database of its own (named after the run and `purpose`) and cache keys under a prefix of
    its own; yields it with the number of workers to run, then drops and deletes both."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    prefix = f"{CACHE_PREFIX}-{purpose}"
    env.update(
        {
            "CASEROOM_VAR_DIR": str(var),
            # Served as `make run` serves them: hashed, compressed, cached (collected_static).
            "CASEROOM_STATIC_COLLECTED": "true",
            # The settings take the Redis cache's KEY_PREFIX from CACHE_KEY_PREFIX: the test
            # deletes exactly what its server wrote there, and two runs never meet.
            "DJANGO_SETTINGS_MODULE": "caseroom.settings",
            "CACHE_KEY_PREFIX": prefix,
            "LOG_LEVEL": "ERROR",
            RUN_VAR: RUN,
        }
    )
    var.mkdir(parents=True, exist_ok=True)
    (var / "static").symlink_to(collected_static(), target_is_directory=True)
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not (database_url.startswith("postgres") and redis_url):
        yield env, "1"
        return
    name = database_name(purpose)
    env["DATABASE_URL"] = create_database(database_url, name)
    env["REDIS_URL"] = redis_url
    try:
        yield env, "2"
    finally:
        try:
            drop_database(database_url, name)
        finally:
            delete_keys(redis_url, f"{prefix}:*")


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


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Browser]:
    """One Chromium for the browser tests, closed after the last of them: Playwright's sync
    API runs its event loop in the main thread, and tests collected after these (async_to_sync
    in test_body_limit, test_middleware) must not find it running."""
    from tests.browser.pages import ARGS, PATIENCE

    # expect() waits 5 s unless told: live updates pass LIVE, everything else gets PATIENCE.
    expect.set_options(timeout=PATIENCE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[LiveApp]:
    with app_env(tmp_path_factory.mktemp("var"), "browser") as (env, workers):
        prepare(env)
        with served(env, workers) as server:
            yield LiveApp(server.url, env)


# Accessibility ----------------------------------------------------------------------------

# How many axe checks could not run for want of axe-core (outside CI only; see axe_check).
_axe_not_run: list[str] = []
# Runs axe over the whole document once the page has drawn, violations only.
_AXE_RUN = """
async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact || "",
    help: v.help,
    url: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      summary: (n.failureSummary || "").replace(/\\s+/g, " ").trim(),
    })),
  }));
}
"""


def _axe_source() -> str | None:
    try:
        return AXE.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def axe_violations(page: Page) -> list[dict[str, object]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (axe injected if need be).

    The script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy (no inline script, no eval) does not govern, so the page is
    checked under the policy it really has."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        source = _axe_source()
        assert source is not None, f"{AXE} is missing: run `npm ci --no-audit --no-fund`"
        page.evaluate(source + "\n;true")
    found: list[dict[str, object]] = page.evaluate(_AXE_RUN, list(AXE_TAGS))
    return found


def describe_violations(violations: list[dict[str, object]]) -> str:
    """One paragraph per rule: what is wrong, where (up to 5 elements), and how to fix it."""
    lines: list[str] = []
    for violation in violations:
        nodes = violation["nodes"]
        assert isinstance(nodes, list)
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}, "
            f"{len(nodes)} element(s) <{violation['url']}>"
        )
        for node in nodes[:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
        if len(nodes) > 5:
            lines.append(f"    … and {len(nodes) - 5} more")
    return "\n".join(lines)


def axe_check(page: Page, where: str = "") -> None:
    """Fail the test when axe-core finds a WCAG 2.1 A/AA violation on the page as it is now.

    Call it on every state a browser test reaches (after `arrived`, `idle` or a live update
    has landed), naming the state: `axe_check(page, "play page after acting")`. Without
    node_modules/axe-core, CI fails (.ci/run installs it); a laptop without npm runs the
    rest of the test and the run's summary says how many checks did not run.
    """
    state = where or page.url
    if _axe_source() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: `make test` installs it with `npm ci`")
        _axe_not_run.append(state)
        return
    # A swap under way would be checked half-done: the state is the one htmx settles on.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"axe-core: {len(violations)} WCAG 2.1 A/AA rule(s) violated on {state} "
            f"({page.url}):\n{describe_violations(violations)}",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _axe_not_run:
        terminalreporter.write_line(
            f"axe-core is not installed (npm ci): {len(_axe_not_run)} accessibility check(s) "
            "did not run",
            yellow=True,
        )
