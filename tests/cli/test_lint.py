"""`caseroom lint`: findings with their position, exit 1 when there are any, JSON for tools."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from caseroom.cli.main import app
from tests.conftest import MINI, ROOT

runner = CliRunner()
QUIET_ROOMS = ROOT / "scenarios" / "quiet-rooms"


def test_lint_reports_each_finding_with_its_position_and_fails() -> None:
    result = runner.invoke(app, ["lint", str(MINI)])
    assert result.exit_code == 1
    assert (
        f"{MINI}/scenes.yaml:20:9: warning: 'arrest-all' is graded harmful but has no debrief "
        "explaining why" in result.output
    )
    assert f"{MINI}: 18 findings" in result.output
    assert "Traceback" not in result.output


def test_a_case_without_findings_lints_clean() -> None:
    result = runner.invoke(app, ["lint", str(QUIET_ROOMS)])
    assert result.exit_code == 0, result.output
    assert "lints clean" in result.output


def test_lint_json_lists_findings_by_check() -> None:
    result = runner.invoke(app, ["lint", str(MINI), "--json"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert {item["code"] for item in items} == {
        "lint-no-debrief",
        "lint-no-citation",
        "lint-revealing-order",
    }
    assert {(i["scenario"], i["severity"]) for i in items} == {(str(MINI), "warning")}
    assert all(i["file"].endswith(".yaml") and i["line"] > 0 for i in items)


def test_cite_replaces_the_patterns_that_count_as_a_source() -> None:
    default = json.loads(runner.invoke(app, ["lint", str(MINI), "--json"]).stdout)
    anything = json.loads(
        runner.invoke(app, ["lint", str(MINI), "--json", "--cite", "e", "--cite", "a"]).stdout
    )
    cited = [i for i in default if i["code"] == "lint-no-citation"]
    assert cited and not [i for i in anything if i["code"] == "lint-no-citation"]


def test_a_case_that_does_not_load_reports_its_errors(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "scenario.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert f"{folder}/scenario.yaml:1" in result.output
