"""Issue 13, checks: a whole exercise played with the keyboard alone, and a whole exercise
played on a phone-sized screen — from the join form to the ending, as a person does it.

The mini case's shortest way to an ending: screen everyone (a move of the whole team, asked
first), check the databases, close the investigation phase (another move), close the case.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import action, arrived, connected, idle, new_page
from tests.browser.playroom import PLAY, room


def tab_to(page: Page, target: Locator, most: int = 80) -> int:
    """Press Tab until `target` has focus; how many presses it took."""
    expect(target).to_be_attached()
    for count in range(1, most + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return count
    raise AssertionError(f"{target} not reached within {most} Tabs")


def do_by_keyboard(page: Page, action_id: str, *, moves_team: bool = False) -> None:
    """Tab to the action's button and press Enter (and Enter again on the confirm step of a
    move of the whole team); the status line then says what was done."""
    idle(page)
    tab_to(page, page.locator(f"#do-{action_id}"))
    page.keyboard.press("Enter")
    if moves_team:
        expect(page.locator(f"#confirm-{action_id}")).to_be_focused()
        page.keyboard.press("Enter")
    expect(page.locator("#scene-result")).to_contain_text("Done:")


def test_a_whole_exercise_with_the_keyboard_alone(browser: Browser, live_app: LiveApp) -> None:
    r = room(browser, live_app, "Keyboard exercise")
    _, page = new_page(browser)
    page.goto(f"{live_app.url}/join/{r.code}/")
    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type("Ana")
    tab_to(page, page.get_by_label("Your agency"))
    page.keyboard.type("Police")
    tab_to(page, page.get_by_label("Your country"))
    page.keyboard.type("RS")
    tab_to(page, page.get_by_label("Police investigator (Serbia)"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Join"))
    page.keyboard.press("Enter")
    arrived(page, PLAY)
    connected(page)
    axe_check(page, "keyboard run: the play page at the start")

    do_by_keyboard(page, "treat-as-victim", moves_team=True)
    do_by_keyboard(page, "check-db")
    do_by_keyboard(page, "wrap-up", moves_team=True)
    axe_check(page, "keyboard run: the last decision")
    idle(page)
    tab_to(page, page.locator("#do-close"))
    page.keyboard.press("Enter")
    expect(page.locator("#confirm-close")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Case closed").first).to_be_visible()
    axe_check(page, "keyboard run: the ending")


def test_a_whole_exercise_on_a_phone(browser: Browser, live_app: LiveApp) -> None:
    r = room(browser, live_app, "Phone exercise")
    page = r.join(browser, "Ana", ["Police investigator (Serbia)"], phone=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    axe_check(page, "phone run: the play page at the start")

    for text in (
        "Screen everyone for trafficking indicators.",
        "Check the databases.",
        "Close the investigation phase.",
        "Close the case.",
    ):
        form = page.locator("form.action", has_text=text)
        expect(form).to_be_visible()
        box = form.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, text
        action(page, text)
        idle(page)

    expect(page.get_by_text("Case closed").first).to_be_visible()
    # Nothing wider than the phone: no sideways scrolling anywhere on the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page, "phone run: the ending")
