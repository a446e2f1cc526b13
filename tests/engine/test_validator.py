from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from caseroom.engine import Severity, validate_scenario
from tests.conftest import MINI, SHIPPED


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenarios_have_no_errors_or_warnings(folder: Path) -> None:
    assert [str(d) for d in validate_scenario(folder, max_states=2000)] == []


def test_the_fixture_is_clean() -> None:
    # Its Serbian translation is deliberately partial (the fallback to the source is tested).
    assert [str(d) for d in validate_scenario(MINI, max_states=2000)] == [
        "translations/sr.yaml: warning: 79 of 81 strings have no 'sr' translation and are "
        "shown in the source language (list them: caseroom strings FOLDER --lang sr --missing)"
    ]


def copy_mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_unreachable_content_and_unused_variables_are_warnings(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    (folder / "orphan.yaml").write_text(
        textwrap.dedent("""\
    scenes:
      - id: orphan
        phase: checks
        title: Orphan
        options:
          - {id: lost, text: Lost, goto: end}
    """),
        encoding="utf-8",
    )
    edit(folder / "scenario.yaml", "  notes:", "  unused: {type: bool}\n  notes:")
    found = {(d.severity, d.code, d.message) for d in validate_scenario(folder, max_states=2000)}
    assert (
        Severity.warning,
        "unreachable",
        "scene 'orphan' is unreachable: no goto leads to it",
    ) in found
    assert (
        Severity.warning,
        "unused-variable",
        "variable 'unused' is never read by any condition",
    ) in found
    assert (
        Severity.warning,
        "constant-variable",
        "variable 'unused' is never changed by any effect",
    ) in found


def test_a_broken_expert_path_is_an_error_at_its_step(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    edit(folder / "rest.yaml", "  - {do: check-db}\n", "")
    errors = [
        str(d) for d in validate_scenario(folder, max_states=2000) if d.severity is Severity.error
    ]
    # Without the database check there is too little evidence for the joint team.
    assert errors == [
        "rest.yaml:63:5: expert path breaks at step 7: propose-jit: "
        "A joint team needs enough evidence, including the call records."
    ]


def test_loader_errors_come_back_as_diagnostics(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    edit(folder / "scenes.yaml", "goto: decide", "goto: decid")
    assert [str(d) for d in validate_scenario(folder, max_states=2000)] == [
        "scenes.yaml:111:9: unknown scene 'decid' (did you mean 'decide'?)"
    ]


def test_translation_keys_are_checked(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    (folder / "translations" / "mk.yaml").write_text(
        "scene.nowhere.title: Никаде\n", encoding="utf-8"
    )
    messages = {d.message for d in validate_scenario(folder, max_states=2000)}
    assert "unknown string key 'scene.nowhere.title'" in messages
    assert "translations/mk.yaml exists but 'mk' is not in languages" in messages
