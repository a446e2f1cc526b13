"""Issue 13, participants 1: a keyboard-only person keeps their place when parts of the
play page are swapped, by their own action or a teammate's; what happens is read out by a
live region that is never replaced."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import LIVE, idle
from tests.browser.playroom import focused, room, tabs_to


def test_focus_stays_on_the_control_or_moves_to_the_status_line_after_every_swap(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Focus exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    petar = r.join(browser, "Petar", ["Prosecutor (Serbia)"])
    announcer = ana.locator("#announcer")
    axe_check(ana, "play page at the start")

    # A team-wide move: Enter opens the confirm step and puts focus on its button, Enter
    # again moves the team; focus lands on the status line that says what was done.
    ana.locator("#do-treat-as-victim").focus()
    ana.keyboard.press("Enter")
    focused(ana, "confirm-treat-as-victim")
    ana.keyboard.press("Enter")
    focused(ana, "scene-result")
    expect(ana.locator("#scene-result")).to_have_text(
        "Done: Screen everyone for trafficking indicators."
    )
    assert tabs_to(ana, r"^do-") <= 3  # the next thing to do is a Tab or two away
    axe_check(ana, "play page after a team-wide move")

    # The same control is still there (a note can be written again): focus stays on it,
    # and the status line is read out by the announcer instead.
    idle(ana)
    ana.locator("#do-note").focus()
    ana.keyboard.press("Enter")
    expect(ana.locator("#scene-result")).to_have_text("Done: Write a note.")
    focused(ana, "do-note")
    expect(announcer).to_have_text("Done: Write a note.")

    # Multiple choice, ticked with the space bar: the action waits for its answer.
    idle(ana)
    # Each team sees the items in its own order (engine.shuffle): find them by id, not by
    # how many Tabs apart they are.
    ana.locator("#item-ask-mk-plates").focus()
    ana.keyboard.press("Space")
    ana.locator("#item-ask-mk-dates").focus()
    ana.keyboard.press("Space")
    ana.locator("#do-ask-mk").focus()
    ana.keyboard.press("Enter")
    expect(ana.locator("#scene-result")).to_contain_text("Ask the Macedonian police")
    focused(ana, "scene-result")

    # A number, sent with Enter in its field.
    idle(ana)
    ana.locator("#value-estimate").focus()
    ana.keyboard.type("10800")
    ana.keyboard.press("Enter")
    expect(ana.locator("#scene-result")).to_have_text("Done: Estimate the proceeds.")
    focused(ana, "scene-result")

    # An order, chosen with the keyboard in each select.
    idle(ana)
    for item, position in (("rapport", "1"), ("free", "2"), ("close", "3")):
        ana.locator(f"#order-order-steps-{item}").select_option(position)
    ana.locator("#do-order-steps").focus()
    ana.keyboard.press("Enter")
    expect(ana.locator("#scene-result")).to_have_text("Done: Order the interview steps.")
    focused(ana, "scene-result")

    # A teammate's action refreshes Petar's scene while his focus is on a button in it:
    # it is on the same button afterwards, not on <body>.
    idle(petar)
    expect(petar.locator("#do-consult")).to_be_visible(timeout=LIVE)
    petar.locator("#do-consult").focus()
    before = petar.locator("#scene").get_attribute("data-seq")
    ana.locator("#do-note").focus()
    ana.keyboard.press("Enter")
    expect(petar.locator("#scene")).not_to_have_attribute("data-seq", before or "", timeout=LIVE)
    idle(petar)
    focused(petar, "do-consult")

    # A free-text answer, then an approval: the buttons go, focus goes to the status line.
    idle(petar)
    petar.locator("#answer-grounds").focus()
    petar.keyboard.type("Proceeds of smuggling.")
    petar.keyboard.press("Tab")
    petar.keyboard.press("Enter")
    expect(petar.locator("#scene-result")).to_contain_text("Draft the grounds")
    focused(petar, "scene-result")

    idle(ana)
    ana.locator("#do-surveil").focus()
    ana.keyboard.press("Enter")
    expect(ana.locator("#scene-result")).to_have_text("Done: Ask for surveillance.")
    approve = petar.locator("#approve-surveil")
    expect(approve).to_be_visible(timeout=LIVE)
    idle(petar)
    approve.focus()
    petar.keyboard.press("Enter")
    expect(petar.locator("#scene-result")).to_have_text("You approved: Ask for surveillance.")
    focused(petar, "scene-result")
    axe_check(petar, "play page after approving")

    # The chat: after sending, focus is back in the message field for the next one.
    idle(ana)
    ana.locator("#body-team").focus()
    ana.keyboard.type("On my way.")
    ana.keyboard.press("Tab")
    ana.keyboard.press("Enter")
    expect(ana.locator("#messages-team")).to_contain_text("On my way.", timeout=LIVE)
    focused(ana, "body-team")
    # Petar hears it through the announcer, which is the same element as before.
    expect(petar.locator("#announcer")).to_have_text("Ana: On my way.", timeout=LIVE)
    axe_check(ana, "play page after chatting")
