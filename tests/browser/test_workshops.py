"""A regional workshop in a real browser: three phones join with the code, post gaps and a
good practice to a theme's board and see each other's cards arrive; the facilitator clusters
them and opens voting; each phone votes; the facilitator drafts a recommendation tracked as
a measure, and opens the report.

The phones run without WebSockets (a venue that blocks them): the board keeps up by polling,
which needs no route in the project's ASGI routing. Screenshots go to var/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveApp, app_env, axe_check, prepare, served
from tests.browser.pages import LIVE, arrived, idle, log_in, new_page, shot

SETUP = """
import datetime as dt
from caseroom.cooperation import actions as cooperation
from caseroom.workshops import actions
fac = User.objects.get(username="fac")
cooperation.create_coordination("Western Balkans guidelines", by=fac)
actions.create_workshop(fac, title="Ohrid workshop", starts_on=dt.date(2026, 5, 12),
                        ends_on=dt.date(2026, 5, 13), place="Ohrid")
"""
PHONES = (
    ("Ana Demo", "Albania", "State Police"),
    ("Boris Example", "Serbia", "Prosecution"),
    ("Vesna Sample", "North Macedonia", "Social services"),
)


@pytest.fixture(scope="module")
def workshop_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[LiveApp]:
    with app_env(tmp_path_factory.mktemp("workshops"), "workshops") as (env, workers):
        prepare(env, SETUP)
        with served(env, workers) as server:
            yield LiveApp(server.url, env)


def join(browser: Browser, app: LiveApp, code: str, name: str, country: str, agency: str) -> Page:
    _, page = new_page(browser, phone=True, websockets=False)
    page.goto(app.url + "/workshops/join/")
    axe_check(page, "the workshop's join form on a phone")
    page.get_by_label("Workshop code").fill(code.lower())
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Country").fill(country)
    page.get_by_label("Agency or organisation").fill(agency)
    page.get_by_role("button", name="Join").click()
    arrived(page, re.compile(r"/workshops/\d+/phone/$"))
    axe_check(page, "a workshop's themes on a phone")
    page.get_by_role("link", name="Prevention").click()
    arrived(page, re.compile(r"/workshops/themes/\d+/$"))
    axe_check(page, "a theme's board on a phone")
    return page


def post(page: Page, kind: str, text: str) -> None:
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Your card").fill(text)
    idle(page)
    page.get_by_role("button", name="Post").click()
    arrived(page, re.compile(r"/workshops/themes/\d+/$"))
    expect(page.get_by_role("status").filter(has_text="Your card is on the board.")).to_be_visible()
    axe_check(page, "a board after posting a card")


def test_three_phones_post_and_vote_and_a_recommendation_is_drafted(
    browser: Browser, workshop_app: LiveApp
) -> None:
    app = workshop_app
    _, fac = new_page(browser, websockets=False)
    log_in(fac, app.url, "fac", "pw-facilitator-1")
    fac.goto(app.url + "/workshops/")
    axe_check(fac, "the list of workshops")
    fac.get_by_role("link", name=re.compile("Ohrid workshop")).click()
    arrived(fac, re.compile(r"/workshops/\d+/$"))
    code = fac.locator(".code").inner_text().strip()
    axe_check(fac, "a workshop's page")

    phones = [join(browser, app, code, *person) for person in PHONES]
    board = [page.locator("#board") for page in phones]
    post(phones[0], "Gap or challenge", "Campaigns do not reach villages")
    expect(board[1]).to_contain_text("Campaigns do not reach villages", timeout=LIVE)
    post(phones[1], "Good practice", "Hotline number on bus tickets")
    post(phones[2], "Gap or challenge", "Job adverts online go unchecked")
    for page in phones:
        expect(page.locator("#board")).to_contain_text(
            "Hotline number on bus tickets", timeout=LIVE
        )
        expect(page.locator("#board")).to_contain_text(
            "Job adverts online go unchecked", timeout=LIVE
        )
    shot(phones[0], "workshop-phone-board")
    axe_check(phones[0], "a board with everyone's cards on a phone")

    fac.get_by_role("link", name="Prevention").click()
    arrived(fac, re.compile(r"/workshops/themes/\d+/console/$"))
    axe_check(fac, "a theme's console")
    fac.get_by_label("Cluster title").fill("Reaching people at risk")
    fac.get_by_label(re.compile("Campaigns do not reach villages")).check()
    fac.get_by_label(re.compile("Hotline number on bus tickets")).check()
    fac.get_by_role("button", name="Group into the cluster").click()
    arrived(fac, re.compile(r"/console/$"))
    fac.get_by_role("button", name="Open voting").click()
    arrived(fac, re.compile(r"/console/$"))
    expect(fac.get_by_role("button", name="Close voting")).to_be_visible()
    axe_check(fac, "a theme's console while voting")

    for page in phones:
        button = page.get_by_role("button", name="Vote for “Reaching people at risk”")
        expect(button).to_be_visible(timeout=LIVE)
        axe_check(page, "a board open for voting on a phone")
        idle(page)
        button.click()
        arrived(page, re.compile(r"/workshops/themes/\d+/$"))
        expect(page.get_by_role("status").filter(has_text="Your vote is counted.")).to_be_visible()
    expect(phones[0].locator("#board")).to_contain_text("3 votes", timeout=LIVE)
    shot(phones[0], "workshop-phone-voted")
    axe_check(phones[0], "a board after voting on a phone")

    fac.reload()
    expect(fac.locator("#results-title + ol")).to_contain_text("3 votes")
    form = fac.locator("form[action$='/recommend/']")
    form.get_by_label("Recommendation").fill("Fund campaigns in rural schools")
    form.get_by_label("Addressed to (institution)").fill("Ministry of Education")
    form.get_by_label("Addressed to (country)").fill("Albania")
    form.get_by_label("Priority").select_option(label="High")
    form.get_by_label("Timeframe").select_option(label="Within 1 year")
    form.get_by_label("From the clusters").select_option(label="Reaching people at risk")
    form.get_by_label("Track as a measure of").select_option(label="Western Balkans guidelines")
    form.get_by_label("Due on").fill("2027-05-31")
    fac.get_by_role("button", name="Draft the recommendation").click()
    arrived(fac, re.compile(r"/console/$"))
    expect(fac.locator("#reco-title + ul")).to_contain_text("Fund campaigns in rural schools")
    shot(fac, "workshop-console")
    axe_check(fac, "a theme's console with a recommendation")

    fac.get_by_role("link", name="Ohrid workshop").click()
    arrived(fac, re.compile(r"/workshops/\d+/$"))
    axe_check(fac, "a workshop's page after its recommendation")
    href = fac.get_by_role("link", name="Report (PDF)").get_attribute("href")
    assert href
    report = fac.request.get(app.url + href)
    assert report.status == 200
    assert report.body().startswith(b"%PDF")
