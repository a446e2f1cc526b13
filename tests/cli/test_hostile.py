"""The command line on hostile or careless scenario files: messages as written, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from caseroom.cli.main import app
from caseroom.cli.play import case_time, run_play, short_time
from caseroom.engine import load_scenario
from tests.engine.test_hostile import HOSTILE, hostile

runner = CliRunner()


def test_brackets_in_a_message_are_printed_not_read_as_markup(tmp_path: Path) -> None:
    folder = hostile("markup-in-id", tmp_path)
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert f"{folder}/scenario.yaml:4:1: 'fi[/]rst' is not a valid start" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_rich_tag_in_a_message_is_shown_not_swallowed(tmp_path: Path) -> None:
    folder = hostile("markup-in-id", tmp_path)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(text.replace("fi[/]rst", "'[red]first'"), "utf-8")
    result = runner.invoke(app, ["validate", str(folder)])
    assert "'[red]first' is not a valid start" in result.output


def test_a_folder_named_with_brackets_is_printed_as_named(tmp_path: Path) -> None:
    folder = hostile("markup-in-id", tmp_path / "case [/] [bold]")
    result = runner.invoke(app, ["validate", str(folder)])
    assert f"{folder}: 1 errors, 0 warnings" in result.output


def test_a_missing_scenario_yaml_names_the_folder_once(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}/scenario.yaml: scenario.yaml is missing" in result.output
    assert result.output.count(str(tmp_path)) == 2  # the message, then the summary


def test_validate_reports_a_billion_laughs_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good"
    shutil.copytree(HOSTILE / "_base", good)
    bomb = hostile("billion-laughs", tmp_path)
    result = runner.invoke(app, ["validate", str(bomb), str(good)])
    assert result.exit_code == 1
    assert "too many values: more than 100,000" in result.output
    assert f"{good}: valid" in result.output


def test_play_refuses_a_clock_at_the_end_of_time(tmp_path: Path) -> None:
    result = runner.invoke(app, ["play", str(hostile("far-clock", tmp_path))])
    assert result.exit_code == 1
    assert "start: the year must be between 1900 and 2200" in result.output


def test_case_time_past_year_9999_is_shown_as_elapsed_time(tmp_path: Path) -> None:
    # Repeatable actions can still carry the clock that far: show how long, not a crash.
    scenario = load_scenario(hostile("impossible-date", tmp_path))
    assert case_time(scenario, 0) == "Mon 02 Mar 2026, 08:00"
    ages = 8000 * 365 * 1440
    assert case_time(scenario, ages) == "+2920000d"
    assert short_time(scenario, ages) == "+2920000d"


def test_play_shows_brackets_in_tables_as_written(tmp_path: Path) -> None:
    folder = hostile("impossible-date", tmp_path)
    (folder / "more.yaml").write_text(
        "rubric:\n  - {id: legal, title: 'Legal [/]'}\n"
        "objectives:\n  - {id: lo-a, text: 'Objective [red]'}\n"
        "documents:\n"
        "  - id: doc-t\n    title: 'Table [/]'\n    initial: true\n    date: '[/]'\n"
        "    table: {columns: ['[/] one', '[bold]two'], rows: [['[/]', '[red]x']]}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(folder)
    console = Console(record=True, width=120, color_system=None)
    answers = iter(["d", "2", "1", "q"])  # documents, open the table, take 'go', then quit
    session = run_play(scenario, None, console, ask=lambda _prompt: next(answers))
    assert session.ended
    output = console.export_text()
    for written in ("Legal [/]", "Objective [red]", "[/] one", "[bold]two", "[red]x"):
        assert written in output
