"""The debrief read where it is read, measured in a real browser on `make run`'s demo (a
finished five-team exercise of the Vardar case, 12 scenes long; issue 13, "Debrief
readability"): a laptop at 1366×768, the room's projector at the same size, a phone.

Every state the test reaches is checked with axe-core.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pypdf
from playwright.sync_api import Browser, Page, expect

from caseroom.demo.play import FINISHED_TITLE
from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import PATIENCE, arrived, log_in, shot
from tests.browser.test_debrief import FIND, PARTICIPANT, demo_app, demo_password  # noqa: F401
from tests.conftest import ROOT

# Rendered size of each label of the flow diagram, in CSS pixels, and whether it was cut.
FLOW_LABELS = """(selector) => {
  const svg = document.querySelector(selector);
  const scale = svg.getScreenCTM().a;
  return [...svg.querySelectorAll('.flow-nodes text')].map((text) => ({
    px: scale * parseFloat(getComputedStyle(text).fontSize),
    text: text.textContent,
  }));
}"""
OVERFLOW = """() => ({
  width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
})"""


def screen(browser: Browser, width: int = 1366, height: int = 768) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(PATIENCE)
    return page


def facilitator_debrief(browser: Browser, app: LiveApp) -> Page:
    page = screen(browser)
    log_in(page, app.url, "facilitator", demo_password(app, "facilitator"))
    page.get_by_role("link", name=FINISHED_TITLE).click()
    arrived(page, re.compile(r"/facilitate/\d+/$"))
    page.get_by_role("link", name="Debrief across teams").click()
    arrived(page, re.compile(r"/facilitate/\d+/debrief/$"))
    return page


def assert_labels_read(page: Page, selector: str) -> None:
    labels = page.evaluate(FLOW_LABELS, selector)
    nodes = page.locator(f"{selector} .flow-nodes > g").count()
    assert len(labels) == nodes >= 17  # the Vardar case: 12 scenes or more, 5 endings
    small = [(round(label["px"], 1), label["text"]) for label in labels if label["px"] < 12]
    assert not small, f"labels under 12 px: {small}"
    assert not [label["text"] for label in labels if "…" in label["text"]]


def test_the_flow_diagram_reads_at_12_px_or_more_on_a_laptop_and_a_projector(
    browser: Browser,
    demo_app: LiveApp,  # noqa: F811 (the fixture imported above)
) -> None:
    page = facilitator_debrief(browser, demo_app)
    flow = page.locator(".flow-wrap svg")
    expect(flow).to_be_visible()
    assert_labels_read(page, ".flow-wrap svg")
    box, card = flow.bounding_box(), page.locator(".flow-wrap").bounding_box()
    assert box is not None and card is not None and box["width"] <= card["width"] + 0.5
    expect(flow.locator("text", has_text="Network dismantled on both")).to_have_count(1)
    axe_check(page, "debrief across teams")
    shot(page, "debrief-flow-1366")

    # The projector: every slide fits the screen, the flow's labels still 12 px or more.
    page.get_by_role("link", name="Projector mode").click()
    arrived(page, re.compile(r"/debrief/projector/$"))
    count = int(page.locator(".projector-count").inner_text().split("/")[1])
    base = page.url
    for index in range(count):
        page.goto(f"{base}?slide={index}")
        expect(page.locator(".projector-count")).to_have_text(f"{index + 1} / {count}")
        size = page.evaluate(OVERFLOW)
        assert size == {"width": 1366, "height": 768}, f"slide {index + 1} overflows: {size}"
        axe_check(page, f"projector slide {index + 1}")
    expect(page.locator(".slide-flow svg")).to_be_visible()
    assert_labels_read(page, ".slide-flow svg")
    shot(page, "debrief-projector-flow")


def test_the_team_replay_names_variables_and_numbers_earlier_steps(
    browser: Browser,
    demo_app: LiveApp,  # noqa: F811 (the fixture imported above)
) -> None:
    page = facilitator_debrief(browser, demo_app)
    page.get_by_role("link", name="Team A", exact=True).first.click()
    arrived(page, re.compile(r"/team/\d+/debrief/$"))
    timeline = page.locator(".debrief-timeline")
    # victim_status, by the author's label (variables.yaml) and its value's label
    expect(timeline).to_contain_text("Status of the presumed victim: unscreened → ")
    assert not re.search(r"\b[a-z]+_[a-z]+:", timeline.inner_text()), "an identifier shows"
    axe_check(page, "a team's replay")

    # On the projector, the steps before the current one count up to it.
    page.get_by_role("link", name="Step through it on the projector").click()
    arrived(page, re.compile(r"/debrief/projector/$"))
    page.goto(page.url + "?step=6")
    expect(page.locator(".projector-count")).to_contain_text("7 / ")
    earlier = page.locator("ol.earlier")
    expect(earlier.locator("li")).to_have_count(4)
    assert earlier.get_attribute("start") == "3" and earlier.get_attribute("reversed") is None
    size = page.evaluate(OVERFLOW)
    assert size == {"width": 1366, "height": 768}, f"the team's slide overflows: {size}"
    axe_check(page, "a team's step on the projector")
    shot(page, "debrief-team-projector")


def test_the_reports_pdf_is_tagged_and_its_html_tables_keep_their_height(
    browser: Browser,
    demo_app: LiveApp,  # noqa: F811 (the fixture imported above)
) -> None:
    page = facilitator_debrief(browser, demo_app)
    pdf = page.request.get(page.url + "report.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    root = pypdf.PdfReader(io.BytesIO(pdf.body())).trailer["/Root"].get_object()
    assert isinstance(root, pypdf.generic.DictionaryObject) and "/StructTreeRoot" in root
    mark_info = root["/MarkInfo"].get_object()
    assert isinstance(mark_info, pypdf.generic.DictionaryObject) and bool(mark_info["/Marked"])

    page.get_by_role("link", name="HTML").first.click()
    arrived(page, re.compile(r"/debrief/report\.html$"))
    tables = page.locator("#participation .grid-2 table")
    countries, agencies = tables.nth(0).bounding_box(), tables.nth(1).bounding_box()
    assert countries is not None and agencies is not None
    rows = tables.nth(0).locator("tr").count()
    assert countries["height"] < agencies["height"], "the country table is stretched"
    assert countries["height"] < rows * 60
    axe_check(page, "the after-action report as HTML")


def test_a_participant_reads_the_feedback_on_a_375_px_phone(
    browser: Browser,
    demo_app: LiveApp,  # noqa: F811 (the fixture imported above)
) -> None:
    found = subprocess.run(
        [sys.executable, "-c", FIND.format(title=FINISHED_TITLE, name=PARTICIPANT)],
        cwd=ROOT,
        env=demo_app.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    codes = json.loads(found.strip().splitlines()[-1])
    page = screen(browser, 375, 740)
    page.goto(demo_app.url + "/")
    page.get_by_label("Join code").fill(codes["join"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Your team's debrief").click()
    arrived(page, re.compile(r"/join/\w+/debrief/$"))
    page.get_by_label("Your name, as you joined").fill(PARTICIPANT)
    page.get_by_label("Your personal code").fill(codes["personal"])
    page.get_by_role("button", name="Open the debrief").click()
    arrived(page, re.compile(r"/x/\d+/debrief/$"))
    feedback = page.locator(".debrief-feedback").first
    expect(feedback).to_be_visible()
    assert page.evaluate(OVERFLOW)["width"] <= 375, "the page scrolls sideways"
    box = feedback.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["width"] > 250  # the feedback has the screen's width, not a seventh of it
    axe_check(page, "a participant's debrief on a phone")
    shot(page, "participant-debrief-375")
