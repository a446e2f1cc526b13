"""What a participant's phone downloads on its first visit to the play page: everything the
page loads (HTML, CSS, JavaScript, fonts, images, the parts htmx fetches on load), counted
as sent over the wire (compressed, headers included), stays under 150 KB; and every static
file is sent compressed under a hashed name that may be cached for a year.

Training rooms share one Wi-Fi (or phones' data plans) among thirty people joining at once.
The server serves static files as `make run` does (collected: see collected_static).
"""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import Browser, Request, expect

from tests.browser.conftest import ROOT, LiveApp, axe_check
from tests.browser.pages import arrived, connected, new_page

BUDGET = 150 * 1024
CODE = "WEGHT3"
EXERCISE = f"""
import django; django.setup()
from django.contrib.auth.models import User
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise
from caseroom.scenarios.models import ScenarioVersion
exercise = Exercise.objects.create(
    title="Page weight", scenario=ScenarioVersion.objects.get(slug="mini"), status="running",
    join_code={CODE!r},
)
exercise.facilitators.add(User.objects.get(username="fac"))
actions.create_teams(exercise, 1)
"""
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def test_the_play_page_first_visit_stays_under_150_kb(browser: Browser, live_app: LiveApp) -> None:
    subprocess.run([sys.executable, "-c", EXERCISE], cwd=ROOT, env=live_app.env, check=True)
    joining, page = new_page(browser, phone=True)
    page.goto(f"{live_app.url}/join/{CODE}/")
    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Your agency").fill("Police")
    page.get_by_label("Your country").fill("RS")
    page.get_by_label("Police investigator (Serbia)").check()
    page.get_by_role("button", name="Join").click()
    arrived(page, re.compile(r"/x/\d+/play/$"))
    play_url = page.url
    # The same participant (the session cookie) on a phone whose cache is empty: a context
    # of its own starts with no cached file.
    _, cold = new_page(browser, phone=True)
    cold.context.add_cookies(joining.cookies())
    joining.close()
    finished: list[Request] = []
    cold.on("requestfinished", lambda request: finished.append(request))
    cold.goto(play_url)
    cold.wait_for_load_state("load")
    connected(cold)
    expect(cold.locator("#scene")).to_contain_text("The stop")
    cold.wait_for_load_state("networkidle")  # the parts htmx asks for on load, if any
    axe_check(cold, "the play page on a phone, first visit")

    sizes = []
    for request in finished:
        sent = request.sizes()
        response = request.response()
        assert response is not None, request.url
        sizes.append(
            (sent["responseBodySize"] + sent["responseHeadersSize"], request.url, response)
        )
    total = sum(size for size, _url, _response in sizes)
    listing = "\n".join(f"  {size:>7} {url}" for size, url, _response in sizes)
    assert total < BUDGET, f"{total} bytes on the first visit (budget {BUDGET}):\n{listing}"
    statics = [(url, response) for _size, url, response in sizes if "/static/" in url]
    assert statics, f"no static file was loaded:\n{listing}"
    for url, response in statics:
        headers = response.headers
        assert HASHED.search(url), f"{url}: not a hashed name (collectstatic's manifest)"
        assert "immutable" in headers.get("cache-control", ""), (url, headers)
        if url.endswith((".css", ".js", ".svg")):
            assert headers.get("content-encoding") in ("br", "gzip"), (url, headers)
    cold.context.close()
