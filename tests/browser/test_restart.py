"""A server crash mid-exercise loses nothing: participants continue where they were.

The server is killed (SIGKILL, no graceful shutdown) while a participant's page is open,
then started again on the same port; the open page reconnects by itself and play goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import _free_port, app_env, prepare, serve
from tests.browser.pages import LIVE, action, log_in, new_page, shot

EXERCISE = """
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios.models import ScenarioVersion
exercise = Exercise.objects.create(
    title="Restart drill", scenario=ScenarioVersion.objects.get(), status="running",
    join_code="RSTRT2",
)
exercise.facilitators.add(User.objects.get(username="fac"))
actions.create_teams(exercise, 1)
"""


@pytest.fixture
def restartable(tmp_path: Path, chromium_path: str) -> Iterator[tuple[dict[str, str], str]]:
    env, workers = app_env(tmp_path, "caseroom_restart")
    prepare(env, EXERCISE)
    yield env, workers


def test_a_crashed_server_comes_back_and_play_goes_on(
    browser: Browser, restartable: tuple[dict[str, str], str]
) -> None:
    env, workers = restartable
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = serve(env, port, workers)
    try:
        pages = {}
        for name, role in [
            ("Ana", "Police investigator (Serbia)"),
            ("Petar", "Prosecutor (Serbia)"),
        ]:
            _, page = new_page(browser)
            page.goto(url + "/join/RSTRT2/")
            page.get_by_label("Your name").fill(name)
            page.get_by_label("Your agency").fill("Police")
            page.get_by_label("Your country").fill("RS")
            page.get_by_label(role).check()
            page.get_by_role("button", name="Join").click()
            expect(page.locator("#scene")).to_contain_text("The stop")
            pages[name] = page
        ana, petar = pages["Ana"], pages["Petar"]
        action(ana, "Screen everyone for trafficking indicators.")
        expect(ana.locator("#scene")).to_contain_text("Investigation")

        server.kill()  # a crash: no shutdown handlers run
        server.wait(timeout=20)
        server = serve(env, port, workers)

        # The open page, never reloaded, acts again against the new process.
        action(ana, "Check the databases.")
        expect(ana.locator("#scene")).to_contain_text("Ask for surveillance.", timeout=LIVE)
        expect(ana.locator("#feed")).to_contain_text("Good screening.")
        # Petar's page reconnected on its own and sees what Ana's new move unlocked.
        expect(petar.locator("#feed")).to_contain_text("Call records", timeout=LIVE)
        shot(ana, "participant-after-restart")

        # The facilitator's console shows the same state as before the crash, and more.
        _, fac = new_page(browser)
        log_in(fac, url, "fac", "pw-facilitator-1")
        fac.get_by_role("link", name="Restart drill").click()
        expect(fac.locator("#teams")).to_contain_text("Check the databases.")
        expect(fac.locator("#teams")).to_contain_text("Screen everyone for trafficking indicators.")
    finally:
        server.terminate()
        server.wait(timeout=20)
