"""Issue 13, the case in each participant's language: two members of one team, one reading
Macedonian and one Albanian, each read the case (and what a teammate's action caused) in
their own language, in the same live session."""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import LIVE, arrived, connected, idle, log_in, new_page
from tests.browser.playroom import PLAY, Room
from tests.conftest import ROOT

NIGHT_ROOM = """
import django; django.setup()
from pathlib import Path
from django.contrib.auth.models import User
from caseroom.exercises import actions
from caseroom.scenarios.registry import register_folder
version = register_folder(Path({night!r}), explore=False)  # the same content: one version
exercise = actions.create_exercise(
    User.objects.get(username="fac"), scenario=version, title="Night crossing, two languages"
)
actions.create_teams(exercise, 1)
actions.set_status(exercise, "running")
print(exercise.pk, exercise.join_code)
"""


def night_room(browser: Browser, app: LiveApp) -> Room:
    made = subprocess.run(
        [sys.executable, "-c", NIGHT_ROOM.format(night=str(ROOT / "scenarios" / "night-crossing"))],
        cwd=ROOT,
        env=app.env,
        check=True,
        capture_output=True,
        text=True,
    )
    pk, code = made.stdout.split()
    _, fac = new_page(browser)
    log_in(fac, app.url, "fac", "pw-facilitator-1")
    return Room(app, int(pk), code, fac)


def choose_language(page: Page, code: str) -> None:
    """The language menu, as a person uses it: pick, then the button."""
    page.locator("#lang-select").select_option(code)
    page.locator("form.lang button").click()
    expect(page.locator(f"html[lang='{code}']")).to_be_attached()
    arrived(page, PLAY)
    connected(page)


def test_two_teammates_each_read_the_case_in_their_own_language(
    browser: Browser, live_app: LiveApp
) -> None:
    r = night_room(browser, live_app)
    ana = r.join(browser, "Ana", ["Border police shift commander (North Macedonia)"], country="MK")
    besnik = r.join(
        browser, "Besnik", ["Public prosecutor on duty (North Macedonia)"], country="MK"
    )
    choose_language(ana, "mk")
    choose_language(besnik, "sq")

    expect(ana.locator("#scene-title")).to_have_text("Комбе без светла")
    expect(besnik.locator("#scene-title")).to_have_text("Një furgon pa drita")
    # Each sees the briefing of their own role in their own language.
    expect(ana.locator("#briefing")).to_contain_text("Командир на смена, гранична полиција")
    expect(besnik.locator("#briefing")).to_contain_text("Prokuror publik kujdestar")
    # The shipped translations are drafts for review, and each page says so once.
    expect(ana.locator("#case-language-notice")).to_have_count(1)
    expect(besnik.locator("#case-language-notice")).to_have_count(1)
    # Nothing in either falls back to English.
    expect(ana.locator("main [lang='en']")).to_have_count(0)
    expect(besnik.locator("main [lang='en']")).to_have_count(0)
    axe_check(ana, "play page in Macedonian")

    # Ana acts in Macedonian; the team moves on, and Besnik reads what happened in Albanian.
    idle(ana)
    form = ana.locator("form.action", has_text="Распрашајте ги деветте патници заедно")
    confirm = form.locator("details.confirm")
    if confirm.count():
        confirm.locator("summary").click()
        confirm.get_by_role("button").click()
    else:
        form.get_by_role("button").click()
    expect(ana.locator("#feed")).to_contain_text("Никој не кажува ништо корисно.", timeout=LIVE)
    expect(besnik.locator("#feed")).to_contain_text(
        "Askush nuk thotë asgjë të dobishme.", timeout=LIVE
    )
    expect(besnik.locator("#scene-title")).to_have_text(
        "Kontrollet fillestare në stacion", timeout=LIVE
    )
    expect(ana.locator("#scene-title")).to_have_text("Првични проверки во станицата")
    axe_check(besnik, "play page in Albanian after a teammate's action")
