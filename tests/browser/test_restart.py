"""A server crash mid-exercise loses nothing: participants continue where they were.

Every process of the server is killed (SIGKILL, no graceful shutdown) while participants'
pages are open, then the server is started again on the same port; the open pages
reconnect by themselves and play goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import app_env, axe_check, prepare, served
from tests.browser.pages import LIVE, action, arrived, connected, log_in, new_page, shot

# app.js waits 2, 4, 8, 16, then 30 s (each ±25 %) between attempts to reconnect, polling
# meanwhile: a restart that misses the first attempts is heard on the socket this late.
RECONNECT = 60_000

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
    with app_env(tmp_path, "restart") as (env, workers):
        prepare(env, EXERCISE)
        yield env, workers


def test_a_crashed_server_comes_back_and_play_goes_on(
    browser: Browser, restartable: tuple[dict[str, str], str]
) -> None:
    env, workers = restartable
    with served(env, workers) as server:
        url = server.url
        pages = {}
        for name, role in [
            ("Ana", "Police investigator (Serbia)"),
            ("Petar", "Prosecutor (Serbia)"),
        ]:
            _, page = new_page(browser)
            page.goto(url + "/join/RSTRT2/")
            axe_check(page, f"the join form ({name})")
            page.get_by_label("Your name").fill(name)
            page.get_by_label("Your agency").fill("Police")
            page.get_by_label("Your country").fill("RS")
            page.get_by_label(role).check()
            page.get_by_role("button", name="Join").click()
            arrived(page, re.compile(r"/x/\d+/play/$"))
            expect(page.locator("#scene")).to_contain_text("The stop")
            connected(page)
            pages[name] = page
        ana, petar = pages["Ana"], pages["Petar"]
        action(ana, "Screen everyone for trafficking indicators.")
        expect(ana.locator("#scene")).to_contain_text("Investigation")
        expect(petar.locator("#scene")).to_contain_text("Investigation", timeout=LIVE)

        server.crash()  # SIGKILL to the supervisor, its workers and the resource tracker
        server.start()  # the same port, new processes

        # The open page, never reloaded, acts again against the new processes.
        action(ana, "Check the databases.")
        expect(ana.locator("#scene")).to_contain_text("Ask for surveillance.", timeout=LIVE)
        expect(ana.locator("#feed")).to_contain_text("Good screening.")
        # Petar's page keeps up on its own (polling while its socket is down) and sees what
        # Ana's new move unlocked; both sockets come back.
        expect(petar.locator("#feed")).to_contain_text("Call records", timeout=LIVE)
        axe_check(petar, "the play page kept up by polling while its socket is down")
        for page in (ana, petar):
            connected(page, times=2, timeout=RECONNECT)
        shot(ana, "participant-after-restart")
        axe_check(ana, "the play page after the server restarted")

        # The facilitator's console shows the same state as before the crash, and more.
        _, fac = new_page(browser)
        log_in(fac, url, "fac", "pw-facilitator-1")
        fac.get_by_role("link", name="Restart drill").click()
        arrived(fac, re.compile(r"/facilitate/\d+/$"))
        expect(fac.locator("#teams")).to_contain_text("Check the databases.")
        expect(fac.locator("#teams")).to_contain_text("Screen everyone for trafficking indicators.")
        axe_check(fac, "the console after the server restarted")
