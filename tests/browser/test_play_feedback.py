"""Issue 13, participants 2, 5 and 6: answers next to what was pressed, events that used to
be invisible (a grade, a new approval request), and moves of the whole team that ask first
and say who made them."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import LIVE, action, arrived, idle
from tests.browser.playroom import PLAY, focused, room


def test_errors_and_a_teammates_refusal_appear_beside_the_form_that_was_used(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Feedback exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    petar = r.join(browser, "Petar", ["Prosecutor (Serbia)"])
    action(ana, "Screen everyone for trafficking indicators.")
    expect(ana.locator("#do-order-steps")).to_be_visible()

    # Two items in the same position: the error is inside that form, by its button.
    idle(ana)
    form = ana.locator("#action-order-steps")
    for item, position in (("rapport", "1"), ("free", "1"), ("close", "2")):
        form.locator(f"#order-order-steps-{item}").select_option(position)
    form.get_by_role("button", name="Send").click()
    error = form.locator(".error")
    expect(error).to_have_text("Give each item a different position.")
    button = ana.locator("#do-order-steps").bounding_box()
    near = error.bounding_box()
    assert button and near and abs(button["y"] - near["y"]) < 150  # beside it, not far above
    focused(ana, "do-order-steps")
    axe_check(ana, "an error beside its form")

    # Petar refuses Ana's request: Ana reads who refused and why, at the action itself.
    action(ana, "Ask for surveillance.")
    refuse = petar.locator("#refuse-surveil")
    expect(refuse).to_be_visible(timeout=LIVE)
    idle(petar)
    refuse.click()
    petar.get_by_label("Grounds not documented").check()
    petar.locator("#refuse-send-surveil").click()
    focused(petar, "scene-result")
    said = "Petar (Prosecutor (Serbia)) refused your request: Grounds not documented"
    expect(ana.locator("#action-surveil")).to_contain_text(said, timeout=LIVE)
    expect(ana.locator("#feed")).to_contain_text("Grounds not documented", timeout=LIVE)
    expect(ana.locator("#announcer")).to_contain_text("Refused", timeout=LIVE)
    axe_check(ana, "a refusal beside the action")


def test_a_grade_a_request_and_an_empty_choice_are_not_invisible(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Events exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    petar = r.join(browser, "Petar", ["Prosecutor (Serbia)"], phone=True)
    action(ana, "Screen everyone for trafficking indicators.")

    # A multiple choice sent with nothing ticked is refused beside its button.
    idle(ana)
    ana.locator("#do-ask-mk").click()
    expect(ana.locator("#action-ask-mk .error")).to_contain_text("Tick at least one item")
    expect(ana.locator("#scene .pending")).to_have_count(0)

    # Petar reads the chat on his phone when Ana asks for his approval: his Scene tab
    # gets a badge and the title a count.
    idle(petar)
    petar.locator("[data-tab='chat']").click()
    expect(petar.locator("#chat-team")).to_be_visible()
    action(ana, "Ask for surveillance.")
    badge = petar.locator("[data-tab='scene'] .badge")
    expect(badge).to_be_visible(timeout=LIVE)
    expect(badge.locator(".badge-count")).to_have_text("1")
    # Unread: the request in the scene and its line in the feed.
    expect(petar).to_have_title(re.compile(r"^\([1-9]\d*\) Events exercise"))
    axe_check(petar, "phone, chat tab, with an unread badge")
    for tab in ("scene", "feed", "docs", "scene"):
        petar.locator(f"[data-tab='{tab}']").click()
        expect(petar.locator(f"[data-tab='{tab}'] .badge")).to_be_hidden()
    expect(petar).to_have_title(re.compile(r"^Events exercise"))

    # Petar writes the grounds; the facilitator grades them; the whole team sees it.
    idle(petar)
    petar.locator("#answer-grounds").fill("Proceeds of smuggling, article 12.")
    petar.locator("#do-grounds").click()
    for page in (ana, petar):
        expect(page.locator(".written")).to_contain_text(
            "Waiting for the facilitator’s grade.", timeout=LIVE
        )
    # The grounds are step 1 (step 0 was the screening), graded as the console's form sends.
    fields = {"points-legal": "2", "comment": "Cite the law."}
    r.post("grade", key="grade-1", team=r.team_id(), step="1", **fields)
    for page in (ana, petar):
        graded = page.locator(".written.graded")
        expect(graded).to_contain_text("Legal soundness 2 of 3", timeout=LIVE)
        expect(graded).to_contain_text("Facilitator’s feedback: Cite the law.")
    expect(ana.locator("#announcer")).to_contain_text("graded", timeout=LIVE)
    axe_check(ana, "a graded answer")


def test_a_move_of_the_whole_team_asks_first_and_the_feed_says_who_made_it(
    browser: Browser, live_app: LiveApp
) -> None:
    r = room(browser, live_app, "Team-wide exercise")
    ana = r.join(browser, "Ana", ["Police investigator (Serbia)"])
    petar = r.join(browser, "Petar", ["Prosecutor (Serbia)"])

    form = ana.locator("#action-treat-as-victim")
    idle(ana)
    form.get_by_text("Do this…").click()
    confirm = form.get_by_role("button", name="Yes, move the team on")
    expect(confirm).to_be_visible()
    expect(form).to_contain_text("This moves your whole team on, for everyone.")
    axe_check(ana, "the confirm step of a team-wide move")
    expect(petar.locator("#scene-title")).to_have_text("The stop")  # nothing moved yet
    confirm.click()
    for page in (ana, petar):
        expect(page.locator("#scene-title")).to_have_text("Investigation", timeout=LIVE)
    expect(petar.locator("#feed .kind-scene").first).to_contain_text(
        "moved here by Ana (Police investigator (Serbia))", timeout=LIVE
    )

    # Without script the confirm step is the same native disclosure and a plain form.
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies(petar.context.cookies())
    plain = context.new_page()
    plain.goto(petar.url)
    plain.locator("#action-wrap-up").get_by_text("Gather some evidence first.").wait_for()
    idle(ana)
    ana.locator("#do-check-db").click()
    expect(ana.locator("#scene-result")).to_have_text("Done: Check the databases.")
    plain.reload()
    wrap = plain.locator("#action-wrap-up")
    wrap.get_by_text("Do this…").click()
    wrap.get_by_role("button", name="Yes, move the team on").click()
    arrived(plain, PLAY)
    expect(plain.locator("#scene-title")).to_have_text("Decide")
    expect(ana.locator("#feed .kind-scene").first).to_contain_text(
        "moved here by Petar", timeout=LIVE
    )
    context.close()
