"""Helpers of the browser tests: pages in separate contexts, screenshots, actions."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page

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
LIVE = 10_000  # ms: a live update must arrive well within this


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
    if not websockets:
        # A venue whose network blocks WebSockets: the page must keep up by polling.
        context.add_init_script("delete window.WebSocket;")
    page = context.new_page()
    page.set_default_timeout(LIVE)
    return context, page


def action(page: Page, text: str) -> None:
    form = page.locator("form.action", has_text=text)
    form.get_by_role("button").click()


def log_in(page: Page, url: str, username: str, password: str) -> None:
    """Log in through the form, then open the facilitator's list of exercises."""
    page.goto(url + "/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(url + "/facilitate/")
