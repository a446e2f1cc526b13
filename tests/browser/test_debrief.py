"""The debrief in a real browser, on `make run`'s demo data (a finished five-team exercise).

Screenshots of the cross-team analysis, a team's replay, the projector mode, the
after-action report and a participant's released debrief go to var/screenshots/.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from caseroom.demo.play import FINISHED_TITLE
from tests.browser.conftest import ROOT, LiveApp, app_env, axe_check, served
from tests.browser.pages import arrived, log_in, new_page, shot

# The demo participant whose released debrief the last test opens (demo/script.py).
PARTICIPANT = "Jelena Marković"
FIND = """
import django, json; django.setup()
from caseroom.exercises import actions
from caseroom.exercises.models import Participant
who = Participant.objects.get(exercise__title={title!r}, name={name!r})
print(json.dumps({{"join": who.exercise.join_code, "personal": actions.new_personal_code(who)}}))
"""


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[LiveApp]:
    with app_env(tmp_path_factory.mktemp("demo"), "demo") as (env, workers):
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run(
            [python, "manage.py", "loaddemo"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        with served(env, workers) as server:
            yield LiveApp(server.url, env)


def demo_password(app: LiveApp, username: str) -> str:
    """loaddemo makes random passwords once per installation, kept in its var/."""
    logins = Path(app.env["CASEROOM_VAR_DIR"]) / "demo-logins.json"
    return str(json.loads(logins.read_text(encoding="utf-8"))[username])


def facilitator_page(browser: Browser, app: LiveApp) -> Page:
    _, page = new_page(browser)
    log_in(page, app.url, "facilitator", demo_password(app, "facilitator"))
    axe_check(page, "the demo facilitator's exercises")
    page.get_by_role("link", name=FINISHED_TITLE).click()
    arrived(page, re.compile(r"/facilitate/\d+/$"))
    axe_check(page, "the console of a finished exercise")
    page.get_by_role("link", name="Debrief across teams").click()
    arrived(page, re.compile(r"/facilitate/\d+/debrief/$"))
    expect(page.locator("h1")).to_contain_text("debrief")
    return page


def test_the_facilitator_debriefs_the_demo_exercise(browser: Browser, demo_app: LiveApp) -> None:
    page = facilitator_page(browser, demo_app)
    expect(page.locator(".flow-wrap svg")).to_be_visible()
    expect(page.get_by_text("Marked by the facilitator")).to_be_visible()
    shot(page, "debrief-exercise")
    axe_check(page, "the debrief across teams")
    debrief_url = page.url

    # A team's replay; the facilitator marks a step without leaving the page.
    page.get_by_role("link", name="Team C", exact=True).first.click()
    arrived(page, re.compile(r"/team/\d+/debrief/$"))
    expect(page.locator("h1")).to_contain_text("Team C")
    axe_check(page, "a team's replay")
    page.evaluate("window.caseroomTestSamePage = true")  # gone if the form left the page
    first = page.locator("#step-0")
    first.get_by_text("Annotate this step").click()
    axe_check(page, "a team's replay with the annotation form open")
    first.get_by_label("Mark", exact=True).select_option("good-practice")
    first.get_by_label("Comment").fill("Quick and calm stop — worth showing the group.")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".debrief-mark-good-practice")).to_contain_text(
        "Quick and calm stop — worth showing the group."
    )
    assert page.evaluate("window.caseroomTestSamePage === true"), "the form left the page"
    axe_check(page, "a team's replay with a step marked")
    page.reload()
    expect(page.locator("#step-0")).to_contain_text("Quick and calm stop")
    shot(page, "debrief-team")

    # The projector: one screen at a time, moved with the keyboard, no names on it. Each key
    # is pressed only once the slide's own document has loaded: projector.js (deferred)
    # binds the keys, and the debrief page's title holds the exercise's name too.
    page.goto(debrief_url)
    page.get_by_role("link", name="Projector mode").click()
    arrived(page, re.compile(r"/debrief/projector/$"))
    expect(page.locator("h1")).to_contain_text(FINISHED_TITLE)
    expect(page.locator(".projector-count")).to_have_text(re.compile(r"^1 / \d+$"))
    axe_check(page, "the projector's first slide")
    page.keyboard.press("ArrowRight")
    arrived(page, re.compile(r"/debrief/projector/\?slide=1$"))
    expect(page.locator("h1")).to_contain_text("Where the teams ended")
    axe_check(page, "the projector's endings slide")
    page.keyboard.press("ArrowRight")
    arrived(page, re.compile(r"/debrief/projector/\?slide=2$"))
    expect(page.locator(".kicker")).to_contain_text("Misconception")
    expect(page.locator("body")).not_to_contain_text(PARTICIPANT)
    shot(page, "debrief-projector")
    axe_check(page, "the projector's misconception slide")
    page.keyboard.press("Escape")
    arrived(page, debrief_url)

    # The after-action report as a page, and the analysis across exercises.
    page.get_by_role("link", name="HTML").first.click()
    arrived(page, re.compile(r"/debrief/report\.html$"))
    expect(page.locator("body")).to_contain_text("Improvement plan")
    shot(page, "debrief-report")
    axe_check(page, "the after-action report")
    page.goto(demo_app.url + "/analysis/")
    axe_check(page, "the list of analyses")
    page.get_by_role("link", name="Vardar", exact=False).first.click()
    arrived(page, re.compile(r"/analysis/[\w-]+/$"))
    expect(page.locator("h1")).to_be_visible()
    shot(page, "debrief-analysis")
    axe_check(page, "the analysis across exercises")


def test_a_participant_opens_the_released_debrief_with_their_personal_code(
    browser: Browser, demo_app: LiveApp
) -> None:
    # The demo's participants joined before personal codes were shown to anyone: the
    # facilitator gives Jelena a new one, as the console does for someone who lost theirs.
    found = subprocess.run(
        [sys.executable, "-c", FIND.format(title=FINISHED_TITLE, name=PARTICIPANT)],
        cwd=ROOT,
        env=demo_app.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    codes = json.loads(found.strip().splitlines()[-1])
    _, page = new_page(browser, phone=True)
    page.goto(demo_app.url + "/")
    page.get_by_label("Join code").fill(codes["join"])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Your team's debrief")).to_be_visible()
    axe_check(page, "the join page of an ended exercise on a phone")
    page.get_by_role("link", name="Your team's debrief").click()
    arrived(page, re.compile(r"/join/\w+/debrief/$"))
    axe_check(page, "the personal code form on a phone")
    page.get_by_label("Your name, as you joined").fill(PARTICIPANT.lower())
    page.get_by_label("Your personal code").fill(codes["personal"])
    page.get_by_role("button", name="Open the debrief").click()
    arrived(page, re.compile(r"/x/\d+/debrief/$"))
    expect(page.locator("h1")).to_contain_text("Team A")
    expect(page.locator("body")).not_to_contain_text("Annotate this step")
    shot(page, "participant-debrief-phone")
    axe_check(page, "a participant's released debrief on a phone")
