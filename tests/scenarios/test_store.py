"""Stored scenario versions are found by name inside the store, so a data folder can move
to another laptop or be restored elsewhere (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import register_folder
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_a_moved_data_folder_still_finds_its_scenarios(settings: Any, tmp_path: Path) -> None:
    settings.SCENARIO_STORE = tmp_path / "here" / "scenarios"
    version = register_folder(ROOT / "scenarios" / "night-crossing", explore=False)
    assert not Path(version.path).is_absolute()
    moved = tmp_path / "elsewhere" / "scenarios"
    moved.parent.mkdir()
    shutil.move(str(settings.SCENARIO_STORE), str(moved))
    settings.SCENARIO_STORE = moved
    registry._cache.clear()
    assert registry.load(ScenarioVersion.objects.get(pk=version.pk)).id == "night-crossing"


def test_a_path_stored_absolute_by_an_older_version_is_found_in_the_store(
    settings: Any, tmp_path: Path
) -> None:
    settings.SCENARIO_STORE = tmp_path / "scenarios"
    version = register_folder(ROOT / "scenarios" / "night-crossing", explore=False)
    old = ScenarioVersion(path=f"/home/someone/caseroom/var/scenarios/{version.path}")
    assert old.folder == version.folder and old.folder.is_dir()


def test_a_folder_nested_a_thousand_deep_is_digested_without_recursion(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1100):  # one level at a time: mkdir(parents=True) recurses too
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.txt").write_text("x")
    try:
        assert len(registry._digest(tmp_path)) == 64
    finally:  # deepest first: pytest's own clean-up of tmp_path recurses and would fail
        (deep / "x.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent
