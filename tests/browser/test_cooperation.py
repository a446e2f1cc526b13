"""Regional cooperation in a real browser: a coordinator uploads the self-assessment and opens
a round; two respondents answer with its skip logic (one on a phone, in Serbian); the
coordinator sees the heatmap and records a measure on a gap; a second round shows the change
and that the gap closed.

The server is the production command with the library's demo guidelines (the form cites
them) and a coordination whose smallest group shown is 2, so two respondents fill a cell.
Screenshots go to var/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from caseroom.cooperation.actions import READY_FORM
from tests.browser.conftest import LiveApp, app_env, axe_check, prepare, served
from tests.browser.pages import arrived, idle, log_in, new_page, shot

PASSWORD = "pw-coordinator-1"
SETUP = f"""
from caseroom.cooperation import actions
from caseroom.library.demo import load_demo_library
load_demo_library()
cora = User.objects.create_user("cora", password={PASSWORD!r}, is_staff=True)
actions.create_coordination("Western Balkans guidelines", by=cora, min_cell=2)
"""


@pytest.fixture(scope="module")
def coop_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[LiveApp]:
    with app_env(tmp_path_factory.mktemp("coop"), "cooperation") as (env, workers):
        prepare(env, SETUP)
        with served(env, workers) as server:
            yield LiveApp(server.url, env)


def coordinator(browser: Browser, app: LiveApp) -> Page:
    _, page = new_page(browser, websockets=False)
    log_in(page, app.url, "cora", PASSWORD)
    page.goto(app.url + "/cooperation/")
    page.get_by_role("link", name="Western Balkans guidelines").click()
    arrived(page, re.compile(r"/cooperation/\d+/$"))
    axe_check(page, "a coordination's page")
    return page


def open_round(page: Page, title: str, previous: str = "") -> str:
    """Opens a round from the coordination's page; returns its code."""
    form = page.locator("form[action$='/rounds/new/']")
    form.get_by_label("Title").fill(title)
    if previous:
        form.get_by_label("Compare with").select_option(label=previous)
    page.get_by_role("button", name="Open the round").click()
    arrived(page, re.compile(r"/cooperation/rounds/\d+/$"))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    axe_check(page, f"the new round {title}")
    return page.locator("#round-code").inner_text().strip()


def choose(page: Page, question: str, label: str) -> None:
    """Picks a choice of one question and waits for htmx to show the questions that follow."""
    idle(page)
    page.locator(f"#q-{question}").get_by_label(label, exact=True).check()
    idle(page)


def answer(
    browser: Browser, app: LiveApp, code: str, *, phone: bool, basis: str, made_request: bool
) -> None:
    context, page = new_page(browser, phone=phone, websockets=False)
    serbian = phone
    if serbian:
        context.add_cookies([{"name": "django_language", "value": "sr-latn", "url": app.url}])
    page.goto(f"{app.url}/answer/{code}/")
    expect(page.locator("form.questionnaire")).to_be_visible()
    yes, no = ("Da", "Ne") if serbian else ("Yes", "No")
    if serbian:
        expect(page.get_by_text("Država ili teritorija u kojoj radite")).to_be_visible()
    axe_check(page, "the questionnaire" + (" in Serbian on a phone" if phone else ""))
    choose(page, "country", "Srbija" if serbian else "Serbia")
    choose(page, "agency", "Javno tužilaštvo" if serbian else "Public prosecution")
    # Skip logic: the questions about requests sent appear only after "yes".
    expect(page.locator("#q-mla_dual")).to_be_hidden()
    choose(page, "mla_made", yes if made_request else no)
    if made_request:
        expect(page.locator("#q-mla_dual")).to_be_visible()
        choose(page, "mla_dual", "Ponekad" if serbian else "Sometimes")
    else:
        expect(page.locator("#q-mla_dual")).to_be_hidden()
    choose(page, "mla_basis", basis)
    choose(page, "inf_used", no)
    choose(page, "jit_part", no)
    expect(page.locator("#q-jit_admitted")).to_be_hidden()
    if phone:
        shot(page, "cooperation-answer-phone-sr")
    axe_check(page, "the questionnaire answered")
    # The send button, not "Save and continue later" (rounds keep drafts).
    page.locator("form.questionnaire button.primary[type=submit]").click()
    arrived(page, re.compile(rf"/answer/{code}/thanks/$"))
    axe_check(page, "the thanks page")
    context.close()


def test_a_coordinator_runs_two_rounds_and_follows_a_gap_to_its_end(
    browser: Browser, coop_app: LiveApp
) -> None:
    page = coordinator(browser, coop_app)
    page.get_by_label(re.compile(r"^Self-assessment form \(XLSForm")).set_input_files(
        str(READY_FORM)
    )
    page.get_by_role("button", name="Upload the form").click()
    arrived(page, re.compile(r"/cooperation/\d+/$"))
    expect(page.get_by_text("The form is stored as version 1.")).to_be_visible()
    axe_check(page, "a coordination with its form uploaded")
    home = page.url

    code = open_round(page, "2027 annual")
    answer(browser, coop_app, code, phone=False, basis="No", made_request=False)
    answer(browser, coop_app, code, phone=True, basis="Ne", made_request=True)

    page.reload()
    serbia = page.locator("#line-RS")
    expect(serbia).to_contain_text("%")
    expect(page.locator("#heatmap")).to_contain_text("Guidelines §2.1")
    shot(page, "cooperation-heatmap-2027")
    axe_check(page, "the round's heatmap")
    # Legal bases (§2.1): both answered "no", a gap of 0 %.
    gap = serbia.locator("td").nth(0)
    expect(gap).to_contain_text("0 %")
    gap.get_by_role("link", name=re.compile(r"\+ measure")).click()
    arrived(page, re.compile(r"/measures/new/"))
    axe_check(page, "the new measure form")
    page.get_by_label("What is to be done").fill("Brief prosecutors on the treaties in force")
    page.get_by_label("Institution").fill("Public prosecutor's office")
    page.get_by_label("Responsible (name or function)").fill("Head of international cooperation")
    page.get_by_label("Due on").fill("2027-09-30")
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Record the measure").click()
    arrived(page, re.compile(r"/cooperation/rounds/\d+/$"))
    expect(page.locator("#line-RS td").nth(0)).to_contain_text("1 measure")
    page.get_by_role("button", name="Close the round now").click()
    arrived(page, re.compile(r"/cooperation/rounds/\d+/$"))
    expect(page.get_by_text("This round is closed: it takes no more answers.")).to_be_visible()
    axe_check(page, "a closed round")

    page.goto(home)
    code = open_round(page, "2028 annual", previous="2027 annual")
    answer(browser, coop_app, code, phone=False, basis="Yes", made_request=False)
    answer(browser, coop_app, code, phone=True, basis="Da", made_request=False)

    page.reload()
    first = page.locator("#line-RS td").nth(0)
    expect(first).to_contain_text("100 %")
    expect(first).to_contain_text("+100")
    follow = page.locator("#follow-ups")
    expect(follow).to_contain_text("Brief prosecutors on the treaties in force")
    expect(follow.locator("tbody tr").first.locator("td").last).to_have_text("yes")
    shot(page, "cooperation-heatmap-2028")
    axe_check(page, "the second round's heatmap with follow-ups")
