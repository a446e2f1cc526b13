"""`date: arrival`: a record the team asks for is dated the case day it reached the team, so
no team reads it dated in its future or days before it asked for it."""

from __future__ import annotations

import shutil
from pathlib import Path

from caseroom.cli.render import render_document
from caseroom.engine import load_scenario
from caseroom.engine.documents import document_date
from caseroom.engine.scenario import Scenario
from tests.conftest import MINI


def mini_with_arrival_dates(tmp_path: Path) -> Scenario:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    rest = folder / "rest.yaml"
    text = rest.read_text(encoding="utf-8")
    text = text.replace(
        "    title: Call records\n", "    title: Call records\n    date: arrival\n", 1
    )
    text = text.replace(
        "    title: Interception report\n",
        "    title: Interception report\n    date: 2026-03-01\n",
        1,
    )
    rest.write_text(text, encoding="utf-8")
    return load_scenario(folder)


def test_a_document_dated_on_arrival_shows_the_case_day_it_was_unlocked(tmp_path: Path) -> None:
    scenario = mini_with_arrival_dates(tmp_path)
    # The case starts on 2 March at 08:00: 16 hours later it is 3 March.
    assert document_date(scenario, "doc-records", 0) == "2026-03-02"
    assert document_date(scenario, "doc-records", 16 * 60) == "2026-03-03"
    assert document_date(scenario, "doc-records", None) == "2026-03-02"  # from the start


def test_a_written_date_is_shown_as_written(tmp_path: Path) -> None:
    scenario = mini_with_arrival_dates(tmp_path)

    assert document_date(scenario, "doc-report", 16 * 60) == "2026-03-01"
    assert document_date(scenario, "doc-statement", 16 * 60) is None  # no date written


def test_the_terminal_shows_the_arrival_date(tmp_path: Path) -> None:
    from rich.console import Console

    scenario = mini_with_arrival_dates(tmp_path)
    console = Console(width=100, record=True)
    console.print(render_document(scenario, "doc-records", None, None, 16 * 60))

    assert "2026-03-03" in console.export_text()
