"""The `caseroom` command line: exit codes, messages an author can act on, JSON for tools."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from caseroom.cli.main import app
from tests.conftest import MINI, ROOT

runner = CliRunner()
NIGHT = str(ROOT / "scenarios" / "night-crossing")


def test_validate_accepts_a_good_scenario() -> None:
    result = runner.invoke(app, ["validate", str(MINI), "--explore-states", "2000"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_reports_every_error_with_its_position_and_fails(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    text = (folder / "scenes.yaml").read_text(encoding="utf-8")
    text = text.replace("goto: decide", "goto: decid").replace("cost: 2h", "cost: soon")
    (folder / "scenes.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert f"{folder}/scenes.yaml:32:9: cost: 'soon' is not a duration" in result.output
    assert (
        f"{folder}/scenes.yaml:111:9: unknown scene 'decid' (did you mean 'decide'?)"
        in result.output
    )
    assert "Traceback" not in result.output


def test_validate_json_lists_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "--json"])
    assert result.exit_code == 1
    (item,) = json.loads(result.stdout)
    # The line of the '[' left open, not the end of the file where YAML noticed it.
    assert (item["file"], item["line"], item["severity"], item["code"]) == (
        "scenario.yaml",
        1,
        "error",
        "yaml",
    )


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        text.replace("  notes:", "  spare: {type: bool}\n  notes:"), "utf-8"
    )
    args = ["validate", str(folder), "--explore-states", "2000"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--strict"]).exit_code == 1


def test_explore_prints_the_report_as_json() -> None:
    result = runner.invoke(
        app, ["explore", NIGHT, "--json", "--max-states", "3000", "--playthroughs", "100"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in (
        "scenes",
        "actions",
        "documents",
        "roles",
        "endings",
        "reachable_endings",
        "dead_ends",
        "unreachable",
        "states_explored",
        "complete",
        "exhaustive",
        "every_state",
        "sample",  # --playthroughs is the former name of --sample
    ):
        assert key in report
    assert report["reachable_endings"] == report["endings"]
    assert report["dead_ends"] == []


def test_explore_of_a_broken_folder_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explore", str(tmp_path)])
    assert result.exit_code == 1
    assert "scenario.yaml is missing" in result.output


def test_schema_is_a_json_schema_for_every_section(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert runner.invoke(app, ["schema", "--out", str(out)]).exit_code == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["$schema"].endswith("2020-12/schema")
    assert {
        "scenes",
        "roles",
        "documents",
        "injects",
        "endings",
        "variables",
        "expert_path",
    } <= set(schema["properties"])
    assert schema["required"] == []  # a folder may split content across files


def test_strings_lists_keys_and_translations() -> None:
    result = runner.invoke(app, ["strings", str(MINI), "--lang", "sr"])
    assert result.exit_code == 0
    assert "scene.stop.title: Zaustavljanje" in result.stdout
    assert "action.check-db.text: Check the databases." in result.stdout
    missing = runner.invoke(app, ["strings", str(MINI), "--lang", "sr", "--missing"])
    assert "scene.stop.title" not in missing.stdout


def test_play_rejects_an_unknown_role() -> None:
    result = runner.invoke(app, ["play", NIGHT, "--role", "judge"])
    assert result.exit_code == 2
    assert "unknown role 'judge'" in result.output
