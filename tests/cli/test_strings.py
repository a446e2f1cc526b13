"""`caseroom strings`: the keys translators work on, the missing ones, and the gettext file."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib  # type: ignore[import-untyped]
import yaml
from typer.testing import CliRunner

from caseroom.cli.main import app
from tests.conftest import MINI, ROOT

runner = CliRunner()
NIGHT = ROOT / "scenarios" / "night-crossing"


def test_strings_in_a_language_show_its_translations() -> None:
    result = runner.invoke(app, ["strings", str(NIGHT), "--lang", "mk"])
    assert result.exit_code == 0
    shown = yaml.safe_load(result.stdout)
    assert shown["scene.stop.title"] == "Комбе без светла"


def test_missing_lists_what_a_reader_would_see_in_the_source_language(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    result = runner.invoke(app, ["strings", str(folder), "--lang", "sr", "--missing"])
    missing = yaml.safe_load(result.stdout)
    assert "scene.stop.title" not in missing and missing["scene.work.title"] == "Investigation"
    assert runner.invoke(app, ["strings", str(NIGHT), "--lang", "sq", "--missing"]).stdout == "{}\n"
    refused = runner.invoke(app, ["strings", str(folder), "--missing"])
    assert refused.exit_code == 2 and "--missing needs --lang" in refused.stderr


def test_po_writes_a_gettext_file_and_updates_it(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    first = runner.invoke(app, ["strings", str(folder), "--po", "mk"])
    assert first.exit_code == 0
    assert first.stdout.strip().endswith(
        "mk.po: 81 new, 0 changed (marked fuzzy), 0 obsolete, 0 unchanged"
    )
    po = polib.pofile(str(folder / "translations" / "mk.po"))
    assert po.metadata["Language"] == "mk"
    title = next(e for e in po if e.msgctxt == "scenario.title")
    assert (title.msgid, title.msgstr) == ("Mini case", "")
    # The Serbian YAML form is carried over as drafts (fuzzy) when its .po is first written.
    runner.invoke(app, ["strings", str(folder), "--po", "sr"])
    sr = polib.pofile(str(folder / "translations" / "sr.po"))
    stop = next(e for e in sr if e.msgctxt == "scene.stop.title")
    assert stop.msgstr == "Zaustavljanje" and "fuzzy" in stop.flags
    again = runner.invoke(app, ["strings", str(folder), "--po", "mk"])
    assert "0 new, 0 changed (marked fuzzy), 0 obsolete, 81 unchanged" in again.stdout


def test_po_refuses_a_broken_file_and_leaves_it_alone(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    broken = folder / "translations" / "mk.po"
    broken.write_text('msgctxt "a"\nmsgid "b"\nnot gettext\n', encoding="utf-8")
    result = runner.invoke(app, ["strings", str(folder), "--po", "mk"])
    assert result.exit_code == 1  # the loader refuses the folder, naming the line
    assert "mk.po:3:1: gettext syntax error" in result.stderr
    assert broken.read_text(encoding="utf-8").endswith("not gettext\n")
    assert runner.invoke(app, ["strings", str(folder), "--po", "not a language"]).exit_code == 2


def test_validate_reports_translation_findings(tmp_path: Path) -> None:
    folder = tmp_path / "night-crossing"
    shutil.copytree(NIGHT, folder)
    po = folder / "translations" / "sq.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgid "Night crossing"', 'msgid "Night crossings"'),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(folder), "--explore-states", "200"])
    assert "translations/sq.po:" in result.stderr
    assert "warning: stale: the source of 'scenario.title' changed" in result.stderr
