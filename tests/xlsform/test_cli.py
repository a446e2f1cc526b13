"""`caseroom form check`: problems as file:sheet:row:column: message, exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from caseroom.cli.main import app
from tests.xlsform.conftest import FORMS, fixture_bytes, xlsx_of

runner = CliRunner()
BROKEN = "| survey |\n| | type | name | label | relevant |\n| | text | a | A | ${b} = 1 |\n| | text | a | [/]B | |\n"


def test_a_good_form_is_valid(tmp_path: Path) -> None:
    workbook = tmp_path / "knowledge.xlsx"
    workbook.write_bytes(xlsx_of(fixture_bytes("knowledge.md").decode()))
    result = runner.invoke(app, ["form", "check", str(FORMS / "knowledge.md"), str(workbook)])
    assert result.exit_code == 0, result.output
    assert f"{workbook}: valid (9 questions, English (en), Shqip (sq), scored)" in result.output


def test_every_problem_is_printed_where_it_is_and_the_command_fails(tmp_path: Path) -> None:
    form = tmp_path / "broken.md"
    form.write_text(BROKEN)
    result = runner.invoke(app, ["form", "check", str(form)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{form}:survey:2:relevant: ${{b}} names no question of the form" in lines
    assert any(
        line.startswith(f"{form}:survey:3:name: the name 'a' is already used") for line in lines
    )
    assert f"{form}: 2 problems" in lines


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["form", "check", str(tmp_path / "none.xlsx")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_problems_as_json_for_tools(tmp_path: Path) -> None:
    form = tmp_path / "broken.md"
    form.write_text(BROKEN)
    result = runner.invoke(app, ["form", "check", "--json", str(form)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report[0] == {
        "file": str(form),
        "sheet": "survey",
        "row": 2,
        "column": "relevant",
        "message": "${b} names no question of the form",
    }
