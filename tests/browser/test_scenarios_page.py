"""The trainers' Scenarios page in a real browser: a trainer finds it in the top menu, an
upload that is not a zip is named as such, a real scenario registers and its page shows the
report and the map, and "try it" opens a practice exercise with every role."""

from __future__ import annotations

import io
import re
import secrets
import zipfile

from playwright.sync_api import Browser, FilePayload, expect

from tests.browser.conftest import LiveApp, axe_check
from tests.browser.pages import arrived, log_in, new_page, shot
from tests.conftest import NIGHT


def night_zip(version: str) -> FilePayload:
    """The short shipped scenario's folder zipped as a trainer's file manager would, as a
    version of its own: other tests on this server may have registered the shipped one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(NIGHT.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if path == NIGHT / "scenario.yaml":
                data = data.replace(b'version: "1.0.0"', f'version: "{version}"'.encode(), 1)
            archive.writestr(f"night-crossing/{path.relative_to(NIGHT).as_posix()}", data)
    return {
        "name": "night-crossing.zip",
        "mimeType": "application/zip",
        "buffer": buffer.getvalue(),
    }


def test_a_trainer_uploads_a_scenario_reads_its_report_and_tries_it(
    browser: Browser, live_app: LiveApp
) -> None:
    context, page = new_page(browser)
    log_in(page, live_app.url, "fac", "pw-facilitator-1")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Scenarios").click()
    arrived(page, live_app.url + "/scenarios/")
    expect(page.get_by_role("heading", name="Scenarios", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Version 1.0", exact=True)).to_be_visible()  # mini
    axe_check(page, "the list of scenarios")

    page.get_by_role("link", name="Upload a scenario (zip)").click()
    arrived(page, live_app.url + "/scenarios/upload/")
    axe_check(page, "the upload form")
    field = page.get_by_label("Scenario folder as a zip file")
    field.set_input_files({"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"})
    page.get_by_role("button", name="Validate and register").click()
    problems = page.locator("#upload-problems")
    expect(problems).to_contain_text("it has 1 problem.")
    expect(problems.get_by_role("cell", name="not a zip file")).to_be_visible()
    page.wait_for_load_state("load")
    axe_check(page, "the upload form naming the problem")

    version = f"1.0.{secrets.randbelow(10**9)}-browser"
    page.get_by_label("Scenario folder as a zip file").set_input_files(night_zip(version))
    page.get_by_role("button", name="Validate and register").click()
    arrived(page, re.compile(r"/scenarios/\d+/$"))
    expect(page.locator(".flash")).to_contain_text(f"Registered Night crossing, version {version}.")
    expect(page.get_by_role("heading", name="Validation report")).to_be_visible()
    case_map = page.get_by_role("img", name="The flow of the case")
    expect(case_map).to_be_visible()
    shot(page, "scenarios-version")
    axe_check(page, "a version's report and map")
    page.get_by_text("The map as a list").click()
    expect(page.get_by_role("columnheader", name="From")).to_be_visible()
    axe_check(page, "a version's map as a list")

    page.get_by_role("button", name="Try it").click()
    arrived(page, re.compile(r"/x/\d+/play/$"))
    expect(page.locator(".flash")).to_contain_text("you hold every role")
    expect(page.locator("#scene")).to_be_visible()
    axe_check(page, "the play page of a practice exercise")

    page.goto(live_app.url + "/facilitate/")
    expect(page.get_by_role("link", name=f"Try-out: Night crossing {version}")).to_be_visible()
    context.close()
