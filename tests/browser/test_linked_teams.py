"""Linked teams in real browsers (issue 14, item 9): two teams of two people each play the
two sides of the mini case. Team 1 holds the Serbian roles, Team 2 the North Macedonian
police; the Serbian police's request travels to Team 2, a person there answers it, and
the answer travels back. Every wait is for something to appear, never a sleep.
"""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import LIVE, action, arrived, connected, idle, log_in, new_page
from tests.browser.playroom import PLAY
from tests.conftest import ROOT

MAKE = """
import django; django.setup()
from django.contrib.auth.models import User
from caseroom.scenarios.models import ScenarioVersion
from caseroom.exercises import actions
version = ScenarioVersion.objects.filter(slug="mini").order_by("-pk").first()
exercise = actions.create_exercise(
    User.objects.get(username="fac"), scenario=version, title="Linked exercise"
)
first, second = actions.create_teams(exercise, 2)
actions.link_teams(first, second, ["police-mk"])
actions.set_status(exercise, "running")
print(exercise.pk, exercise.join_code, first.pk)
"""

MK_POLICE = "Police officer (North Macedonia)"


def join(browser: Browser, app: LiveApp, code: str, name: str, team: str, role: str) -> Page:
    _, page = new_page(browser)
    page.goto(f"{app.url}/join/{code}/")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your agency").fill("Police")
    page.get_by_label("Your country").fill("MK" if "North Macedonia" in role else "RS")
    roles = page.locator("#join-roles")
    if team != "Team 1":  # the first team is chosen already; another reloads the roles
        page.get_by_label("Team").select_option(label=team)
        # A linked team offers only its side's roles: the list has been swapped in.
        expect(roles).not_to_contain_text("Serbia")
        idle(page)
    roles.get_by_label(role).check()
    page.get_by_role("button", name="Join").click()
    arrived(page, PLAY)
    connected(page)
    return page


def test_a_request_travels_to_the_linked_team_and_its_answer_comes_back(
    browser: Browser, live_app: LiveApp
) -> None:
    made = subprocess.run(
        [sys.executable, "-c", MAKE],
        cwd=ROOT,
        env=live_app.env,
        check=True,
        capture_output=True,
        text=True,
    )
    exercise, code, first_team = made.stdout.split()
    ana = join(browser, live_app, code, "Ana", "Team 1", "Police investigator (Serbia)")
    petar = join(browser, live_app, code, "Petar", "Team 1", "Prosecutor (Serbia)")
    marko = join(browser, live_app, code, "Marko", "Team 2", MK_POLICE)
    elena = join(browser, live_app, code, "Elena", "Team 2", MK_POLICE)

    action(ana, "Screen everyone for trafficking indicators.")
    expect(ana.locator("#scene")).to_contain_text("Investigation", timeout=LIVE)
    action(ana, "Check the databases.")
    form = ana.locator("#action-ask-mk")
    expect(form).to_be_visible()
    idle(ana)
    form.get_by_label("The plates").check()
    form.get_by_label("The dates").check()
    form.get_by_role("button").click()
    expect(ana.locator("#scene .pending")).to_contain_text("Ask the Macedonian police")
    # No script answers it: the team cannot wait for a reply nobody has given yet.
    expect(ana.locator("#wait-button")).to_have_count(0)

    # Both people of Team 2 see the request, with what Ana sent and the replies to choose.
    for page in (marko, elena):
        request = page.locator("#incoming-ask-mk")
        expect(request).to_contain_text("Ask the Macedonian police", timeout=LIVE)
        expect(request).to_contain_text("The plates; The dates")
    axe_check(marko, "the play page with a request from the linked team")
    idle(marko)
    marko.locator("#incoming-ask-mk").get_by_label("Eleven crossings confirmed.").check()
    marko.locator("#answer-ask-mk").click()
    expect(marko.locator("#scene-result")).to_contain_text("You answered")
    expect(elena.locator("#incoming-ask-mk")).to_have_count(0, timeout=LIVE)
    expect(elena.locator("#feed")).to_contain_text("Answer sent", timeout=LIVE)

    # Team 1: the answer is on its way (the request's delay of case time), then arrives.
    wait = petar.locator("#wait-button")
    expect(wait).to_be_visible(timeout=LIVE)
    idle(petar)
    wait.click()
    # A reply is for the role that asked (and the one that answered), as a scripted one is.
    expect(ana.locator("#feed")).to_contain_text("Eleven crossings confirmed.", timeout=LIVE)
    expect(ana.locator("#feed")).to_contain_text("Reply received")
    expect(ana.locator("#scene .pending")).to_have_count(0)
    axe_check(ana, "the play page after the linked team's reply")

    # The facilitator unlinks the teams after the exercise; the debrief still shows both
    # teams' sides in one timeline.
    _, fac = new_page(browser)
    log_in(fac, live_app.url, "fac", "pw-facilitator-1")
    fac.goto(f"{live_app.url}/facilitate/{exercise}/")
    links = fac.locator("#links")
    expect(links).to_contain_text("Team 1 and Team 2 are linked")
    links.get_by_role("button", name="Unlink Team 1 and Team 2").click()
    expect(fac.locator(".flash")).to_contain_text("Team 1 and Team 2 go on alone")
    expect(fac.locator("#links")).not_to_contain_text("are linked")
    fac.goto(f"{live_app.url}/facilitate/{exercise}/team/{first_team}/debrief/")
    timeline = fac.locator("#linked-timeline")
    expect(timeline).to_contain_text("Request from the other team")
    expect(timeline).to_contain_text("Answered the other team")
