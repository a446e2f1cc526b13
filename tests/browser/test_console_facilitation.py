"""The facilitator's console in a real browser at a laptop's 1366×768, on `make run`'s demo
(issue 13, "Facilitators"): confirm steps before moves that cannot be undone, menus that
stay inside their team's card, an inject menu without what every team already had, and an
ended exercise's console that shows the result in a page of reasonable height.

Every state the test reaches is checked with axe-core.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from caseroom.demo.play import FINISHED_TITLE
from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import PATIENCE, arrived, idle, log_in, shot
from tests.browser.test_debrief import demo_app, demo_password  # noqa: F401 (a fixture)

RUNNING_TITLE = "Demo: joint simulation"  # loaddemo's running exercise: two teams, no one in
CONSOLE = re.compile(r"/facilitate/\d+/(#[\w-]+)?$")
INJECT = "The lawyer at the gate"  # a manual inject of the Vardar case

# Each control of a team card that sticks out of its card: (id, pixels past its right edge).
OVERFLOWING = """() => [...document.querySelectorAll('.team-card')].flatMap((card) => {
  const edge = card.getBoundingClientRect().right;
  return [...card.querySelectorAll('select, textarea, button')]
    .map((el) => [el.id || el.textContent.trim(), el.getBoundingClientRect().right - edge])
    .filter(([, past]) => past > 0.5);
})"""


def laptop(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(PATIENCE)
    return page


def posted(page: Page, message: str) -> None:
    expect(page.locator(".flash")).to_contain_text(message)
    arrived(page, CONSOLE)


def open_tools(page: Page, card: Locator) -> None:
    """Open a team card's tools once no refresh of the cards is on its way: app.js holds
    refreshes back while they are open, but one already sent would close them on arrival."""
    tools = card.locator("details.team-tools")
    for _attempt in range(3):
        idle(page)
        if tools.get_attribute("open") is None:
            tools.locator("summary").click()
        idle(page)
        if tools.get_attribute("open") is not None:
            return
    expect(tools).to_have_attribute("open", "")


def open_console(page: Page, app: LiveApp, title: str) -> None:
    page.goto(app.url + "/facilitate/")
    page.get_by_role("link", name=title).click()
    arrived(page, CONSOLE)


def test_the_facilitator_confirms_what_cannot_be_undone_and_then_sees_the_result(
    browser: Browser,
    demo_app: LiveApp,  # noqa: F811 (the fixture imported above)
) -> None:
    page = laptop(browser)
    log_in(page, demo_app.url, "facilitator", demo_password(demo_app, "facilitator"))
    open_console(page, demo_app, RUNNING_TITLE)
    axe_check(page, "console of a running exercise")

    # Each team's menus stay inside its card, however long the scenes' titles.
    for card in page.locator(".team-card").all():
        open_tools(page, card)
    expect(page.locator(".team-card select").first).to_be_visible()
    assert page.evaluate(OVERFLOWING) == []
    axe_check(page, "console with the teams' tools open")
    shot(page, "console-team-tools")

    # "Move every team to": no scene chosen for the facilitator, and a confirm step.
    scene = page.get_by_label("Move every team to")
    expect(scene).to_have_value("")
    move = page.locator("#move-confirm")
    confirm_move = page.get_by_role("button", name="Yes, move every team")
    expect(confirm_move).to_be_hidden()
    scene.select_option(index=3)
    move.locator("summary").click()
    expect(move).to_contain_text("Move all 2 teams to the chosen scene?")
    expect(confirm_move).to_be_visible()
    axe_check(page, "console asking to confirm moving every team")
    confirm_move.click()
    posted(page, "Team 1 moved on.")
    expect(page.locator(".flash")).to_contain_text("Team 2 moved on.")

    # An inject fired to one team is named as such; once every team had it, it is gone.
    card = page.locator(".team-card", has=page.get_by_role("heading", name="Team 1"))
    open_tools(page, card)
    card.get_by_label("Inject").select_option(label=INJECT)
    card.get_by_role("button", name="Fire").click()
    posted(page, "fired for: Team 1")
    to_all = page.get_by_label("Inject to all")
    expect(to_all.locator("option", has_text=INJECT)).to_have_text(
        f"{INJECT} (already fired to Team 1)"
    )
    axe_check(page, "console after an inject to one team")
    to_all.select_option(label=f"{INJECT} (already fired to Team 1)")
    page.locator("form", has=to_all).get_by_role("button", name="Fire").click()
    posted(page, "fired for: Team 2")
    expect(page.get_by_label("Inject to all").locator("option", has_text=INJECT)).to_have_count(0)

    # Ending the exercise: a first click only asks.
    end = page.locator("#end-confirm")
    end.locator("summary").click()
    expect(end).to_contain_text("End the exercise for every team?")
    expect(page.locator(".console-title .eyebrow")).to_contain_text("Running")
    axe_check(page, "console asking to confirm the end")
    shot(page, "console-confirm-end")
    page.get_by_role("button", name="Yes, end the exercise").click()
    posted(page, "The exercise is now: Ended")

    # The result instead of live controls; the teams were stopped where they were.
    result = page.locator("#result")
    expect(result).to_be_visible()
    expect(result.locator("tbody tr")).to_have_count(2)
    expect(result).to_contain_text("Stopped by the facilitator at “")
    for gone in ("#broadcast", "#timebox", "#rules", ".team-tools"):
        expect(page.locator(gone)).to_have_count(0)
    axe_check(page, "console of the ended exercise")
    shot(page, "console-ended")

    # The debrief says the same instead of "not ended".
    result.get_by_role("link", name="Compare the teams in the debrief").click()
    arrived(page, re.compile(r"/debrief/$"))
    expect(page.locator("main")).to_contain_text("stopped by the facilitator at “")
    expect(page.locator("main")).not_to_contain_text("not ended")
    axe_check(page, "debrief of a stopped exercise")


def test_an_ended_exercise_of_23_people_fits_a_few_screens(
    browser: Browser,
    demo_app: LiveApp,  # noqa: F811 (the fixture imported above)
) -> None:
    page = laptop(browser)
    log_in(page, demo_app.url, "facilitator", demo_password(demo_app, "facilitator"))
    open_console(page, demo_app, FINISHED_TITLE)
    expect(page.locator("#result tbody tr")).to_have_count(5)
    expect(page.locator("#result")).to_contain_text("Network dismantled")
    folded = page.locator("details.edit-roles")
    expect(folded).to_have_count(23)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 3000, f"the ended console is {height} px tall"
    axe_check(page, "console of the finished demo exercise")
    shot(page, "console-finished")

    # One person's team and roles open on demand, and nobody else's.
    first = folded.first
    first.locator("summary").click()
    expect(first.get_by_role("button", name="Save")).to_be_visible()
    expect(page.locator("details.edit-roles[open]")).to_have_count(1)
    axe_check(page, "console with one participant's roles open")
