"""Issue 13, participants 3, 4, 7 and 8: a phone's tabs with unread badges, the laptop's
side column, paused and ended states, Markdown and names as people read them, and the
page in the reader's language."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import LIVE, action, arrived, idle
from tests.browser.playroom import PLAY, room


def test_a_phone_shows_one_part_at_a_time_with_badges_where_news_arrives(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Phone exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    marija = r.join(browser, "Marija", ["Police officer (North Macedonia)"], phone=True)

    bar = marija.get_by_role("navigation", name="Parts of the case")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] >= 844 - 2  # at the bottom of the screen
    expect(marija.locator("#scene")).to_be_visible()
    expect(marija.locator("#feed")).to_be_hidden()
    axe_check(marija, "phone, scene tab")

    # In the case file, news elsewhere raises badges: the team chat, a facilitator's
    # message (on the scene) and the feed.
    bar.get_by_role("link", name=re.compile("Case file")).click()
    expect(marija.locator("#docs")).to_be_visible()
    expect(marija.locator("#scene")).to_be_hidden()
    idle(ana)
    ana.locator("#body-team").fill("Plates follow.")
    ana.locator("#send-team").click()
    chat = marija.locator("[data-tab='chat'] .badge")
    expect(chat).to_be_visible(timeout=LIVE)
    expect(chat).to_contain_text("1")
    r.post("message", key="fac-1", team="all", body="Ten minutes left.")
    expect(marija.locator("[data-tab='scene'] .badge")).to_be_visible(timeout=LIVE)
    expect(marija).to_have_title(re.compile(r"^\(2\) "))
    axe_check(marija, "phone, case file tab with badges")

    bar.get_by_role("link", name=re.compile("Chat")).click()
    expect(marija.locator("#messages-team")).to_contain_text("Plates follow.")
    expect(chat).to_be_hidden()
    expect(marija.locator("#chat-cross-border")).to_be_visible()
    bar.get_by_role("link", name=re.compile("Scene")).click()
    expect(marija.locator("#messages-facilitator")).to_contain_text("Ten minutes left.")
    expect(marija).not_to_have_title(re.compile(r"^\("))

    # On a laptop the side column scrolls with the page: nothing hides in an inner box.
    side = ana.locator(".play-side")
    assert side.evaluate("e => getComputedStyle(e).overflowY") == "visible"
    cross = ana.locator("#chat-cross-border")
    cross.scroll_into_view_if_needed()
    expect(cross.get_by_role("button", name="Send")).to_be_in_viewport()


def test_paused_and_ended_show_their_state_and_disable_what_cannot_be_used(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "States exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    r.post("timebox", key="box-1", do="start", minutes="5", label="Initial checks")
    countdown = ana.locator("#status .countdown")
    expect(ana.locator("#status .timebox")).to_contain_text(
        "Time for: Initial checks", timeout=LIVE
    )

    r.status("paused")
    banner = ana.locator("#state-banner")
    expect(banner).to_contain_text("The exercise is paused", timeout=LIVE)
    expect(ana.locator("#do-treat-as-victim")).to_be_disabled()
    expect(countdown).to_have_attribute("data-paused", "")
    expect(ana.locator("#body-team")).to_be_enabled()  # talking is still possible
    expect(ana.locator("#announcer")).to_contain_text("paused", timeout=LIVE)
    axe_check(ana, "paused")

    r.status("running")
    expect(banner).to_have_count(0, timeout=LIVE)
    expect(ana.locator("#do-treat-as-victim")).to_be_enabled()
    action(ana, "Screen everyone for trafficking indicators.")
    expect(ana.locator("#scene-title")).to_have_text("Investigation")

    r.status("ended")
    expect(banner).to_contain_text("The exercise has ended", timeout=LIVE)
    expect(ana.locator("#do-check-db")).to_be_disabled()
    expect(ana.locator("#body-team")).to_be_disabled()
    expect(ana.locator("#send-team")).to_be_disabled()
    # The time box has stopped: it is no longer shown, so it cannot count on.
    expect(ana.locator("#status .timebox")).to_have_count(0)
    axe_check(ana, "ended")


def test_markdown_role_names_and_the_lock_read_as_people_expect(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Words exercise")
    ilir = r.join(
        browser,
        "Ilir",
        ["Police investigator (Serbia)", "Police officer (North Macedonia)"],
        country="XK",
    )
    # Nobody's country: the menu asks, with the full names, rather than guessing.
    menu = ilir.locator("#role-team")
    expect(menu).to_have_value("")
    expect(menu.locator("option")).to_have_text(
        ["Choose your role…", "Police investigator (Serbia)", "Police officer (North Macedonia)"]
    )
    idle(ilir)
    menu.select_option(label="Police officer (North Macedonia)")
    ilir.locator("#body-team").fill("Crossing times attached.")
    ilir.locator("#send-team").click()
    expect(ilir.locator("#messages-team")).to_contain_text("Police officer (North Macedonia)")
    ilir.reload()
    expect(ilir.locator("#role-team")).to_have_value("police-mk")  # as last time

    # Markdown (the scene's text has **nine**) renders, never shows asterisks.
    expect(ilir.locator("#scene .prose strong").first).to_have_text("nine")
    expect(ilir.locator("main")).not_to_contain_text("**")

    # A greyed-out action's lock is an SVG icon with a name, not an emoji.
    action(ilir, "Screen everyone for trafficking indicators.")
    lock = ilir.locator("#action-wrap-up .reason svg")
    expect(lock).to_have_attribute("aria-label", "Locked")
    assert "🔒" not in ilir.locator("main").inner_text()
    expect(ilir.locator("#feed")).not_to_contain_text("**")
    axe_check(ilir, "write-as menu and locked actions")


def test_the_page_in_another_language_with_a_language_menu_that_waits_for_its_button(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Language exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    expect(ana.get_by_role("heading", level=1)).to_contain_text("Language exercise")

    menu = ana.locator("#lang-select")
    menu.focus()
    ana.keyboard.press("ArrowDown")  # moves the choice, changes nothing yet
    expect(ana.locator("html")).to_have_attribute("lang", "en")
    menu.select_option("mk")
    expect(ana.locator("html")).to_have_attribute("lang", "en")
    ana.locator("form.lang").get_by_role("button").click()
    arrived(ana, PLAY)
    expect(ana.locator("html")).to_have_attribute("lang", "mk")
    expect(ana.get_by_role("heading", level=1)).to_contain_text("Тим 1")
    # The case brief's date (2026-03-02) in Macedonian's own format.
    expect(ana.locator("#docs")).to_contain_text("2 Март 2026")
    axe_check(ana, "the play page in Macedonian")
