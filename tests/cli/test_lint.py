"""`caseroom lint`: findings with their position, exit 1 when there are any, JSON for tools."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from caseroom.cli.main import app
from tests.conftest import MINI, ROOT
from tests.engine.test_lint import CLEAN

runner = CliRunner()
QUIET_ROOMS = ROOT / "scenarios" / "quiet-rooms"


def test_lint_reports_each_finding_with_its_position_and_fails() -> None:
    result = runner.invoke(app, ["lint", str(MINI)])
    assert result.exit_code == 1
    assert (
        f"{MINI}/scenes.yaml:20:9: warning: 'arrest-all' is graded harmful but has no debrief "
        "explaining why" in result.output
    )
    assert f"{MINI}: 16 findings" in result.output  # its answer lists are shuffled per team
    assert "Traceback" not in result.output


def test_a_case_without_findings_lints_clean() -> None:
    result = runner.invoke(app, ["lint", str(QUIET_ROOMS)])
    assert result.exit_code == 0, result.output
    assert "lints clean" in result.output


def test_lint_json_lists_findings_by_check() -> None:
    result = runner.invoke(app, ["lint", str(MINI), "--json"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert {item["code"] for item in items} == {"lint-no-debrief", "lint-no-citation"}
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


# Findings accepted on purpose, and the lint inside `validate --strict`.

WHY = "the screening standard is discussed in the plenary"
UNCITED = "    debrief: Screening first is good practice.\n"


def small_case(tmp_path: Path, *, accept: str | None = None) -> Path:
    """The engine tests' clean case with one uncited debrief, accepted if `accept` is given
    (the comment written at the end of the debrief's line)."""
    doc = copy.deepcopy(CLEAN)
    doc["scenes"][0]["options"][0]["debrief"] = "Screening first is good practice."
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    assert UNCITED in text
    if accept is not None:
        text = text.replace(UNCITED, f"{UNCITED[:-1]}  # lint: accept {accept}\n")
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    return folder


def test_each_finding_is_printed_with_the_code_an_accept_names(tmp_path: Path) -> None:
    folder = small_case(tmp_path)
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert (
        f"{folder}/scenario.yaml:{debrief_line(folder)}:5: warning: the debrief of 'screen' cites no source "
        "(law, standard or guide) [lint-no-citation]" in result.output
    )


def test_an_accepted_finding_is_counted_not_printed(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept=f"lint-no-citation — {WHY}")
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 0, result.output
    assert "cites no source" not in result.output
    assert f"{folder}: lints clean (1 accepted)" in result.output


def test_accepted_lists_the_accepted_findings_with_their_reasons(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept=f"lint-no-citation — {WHY}")
    result = runner.invoke(app, ["lint", str(folder), "--accepted"])
    assert result.exit_code == 0, result.output
    assert (
        f"{folder}/scenario.yaml:{debrief_line(folder)}:5: accepted: the debrief of 'screen' cites no source "
        f"(law, standard or guide) [lint-no-citation] — {WHY}" in result.output
    )


def test_findings_and_accepted_ones_are_counted_together(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept=f"lint-no-citation — {WHY}")
    (folder / "scenario.yaml").write_text(
        (folder / "scenario.yaml")
        .read_text(encoding="utf-8")
        .replace("rationale: Protocol first.", "rationale: Because it is right."),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert f"{folder}: 1 finding, 1 accepted" in result.output


def test_lint_json_carries_accepted_findings_with_their_reason(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept=f"lint-no-citation, lint-gives-away — {WHY}")
    result = runner.invoke(app, ["lint", str(folder), "--json"])
    assert result.exit_code == 1  # the accept of lint-gives-away silences nothing
    items = {item["code"]: item for item in json.loads(result.stdout)}
    assert set(items) == {"lint-no-citation", "lint-stale-accept"}
    assert (items["lint-no-citation"]["accepted"], items["lint-no-citation"]["reason"]) == (
        True,
        WHY,
    )
    assert items["lint-stale-accept"]["accepted"] is False


def test_an_accept_without_a_reason_fails_the_lint(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept="lint-no-citation")
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    assert "gives no reason" in result.output and "[lint-bad-accept]" in result.output
    assert "[lint-no-citation]" in result.output


def test_validate_strict_fails_on_an_unaccepted_finding(tmp_path: Path) -> None:
    folder = small_case(tmp_path)
    result = runner.invoke(app, ["validate", str(folder), "--strict"])
    assert result.exit_code == 1
    assert (
        f"{folder}/scenario.yaml:{debrief_line(folder)}:5: warning: the debrief of 'screen' cites no source "
        "(law, standard or guide) [lint-no-citation]" in result.output
    )
    assert f"{folder}: valid (1 warnings)" in result.output
    strict_json = json.loads(
        runner.invoke(app, ["validate", str(folder), "--strict", "--json"]).stdout
    )
    assert "lint-no-citation" in {item["code"] for item in strict_json}


def test_validate_strict_passes_when_the_finding_is_accepted(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept=f"lint-no-citation — {WHY}")
    result = runner.invoke(app, ["validate", str(folder), "--strict"])
    assert result.exit_code == 0, result.output
    assert f"{folder}: valid (0 warnings)" in result.output


def test_plain_validate_points_to_the_lint_without_failing(tmp_path: Path) -> None:
    folder = small_case(tmp_path)
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "cites no source" not in result.output
    assert f"{folder}: 1 pedagogical finding: run caseroom lint {folder}" in result.output
    plain_json = json.loads(runner.invoke(app, ["validate", str(folder), "--json"]).stdout)
    assert [item["code"] for item in plain_json] == ["expert-outcome"]


def test_plain_validate_of_a_case_that_lints_clean_adds_nothing(tmp_path: Path) -> None:
    folder = small_case(tmp_path, accept=f"lint-no-citation — {WHY}")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "pedagogical" not in result.output


def debrief_line(folder: Path) -> int:
    lines = (folder / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, start=1) if "debrief: Screening" in line]
    return number
