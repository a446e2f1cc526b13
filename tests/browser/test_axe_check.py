"""The accessibility check itself: it must find what it is there to find, or every
`axe_check` in the browser tests would pass for nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import AXE, LiveApp, axe_check, axe_violations
from tests.browser.pages import new_page


def test_axe_check_fails_naming_the_rule_and_the_element(
    browser: Browser, live_app: LiveApp
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    context, page = new_page(browser)
    page.goto(live_app.url + "/")
    axe_check(page, "the home page")  # a clean page passes
    # An image without a text alternative, as a template could carry one.
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
    with pytest.raises(pytest.fail.Exception) as failed:
        axe_check(page, "the home page with a bare image")
    message = str(failed.value)
    assert "image-alt (critical)" in message
    assert "\n    img: Fix any of the following" in message  # the element, then the fix
    assert "the home page with a bare image" in message
    context.close()
