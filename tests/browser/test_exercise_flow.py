"""A whole exercise in real browsers: a facilitator and three participants, live.

Playwright drives Debian's Chromium (never a downloaded browser). Screenshots of the main
pages are written to var/screenshots/ so that they can be looked at after a run.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import LIVE, action, arrived, connected, idle, log_in, new_page, shot

CONSOLE = re.compile(r"/facilitate/\d+/(#[\w-]+)?$")
PLAY = re.compile(r"/x/\d+/play/$")


def posted(page: Page, message: str) -> None:
    """A console form was answered: its message is on the reloaded console, which has loaded.
    (The console's URL stays the same, so only what the new page shows tells them apart.)"""
    expect(page.locator(".flash")).to_contain_text(message)
    arrived(page, CONSOLE)


def seconds(countdown: Locator) -> int:
    minutes, secs = countdown.inner_text().strip().split(":")
    return int(minutes) * 60 + int(secs)


def test_a_facilitator_runs_a_live_exercise_with_three_participants(
    browser: Browser, live_app: LiveApp
) -> None:
    _, fac = new_page(browser)
    log_in(fac, live_app.url, "fac", "pw-facilitator-1")
    axe_check(fac, "the facilitator's exercises")
    fac.get_by_label("Scenario").select_option(label="Mini case (mini 1.0)")
    fac.get_by_label("Title").fill("Browser exercise")
    fac.get_by_role("button", name="Create").click()
    arrived(fac, CONSOLE)
    axe_check(fac, "the console of a new exercise")
    fac.get_by_label("Create teams").fill("1")
    fac.locator("form", has=fac.get_by_label("Create teams")).get_by_role(
        "button", name="Create"
    ).click()
    posted(fac, "1 team created.")
    fac.locator(".status-buttons").get_by_role("button", name="Start").click()
    posted(fac, "The exercise is now: Running")  # before anyone joins
    code = fac.locator(".join-code").inner_text().strip()
    assert len(code) == 6
    connected(fac)  # the console hears the room from here on
    shot(fac, "console")
    axe_check(fac, "the console of a running exercise")

    people: dict[str, Page] = {}
    for name, country, role in [
        ("Ana", "RS", "Police investigator (Serbia)"),
        ("Petar", "RS", "Prosecutor (Serbia)"),
        ("Marija", "MK", "Police officer (North Macedonia)"),
    ]:
        # Marija is on a phone behind a network that blocks WebSockets.
        _, page = new_page(browser, phone=name == "Marija", websockets=name != "Marija")
        home = page.goto(live_app.url + "/")
        assert home is not None and "server" not in home.headers  # no banner of the server
        assert "script-src 'self'" in home.headers["content-security-policy"]
        axe_check(page, f"the home page ({name})")
        page.get_by_label("Join code").fill(code.lower())
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_label("Your name")).to_be_visible()
        axe_check(page, f"the join form ({name})")
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Your agency").fill("Police" if "Police" in role else "Prosecution")
        page.get_by_label("Your country").fill(country)
        page.get_by_label(role).check()
        page.get_by_role("button", name="Join").click()
        arrived(page, PLAY)
        expect(page.locator("#scene")).to_contain_text("The stop")
        if name != "Marija":
            connected(page)  # Marija's page polls instead
        axe_check(page, f"the play page at the start ({name})")
        people[name] = page
    ana, petar, marija = people["Ana"], people["Petar"], people["Marija"]
    shot(marija, "participant-phone-start")

    # One decision moves the whole team: the others see it without reloading.
    action(ana, "Screen everyone for trafficking indicators.")
    for page in (petar, marija):
        expect(page.locator("#scene")).to_contain_text("Investigation", timeout=LIVE)
    expect(petar.locator("#feed")).to_contain_text("Good screening.", timeout=LIVE)
    axe_check(ana, "the play page after acting")
    axe_check(marija, "the play page on a phone after a teammate acted")

    action(ana, "Check the databases.")
    expect(ana.locator("#scene")).to_contain_text("Ask for surveillance.")

    # An approval flows from the police to the prosecutor.
    action(ana, "Ask for surveillance.")
    approvals = petar.locator("#scene").get_by_role("button", name="Approve")
    expect(approvals).to_be_visible(timeout=LIVE)
    shot(petar, "participant-approval")
    axe_check(petar, "the play page with an approval request")
    axe_check(ana, "the play page waiting for approval")
    idle(petar)  # the live swap that brought the button has settled: htmx handles it
    approvals.click()
    expect(ana.locator("#feed")).to_contain_text("Approved", timeout=LIVE)
    axe_check(ana, "the play page after the approval")

    # The facilitator gives the room a time box: every screen shows it and counts down.
    fac.get_by_label("Phase", exact=True).fill("Planning")
    fac.get_by_label("Minutes").fill("2")
    started = time.monotonic()
    fac.get_by_role("button", name="Start the time box").click()
    posted(fac, "Time box set.")
    expect(fac.locator("#timebox .countdown")).to_have_text(re.compile(r"^[12]:\d\d$"))
    axe_check(fac, "the console with a time box")
    connected(fac)
    for page in (ana, petar, marija):
        box = page.locator("#status .timebox")
        expect(box).to_contain_text("Planning", timeout=LIVE)
        countdown = box.locator(".countdown")
        expect(countdown).to_have_text(re.compile(r"^[12]:\d\d$"))
        # What is left is what was set less the time since: bounded by the clock of the
        # test, however late the box arrived (within LIVE), rather than a fixed window.
        left, elapsed = seconds(countdown), time.monotonic() - started
        assert 120 - elapsed - 2 <= left <= 120, f"{left} s left after {elapsed:.1f} s"
        expect(countdown).not_to_have_text(countdown.inner_text())  # and it counts down
    shot(marija, "participant-timebox")
    axe_check(marija, "the play page on a phone with a time box")

    # The facilitator's inject reaches everyone live and moves play to the decision.
    fac.get_by_label("Inject to all").select_option(label="Facilitator storm")
    fac.locator("form", has=fac.get_by_label("Inject to all")).get_by_role(
        "button", name="Fire"
    ).click()
    posted(fac, "fired for")
    connected(fac)  # the reloaded console must hear the ending below
    shot(fac, "console-fired")
    axe_check(fac, "the console after an inject")
    for page in (ana, petar, marija):
        expect(page.locator("#feed")).to_contain_text("A storm closes the border.", timeout=LIVE)
        expect(page.locator("#scene")).to_contain_text("Decide", timeout=LIVE)
    shot(ana, "participant-inject")
    axe_check(ana, "the play page after an inject")

    action(ana, "Propose a joint investigation team.")
    for page in (ana, petar, marija):
        expect(page.locator("main")).to_contain_text("Network dismantled", timeout=LIVE)
    shot(ana, "participant-ending")
    axe_check(ana, "the play page at the ending")
    axe_check(marija, "the play page on a phone at the ending")
    expect(fac.locator("main")).to_contain_text("Network dismantled", timeout=LIVE)
    shot(fac, "console-after")
    axe_check(fac, "the console after the teams ended")
