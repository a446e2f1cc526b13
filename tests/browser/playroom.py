"""The play page's browser tests' set-up: a running exercise of the mini case made in the
test server's database, participants who join through the pages as people do, and a
facilitator who acts through the console's endpoints (the console's own buttons are the
console tests' subject).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveApp
from tests.browser.pages import arrived, connected, log_in, new_page
from tests.conftest import ROOT

PLAY = re.compile(r"/x/\d+/play/(#[\w-]+)?$")

MAKE = """
import django; django.setup()
from django.contrib.auth.models import User
from caseroom.scenarios.models import ScenarioVersion
from caseroom.exercises import actions
version = ScenarioVersion.objects.filter(slug="mini").order_by("-pk").first()
exercise = actions.create_exercise(
    User.objects.get(username="fac"), scenario=version, title={title!r}
)
actions.create_teams(exercise, 1)
actions.set_status(exercise, "running")
print(exercise.pk, exercise.join_code)
"""


@dataclass(frozen=True)
class Room:
    """A running exercise with one team, and the facilitator's logged-in page."""

    app: LiveApp
    exercise: int
    code: str
    fac: Page

    def join(
        self,
        browser: Browser,
        name: str,
        roles: list[str],
        *,
        country: str = "RS",
        phone: bool = False,
        live: bool = True,
    ) -> Page:
        _, page = new_page(browser, phone=phone)
        page.goto(f"{self.app.url}/join/{self.code}/")
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Your agency").fill("Police")
        page.get_by_label("Your country").fill(country)
        for role in roles:
            page.get_by_label(role).check()
        page.get_by_role("button", name="Join").click()
        arrived(page, PLAY)
        if live:
            connected(page)
        return page

    def post(self, path: str, **form: str) -> None:
        """A console form sent as the facilitator's browser sends it (session and CSRF)."""
        token = next(c["value"] for c in self.fac.context.cookies() if c["name"] == "csrftoken")
        url = f"{self.app.url}/facilitate/{self.exercise}/{path}/"
        answer = self.fac.request.post(
            url,
            form={"csrfmiddlewaretoken": token, **form},
            headers={"Referer": url},
            max_redirects=0,
        )
        assert answer.status in (200, 302), f"{path}: {answer.status}"

    def status(self, status: str) -> None:
        self.post("status", status=status)

    def team_id(self) -> str:
        return self.run("print(Team.objects.get(exercise_id={ex}).pk)").strip()

    def run(self, code: str) -> str:
        script = (
            "import django; django.setup()\n"
            "from caseroom.exercises.models import Team, Exercise\n" + code.format(ex=self.exercise)
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.app.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


def room(browser: Browser, app: LiveApp, title: str) -> Room:
    made = subprocess.run(
        [sys.executable, "-c", MAKE.format(title=title)],
        cwd=ROOT,
        env=app.env,
        check=True,
        capture_output=True,
        text=True,
    )
    pk, code = made.stdout.split()
    _, fac = new_page(browser)
    log_in(fac, app.url, "fac", "pw-facilitator-1")
    return Room(app, int(pk), code, fac)


def active_id(page: Page) -> str:
    """The id of the element that has focus ("" for <body> or an element without one)."""
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def focused(page: Page, element_id: str) -> None:
    """Focus lands on #element_id (after a swap it may take a moment to settle)."""
    expect(page.locator(f"#{element_id}")).to_be_focused()


def tabs_to(page: Page, pattern: str, most: int = 10) -> int:
    """Press Tab until an element whose id matches `pattern` has focus: how many presses."""
    for count in range(1, most + 1):
        page.keyboard.press("Tab")
        if re.match(pattern, active_id(page)):
            return count
    raise AssertionError(f"no #{pattern} within {most} Tabs (at #{active_id(page)})")
