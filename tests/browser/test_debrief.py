"""The debrief in a real browser, on `make run`'s demo data (a finished five-team exercise).

Screenshots of the cross-team analysis, a team's replay, the projector mode, the
after-action report and a participant's released debrief go to var/screenshots/.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from caseroom.exercises.demo_play import FINISHED_TITLE
from tests.browser.conftest import ROOT, LiveApp, _free_port, app_env, serve
from tests.browser.pages import log_in, new_page, shot


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[LiveApp]:
    env, workers = app_env(tmp_path_factory.mktemp("demo"), "caseroom_demo_browser")
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "manage.py", "loaddemo"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = _free_port()
    server = serve(env, port, workers)
    try:
        yield LiveApp(f"http://127.0.0.1:{port}", env)
    finally:
        server.terminate()
        server.wait(timeout=20)


def facilitator_page(browser: Browser, app: LiveApp) -> Page:
    _, page = new_page(browser)
    log_in(page, app.url, "facilitator", "caseroom-demo")
    page.get_by_role("link", name=FINISHED_TITLE).click()
    page.get_by_role("link", name="Debrief across teams").click()
    expect(page.locator("h1")).to_contain_text("debrief")
    return page


def test_the_facilitator_debriefs_the_demo_exercise(browser: Browser, demo_app: LiveApp) -> None:
    page = facilitator_page(browser, demo_app)
    expect(page.locator(".flow-wrap svg")).to_be_visible()
    expect(page.get_by_text("Marked by the facilitator")).to_be_visible()
    shot(page, "debrief-exercise")
    debrief_url = page.url

    # A team's replay; the facilitator marks a step without leaving the page.
    page.get_by_role("link", name="Team C", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Team C")
    first = page.locator("#step-0")
    first.get_by_text("Annotate this step").click()
    first.get_by_label("Mark", exact=True).select_option("good-practice")
    first.get_by_label("Comment").fill("Quick and calm stop — worth showing the group.")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".debrief-mark-good-practice")).to_contain_text(
        "Quick and calm stop — worth showing the group."
    )
    page.reload()
    expect(page.locator("#step-0")).to_contain_text("Quick and calm stop")
    shot(page, "debrief-team")

    # The projector: one screen at a time, moved with the keyboard, no names on it.
    page.goto(debrief_url)
    page.get_by_role("link", name="Projector mode").click()
    expect(page.locator("h1")).to_contain_text(FINISHED_TITLE)
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_contain_text("Where the teams ended")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".kicker")).to_contain_text("Misconception")
    expect(page.locator("body")).not_to_contain_text("Jelena Marković")
    shot(page, "debrief-projector")
    page.keyboard.press("Escape")
    expect(page).to_have_url(debrief_url)

    # The after-action report as a page, and the analysis across exercises.
    page.get_by_role("link", name="HTML").first.click()
    expect(page.locator("body")).to_contain_text("Improvement plan")
    shot(page, "debrief-report")
    page.goto(demo_app.url + "/analysis/")
    page.get_by_role("link", name="Vardar", exact=False).first.click()
    expect(page.locator("h1")).to_be_visible()
    shot(page, "debrief-analysis")


def test_a_participant_opens_the_released_debrief_with_the_join_code(
    browser: Browser, demo_app: LiveApp
) -> None:
    code = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from caseroom.exercises.models import Exercise\n"
            f"print(Exercise.objects.get(title={FINISHED_TITLE!r}).join_code)",
        ],
        cwd=ROOT,
        env=demo_app.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    _, page = new_page(browser, phone=True)
    page.goto(demo_app.url + "/")
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Your team's debrief").click()
    page.get_by_label("Your name, as you joined").fill("jelena marković")
    page.get_by_role("button", name="Open the debrief").click()
    expect(page.locator("h1")).to_contain_text("Team A")
    expect(page.locator("body")).not_to_contain_text("Annotate this step")
    shot(page, "participant-debrief-phone")
