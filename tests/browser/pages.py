"""Helpers of the browser tests: pages in separate contexts, screenshots, actions, and the
waits that make a test act only on a page that is ready for it.

A click or key press that navigates returns once the new document has begun to load, and
an element can be visible before the page's deferred scripts (htmx, app.js, projector.js)
have bound their handlers: `arrived()` waits for the new URL and then the load event, after
which they all have. A live update reaches a page once its WebSocket is open: `connected()`
waits for that.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import SCREENSHOTS

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LIVE = 10_000  # ms: a live update must arrive well within this (every such wait says so)
# ms: anything else, a click's page or answer included, on a busy machine: CI's 2 cores ran a
# debrief page in more than 10 s while a second suite ran beside it.
PATIENCE = 30_000

# app.js keeps its socket to itself and shows no sign of being connected, so each page
# counts the sockets that opened on <html data-test-sockets-opened="N">. The consumer joins
# its group before it accepts, so an open socket already hears the team's nudges.
COUNT_OPEN_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  if (!Native) return;
  let opened = 0;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("open", () => {
        opened += 1;
        document.documentElement.setAttribute("data-test-sockets-opened", String(opened));
      });
    }
  };
})();
"""


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)  # a stale file from an earlier run must not pass for this one
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no screenshot written to {path}"


def new_page(
    browser: Browser, *, phone: bool = False, websockets: bool = True
) -> tuple[BrowserContext, Page]:
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size)
    if websockets:
        context.add_init_script(COUNT_OPEN_SOCKETS)
    else:
        # A venue whose network blocks WebSockets: the page must keep up by polling.
        context.add_init_script("delete window.WebSocket;")
    page = context.new_page()
    page.set_default_timeout(PATIENCE)
    return context, page


def arrived(page: Page, url: str | re.Pattern[str]) -> None:
    """After a click or a key that navigates: the new document's URL, then its load event.

    The URL changes when the new document commits, and Playwright's load state then belongs
    to that document; deferred scripts have run (and htmx has processed the page, on
    DOMContentLoaded) before the load event fires.
    """
    expect(page).to_have_url(url, timeout=PATIENCE)
    page.wait_for_load_state("load")


def connected(page: Page, times: int = 1, timeout: float = LIVE) -> None:
    """The page's live socket has opened `times` times since the page loaded."""
    opened = page.locator(f"html[data-test-sockets-opened='{times}']")
    expect(opened).to_be_attached(timeout=timeout)


def idle(page: Page) -> None:
    """No htmx request, swap or settling under way. htmx processes swapped-in content only
    when it settles (20 ms later): a form clicked before then posts as a whole page."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def action(page: Page, text: str) -> None:
    """Do the action whose text is `text`, through its confirm step when it moves the whole
    team (the page asks before one person's click moves everyone)."""
    form = page.locator("form.action", has_text=text)
    expect(form).to_be_visible()
    idle(page)
    confirm = form.locator("details.confirm")
    if confirm.count():
        confirm.locator("summary").click()
        form.get_by_role("button", name="Yes, move the team on").click()
    else:
        form.get_by_role("button").click()


def log_in(page: Page, url: str, username: str, password: str) -> None:
    """Log in through the form and arrive at the facilitator's list of exercises."""
    page.goto(url + "/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Django redirects to LOGIN_REDIRECT_URL once the session cookie is set; going there
    # before the answer came would abort the log-in.
    arrived(page, url + "/facilitate/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
