"""A training programme in real browsers: a manager builds a session and imports its people,
a participant takes the pre-test on a phone, and the manager downloads the donor report.

The programme, its manager and a module whose pre-test is the shipped knowledge test are
written to the server's database first (as `make run`'s demo would); everything after that
goes through the pages. Downloads are read from memory and opened with openpyxl and
python-docx; Playwright deletes its download files when their context closes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import secrets
import string
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Download, FilePayload, Page, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import PATIENCE, arrived, idle, log_in, new_page
from tests.conftest import ROOT

PASSWORD = "pw-manager-1"
# Chrome on Android: a phone the room's participants typically hold.
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE = [
    # given name, family name, agency, country, sex
    ("Ana", "Petrović", "Border Police", "Serbia", "F"),
    ("Marko", "Jovanović", "Public Prosecutor's Office", "Serbia", "M"),
    ("Elena", "Stojanovska", "Ministry of Interior", "North Macedonia", "F"),
]
# The shipped knowledge test answered by label (a part of each question, its choices): the
# first six and the eighth right; the seventh misses an indicator, the last two are wrong.
ANSWERS = [
    ("the adult victim's consent is irrelevant", ["True"]),
    ("For a child (under 18)", ["The act and the exploitative purpose (no means needed)"]),
    ("always involves crossing an international border", ["False"]),
    (
        "describe the smuggling of migrants",
        [
            "The profit is a fee for the journey",
            "The migrant agrees to be moved",
            "A border is always crossed",
        ],
    ),
    ("a smuggling offence requires", ["To obtain a financial or other material benefit"]),
    ("migrants should not be prosecuted", ["True"]),
    (
        "ILO indicators of forced labour",
        ["Retention of identity documents", "Withholding of wages"],
    ),
    (
        "One indicator of trafficking is found",
        ["It should trigger further enquiry: no single indicator proves or excludes trafficking"],
    ),
    ("recovery and reflection period", ["7 days"]),
    ("an organised criminal group", ["2 persons"]),
]
# Made in the server's database: the manager, the programme (its counts are shown from 2
# people, so three trained are not suppressed), one module whose pre-test is the shipped
# knowledge test, and a logframe indicator counting the people trained.
SETUP = """
import django, json, sys; django.setup()
import datetime as dt
from django.contrib.auth.models import User
from caseroom.programmes.learning.actions import choose_version
from caseroom.programmes.learning.shipped import register_shipped
from caseroom.programmes.models import (
    Indicator, Membership, Module, Outcome, Output, Programme, Purpose,
)
given = json.loads(sys.argv[1])
user = User.objects.create_user(given["username"], password=given["password"])
programme = Programme.objects.create(
    title=given["programme"], funder="The Donor Fund", implementer="Caseroom tests",
    starts_on=dt.date.fromisoformat(given["starts_on"]),
    ends_on=dt.date.fromisoformat(given["ends_on"]),
    countries=["RS", "MK", "AL"], min_cell=2,
)
Membership.objects.create(user=user, programme=programme, role=Membership.Role.MANAGER)
module = Module.objects.create(
    programme=programme, number=1, title=given["module"], audience="Police and prosecutors",
    planned_sessions=4, planned_people=80, days_per_session=2,
)
choose_version(module, Purpose.PRE, register_shipped("knowledge_test"))
outcome = Outcome.objects.create(programme=programme, code="1", title="Stronger response")
output = Output.objects.create(outcome=outcome, code="1.1", title="Officers trained")
Indicator.objects.create(
    output=output, code="1.1.a", title="Officers trained in identification",
    target=80, measure=Indicator.Measure.PEOPLE_TRAINED, disaggregation=["sex"],
)
"""


def token() -> str:
    """Letters only: the names it goes into are typed and matched as names."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))


def set_up(app: LiveApp, given: dict[str, str]) -> None:
    """SETUP in the server's own environment, so on its database (SQLite or PostgreSQL)."""
    done = subprocess.run(
        [sys.executable, "-c", SETUP, json.dumps(given)],
        cwd=ROOT,
        env=app.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def registration_list(name: str) -> FilePayload:
    """The list as a trainer's assistant types it, a title row above the header; made in
    memory and handed to the file input as it is (no file on disk)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Participants, national training"])
    sheet.append(["Given name", "Family name", "Agency", "Country", "Sex"])
    for row in PEOPLE:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return {"name": name, "mimeType": XLSX, "buffer": out.getvalue()}


def downloaded(page: Page, link: str) -> tuple[Download, bytes]:
    """Click the link, wait for its download and read it (the file goes with the context)."""
    with page.expect_download(timeout=PATIENCE) as started:
        page.locator(".downloads").get_by_role("link", name=link, exact=True).click()
    download = started.value
    assert download.failure() is None, download.failure()
    with open(download.path(), "rb") as file:
        return download, file.read()


def weasyprint_works() -> bool:
    """The server runs on this interpreter: it makes PDFs if WeasyPrint and Pango load here."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: F401  (ships no types)
    except (ImportError, OSError):
        if os.environ.get("CI") == "true":
            pytest.fail("WeasyPrint or Pango is missing: .ci/run installs the 'reports' extra")
        return False
    return True


@pytest.fixture
def contexts(browser: Browser) -> Iterator[ExitStack]:
    """Every browser context the test opens is closed at its end, downloads with it."""
    with ExitStack() as stack:
        yield stack


def phone(browser: Browser, stack: ExitStack) -> Page:
    """A phone-sized touch screen with a mobile browser's user agent."""
    context: BrowserContext = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_AGENT,
    )
    stack.callback(context.close)
    page = context.new_page()
    page.set_default_timeout(PATIENCE)
    return page


def test_a_manager_runs_a_session_whose_participant_takes_the_pre_test_on_a_phone(
    browser: Browser, live_app: LiveApp, contexts: ExitStack
) -> None:
    run = token()
    today = dt.date.today()  # noqa: DTZ011  (dates only: the report's period is wide)
    given = {
        "username": f"manager-{run}",
        "password": PASSWORD,
        "programme": f"Regional TIP training {run}",
        "module": "Identification of victims",
        "starts_on": (today - dt.timedelta(days=60)).isoformat(),
        "ends_on": (today + dt.timedelta(days=300)).isoformat(),
    }
    set_up(live_app, given)
    url = live_app.url

    # The manager logs in and goes to the programme and its module.
    context, manager = new_page(browser)
    contexts.callback(context.close)
    log_in(manager, url, given["username"], PASSWORD)
    manager.get_by_role("navigation", name="Site").get_by_role("link", name="Programmes").click()
    arrived(manager, url + "/programmes/")
    axe_check(manager, "the list of programmes")
    manager.get_by_role("link", name=given["programme"]).click()
    arrived(manager, re.compile(r"/programmes/\d+/$"))
    expect(manager.get_by_role("heading", level=1)).to_have_text(given["programme"])
    axe_check(manager, "a programme's dashboard")
    manager.get_by_role("link", name=f"1. {given['module']}").click()
    arrived(manager, re.compile(r"/programmes/modules/\d+/$"))
    axe_check(manager, "a module's page")

    # A new session through its form.
    manager.get_by_role("link", name="New session").click()
    arrived(manager, re.compile(r"/programmes/modules/\d+/sessions/new/$"))
    axe_check(manager, "the new session form")
    title = f"Belgrade national session {run}"
    starts_on, ends_on = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    manager.get_by_label("Title").fill(title)
    manager.get_by_label("First day").fill(starts_on.isoformat())
    manager.get_by_label("Last day").fill(ends_on.isoformat())
    manager.get_by_label("Training days").fill("2")
    manager.get_by_label("Place").fill("Belgrade")
    manager.get_by_label("Country").select_option(label="Serbia")
    manager.get_by_role("button", name="Save").click()
    arrived(manager, re.compile(r"/programmes/sessions/\d+/$"))
    expect(manager.get_by_role("heading", level=1)).to_have_text(title)
    code = manager.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code), code
    expect(manager.locator(".flash")).to_contain_text(f"Session created with code {code}.")
    session_url = manager.url
    axe_check(manager, "a new session's page")

    # Its people from a registration list: checked, previewed, then imported and enrolled.
    manager.get_by_role("navigation", name="Programme").get_by_role("link", name="People").click()
    arrived(manager, re.compile(r"/programmes/\d+/people/$"))
    manager.get_by_role("link", name="Import a list").click()
    arrived(manager, re.compile(r"/people/import/$"))
    axe_check(manager, "the import form")
    manager.get_by_label("Registration list (XLSX or CSV)").set_input_files(
        registration_list(f"participants-{run}.xlsx")
    )
    manager.get_by_label("Enrol everyone in this session (optional)").select_option(
        label=f"{title} ({starts_on.isoformat()}, Belgrade)"
    )
    manager.get_by_role("button", name="Check the file").click()
    # The preview is the answer to the post, at the same address: its heading tells it.
    expect(manager.get_by_role("heading", name="Preview")).to_be_visible()
    manager.wait_for_load_state("load")
    planned = "3 new, 0 already registered (linked, not duplicated), 3 to enrol."
    expect(manager.get_by_text(planned)).to_contain_text(f"Session: {title}")
    for given_name, family_name, agency, _country, _sex in PEOPLE:
        row = manager.get_by_role("row", name=f"{given_name} {family_name}")
        expect(row).to_contain_text(agency)
        expect(row).to_contain_text("new")
    axe_check(manager, "the import's preview")
    manager.get_by_role("button", name="Import", exact=True).click()
    arrived(manager, re.compile(r"/programmes/\d+/people/$"))
    expect(manager.locator(".flash")).to_contain_text(
        "Imported: 3 new, 0 already registered, 3 enrolled."
    )
    expect(manager.get_by_text("3 people", exact=True)).to_be_visible()
    axe_check(manager, "the people registry after an import")

    # Back at the session: the three are enrolled; they attended both days.
    manager.goto(session_url)
    expect(manager.get_by_text("3 enrolled, 0 completed")).to_be_visible()
    manager.get_by_role("link", name="Attendance").click()
    arrived(manager, re.compile(r"/attendance/$"))
    axe_check(manager, "the attendance grid")
    for given_name, family_name, *_rest in PEOPLE:
        for day in (1, 2):
            manager.get_by_label(f"{given_name} {family_name}, day {day}", exact=True).check()
    manager.get_by_role("button", name="Save attendance").click()  # htmx: the grid only
    grid = manager.locator("#attendance-grid")
    expect(grid.get_by_role("status")).to_have_text("Saved: 3 people's attendance changed.")
    expect(grid.get_by_role("row", name=f"{PEOPLE[0][0]} {PEOPLE[0][1]}")).to_contain_text("yes")
    axe_check(manager, "the attendance grid once saved")
    manager.get_by_role("link", name="Back to the session").click()
    arrived(manager, session_url)
    expect(manager.get_by_text("3 enrolled, 3 completed")).to_be_visible()
    axe_check(manager, "a session with its attendance")

    # The tests page shows the room's code; the manager opens the pre-test.
    manager.get_by_role("link", name="Tests on phones").click()
    arrived(manager, re.compile(r"/programmes/sessions/\d+/tests/$"))
    expect(manager.locator(".join-code")).to_have_text(code)
    expect(manager.get_by_role("img", name="QR code of the tests page")).to_be_visible()
    pre_test = manager.get_by_role("row", name=re.compile(r"^Pre-test"))
    expect(pre_test).to_contain_text("not opened")
    axe_check(manager, "the session's tests page")
    pre_test.get_by_role("button", name="Open Pre-test").click()
    # Redirected to the same address: the new page is the one whose pre-test is open.
    expect(pre_test.get_by_role("cell").first).to_have_text("open")
    manager.wait_for_load_state("load")
    tests_url = manager.url
    axe_check(manager, "the session's tests page with the pre-test open")

    # A participant on a phone: the session code, their name, their personal code.
    learner = phone(browser, contexts)
    learner.goto(url + "/t/")
    axe_check(learner, "the session code form on a phone")
    learner.get_by_label("Session code").fill(code.lower())
    learner.get_by_role("button", name="Continue").tap()
    arrived(learner, re.compile(r"/t/\d+/who/$"))
    expect(learner.get_by_role("heading", name="Who are you?")).to_be_visible()
    axe_check(learner, "the who-are-you form on a phone")
    learner.get_by_label("Given name").fill("Ana")
    learner.get_by_label("Family name").fill("Petrovic")  # typed without the accent
    learner.get_by_role("button", name="Continue").tap()
    arrived(learner, re.compile(r"/t/\d+/$"))
    expect(learner.get_by_role("heading", name="Hello, Ana")).to_be_visible()
    personal = learner.locator(".personal-code code")
    expect(personal).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    fits = learner.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the participant's page scrolls sideways on a phone"
    axe_check(learner, "a participant's tests on a phone")

    # The pre-test, answered by label: 7 of the 10 right.
    learner.get_by_role("link", name="Start").tap()
    arrived(learner, re.compile(r"/t/\d+/pre/$"))
    expect(learner.get_by_role("heading", name="Pre-test")).to_be_visible()
    axe_check(learner, "the pre-test on a phone")
    for question, choices in ANSWERS:
        for choice in choices:
            # Each answer redraws the questions (htmx): the next waits until that settled.
            idle(learner)
            learner.get_by_role("group", name=question).get_by_label(choice, exact=True).check()
    idle(learner)
    for question, choices in ANSWERS:
        for choice in choices:
            group = learner.get_by_role("group", name=question)
            expect(group.get_by_label(choice, exact=True)).to_be_checked()
    axe_check(learner, "the pre-test answered on a phone")
    learner.get_by_role("button", name="Send my answers").tap()
    arrived(learner, re.compile(r"/t/\d+/$"))
    expect(learner.get_by_text("Your score: 7 of 10 (70 %).")).to_be_visible()
    expect(learner.get_by_role("link", name="Start")).to_have_count(0)
    axe_check(learner, "a participant's score on a phone")

    # The manager's tests page counts the answer.
    manager.goto(tests_url)
    expect(pre_test.get_by_role("cell").nth(1)).to_have_text("1")

    # The donor report: on the page, then as XLSX, DOCX and PDF.
    manager.get_by_role("navigation", name="Programme").get_by_role(
        "link", name="Donor report"
    ).click()
    arrived(manager, re.compile(r"/programmes/\d+/report/$"))
    expect(manager.get_by_role("heading", name="Donor report", level=1)).to_be_visible()
    summary_table = manager.get_by_role("region", name="Summary").get_by_role("table")
    trained = summary_table.get_by_role("row", name="People trained")
    expect(trained.get_by_role("cell")).to_have_text("3")
    expect(trained.get_by_role("link", name="3")).to_be_visible()  # it traces the three
    axe_check(manager, "the donor report")

    download, data = downloaded(manager, "XLSX")
    assert re.fullmatch(r"caseroom-donor-report-\d+-[\d-]+\.xlsx", download.suggested_filename)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Logframe"], book.sheetnames
    assert "Trained by sex and country" in book.sheetnames, book.sheetnames
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Programme"] == given["programme"]
    assert summary["Funder"] == "The Donor Fund"
    assert (summary["People trained"], summary["Sessions"], summary["Training days"]) == (3, 1, 2)
    logframe = list(book["Logframe"].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[6]) for row in logframe] == [("1.1.a", 3)], logframe
    book.close()

    download, data = downloaded(manager, "DOCX")
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(io.BytesIO(data))
    top = ("Title", "Heading 1")
    headings = [p.text for p in document.paragraphs if p.style and p.style.name in top]
    assert headings[:3] == [given["programme"], "Summary", "Logframe"], headings
    assert "People trained" in headings, headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "People trained" in cells, cells

    if weasyprint_works():
        download, data = downloaded(manager, "PDF")
        assert download.suggested_filename.endswith(".pdf")
        assert data.startswith(b"%PDF-"), data[:16]
    else:
        # Without WeasyPrint the link says what to install instead of failing.
        manager.locator(".downloads").get_by_role("link", name="PDF", exact=True).click()
        arrived(manager, re.compile(r"/report/\?start="))
        expect(manager.locator(".flash")).to_contain_text("PDF needs WeasyPrint")
        axe_check(manager, "the donor report saying PDF needs WeasyPrint")
