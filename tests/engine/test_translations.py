"""Scenario translations as gettext files: read (bounded, errors at file:line), checked
(keys, stale, placeholders, Markdown, missing), applied string by string, and written."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseroom.engine import Diagnostic, ScenarioError, limits, load_scenario
from caseroom.engine.strings import catalogue, text
from caseroom.engine.translations import (
    Fallback,
    check_translations,
    localise,
    markdown_shape,
    parse_po,
    update_po,
)
from tests.conftest import MINI, SHIPPED


def copy_mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    (target / "translations" / "sr.yaml").unlink()  # the tests below write their own
    return target


def entry(key: str, msgid: str, msgstr: str, *comments: str) -> str:
    head = "".join(f"{c}\n" for c in comments)
    return f'{head}msgctxt "{key}"\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


def write_po(folder: Path, lang: str, *entries: str, header: str = "") -> Path:
    path = folder / "translations" / f"{lang}.po"
    path.write_text(header + "".join(entries), encoding="utf-8")
    return path


def findings(folder: Path) -> list[str]:
    return [str(d) for d in check_translations(load_scenario(folder))]


# ---------------------------------------------------------------- reading


def test_a_po_entry_carries_its_key_source_translation_and_review_state() -> None:
    problems: list[Diagnostic] = []
    table = parse_po(
        entry("scene.stop.title", "Stop", "Zaustavljanje")
        + entry("scene.work.title", "Work", "Rad", "#, fuzzy", '#| msgid "Old work"'),
        "translations/sr.po",
        "sr",
        problems,
    )
    assert problems == [] and table is not None
    stop, work = table.entries["scene.stop.title"], table.entries["scene.work.title"]
    assert (stop.msgid, stop.msgstr, stop.fuzzy, stop.line) == ("Stop", "Zaustavljanje", False, 1)
    assert (work.fuzzy, work.previous, work.line) == (True, "Old work", 5)


def test_a_syntax_error_is_reported_at_its_line_and_the_scenario_is_not_loaded(
    tmp_path: Path,
) -> None:
    folder = copy_mini(tmp_path)
    write_po(folder, "sr", entry("scene.stop.title", "Stop", "Z"), 'msgctxt "x"\nnot gettext\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert [str(d) for d in caught.value.diagnostics] == [
        "translations/sr.po:6:1: gettext syntax error: each entry is msgctxt, msgid and msgstr "
        "lines with text in double quotes"
    ]


def test_a_file_that_is_not_utf8_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    (folder / "translations" / "sr.po").write_bytes(b'msgctxt "a"\nmsgid "b"\nmsgstr "\xe8"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert str(caught.value.diagnostics[0]).startswith("translations/sr.po:3:1: not UTF-8 text")


def test_a_file_name_as_content_is_never_read_as_a_file(tmp_path: Path) -> None:
    # polib opens its argument as a path when such a file exists.
    secret = tmp_path / "secret.po"
    secret.write_text(entry("scenario.title", "Mini case", "LEAKED"), encoding="utf-8")
    problems: list[Diagnostic] = []
    assert parse_po(str(secret), "translations/sr.po", "sr", problems) is None
    assert "not a gettext file" in str(problems[0])


def test_translation_files_are_bounded_by_size_and_count(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    big = folder / "translations" / "sr.po"
    big.write_bytes(b"#" * (limits.MAX_TRANSLATION_FILE_BYTES + 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert "limit MAX_TRANSLATION_FILE_BYTES" in str(caught.value.diagnostics[0])
    big.unlink()
    for n in range(limits.MAX_TRANSLATIONS + 1):
        write_po(folder, f"x{n:02d}")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert "limit MAX_TRANSLATIONS" in str(caught.value.diagnostics[0])


# ---------------------------------------------------------------- applying


def test_each_string_falls_back_to_the_source_on_its_own(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    write_po(
        folder,
        "sr",
        entry("scene.stop.title", "The stop", "Zaustavljanje"),
        entry("scene.work.title", "Investigation", ""),  # not translated yet
    )
    scenario = load_scenario(folder)
    local = localise(scenario, "sr")
    assert local.text("scene.stop.title") == "Zaustavljanje"
    fallback = local.text("scene.work.title")
    assert fallback == "Investigation" and isinstance(fallback, Fallback)
    assert fallback.lang == "en"
    assert "scene.work.title" in local.fallback and "scene.stop.title" not in local.fallback
    assert local is localise(scenario, "sr")  # computed once per scenario and language


def test_a_stale_translation_is_not_shown(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    write_po(folder, "sr", entry("scene.stop.title", "The old stop", "Staro"))
    scenario = load_scenario(folder)
    assert text(scenario, "scene.stop.title", "sr") == catalogue(scenario)["scene.stop.title"]
    assert findings(folder)[0].startswith(
        "translations/sr.po:1:1: warning: stale: the source of 'scene.stop.title' changed"
    )


def test_a_fuzzy_entry_is_a_draft_shown_as_such_unless_its_source_changed(
    tmp_path: Path,
) -> None:
    folder = copy_mini(tmp_path)
    title = catalogue(load_scenario(folder))["scene.stop.title"]
    write_po(
        folder,
        "sr",
        entry("scene.stop.title", title, "Nacrt", "#, fuzzy"),
        entry("scene.work.title", "Investigation", "Stara istraga", "#, fuzzy", '#| msgid "Inq"'),
    )
    local = localise(load_scenario(folder), "sr")
    assert local.text("scene.stop.title") == "Nacrt" and local.drafts == {"scene.stop.title"}
    assert isinstance(local.text("scene.work.title"), Fallback)


def test_a_translation_that_breaks_a_placeholder_is_not_shown(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    edit = folder / "scenes.yaml"
    source = edit.read_text(encoding="utf-8")
    assert "A van with **nine** people is stopped." in source
    edit.write_text(source.replace("nine** people", "nine** people ({{ team }})"), "utf-8")
    write_po(
        folder,
        "sr",
        entry(
            "scene.stop.text",
            "A van with **nine** people ({{ team }}) is stopped.",
            "Kombi sa **devet** ljudi je zaustavljen.",
        ),
    )
    assert isinstance(localise(load_scenario(folder), "sr").text("scene.stop.text"), Fallback)
    assert "placeholders differ from the source (missing: {{ team }}" in findings(folder)[0]


def test_a_serbian_latin_reader_gets_the_serbian_file_and_english_readers_the_source() -> None:
    scenario = load_scenario(MINI)  # translations/sr.yaml: the older YAML form
    assert text(scenario, "scene.stop.title", "sr-latn") == "Zaustavljanje"
    english = localise(scenario, "en")
    assert english.is_source and english.texts is catalogue(scenario)


# ---------------------------------------------------------------- checking


def test_the_validator_says_what_is_wrong_where(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    write_po(
        folder,
        "sr",
        entry("scene.nowhere.title", "Nowhere", "Nigde"),
        entry("scene.stop.text", "A van with **nine** people is stopped.", "Kombi sa devet ljudi."),
        entry("scene.stop.title", "Stop", "Stani"),
        entry("scene.stop.title", "Stop", "Stoj"),
        header='msgid ""\nmsgstr ""\n"Language: hr\\n"\n\n',
    )
    (folder / "translations" / "Klingon.po").write_text("", encoding="utf-8")
    write_po(folder, "mk")
    found = findings(folder)
    assert "translations/sr.po:5:1: warning: unknown string key 'scene.nowhere.title'" in found
    assert (
        "translations/sr.po:9:1: warning: 'scene.stop.text': the Markdown differs from the "
        "source (strong emphasis 1 → 0)" in found
    )
    assert (
        "translations/sr.po:17:1: warning: 'scene.stop.title' is translated twice (first at "
        "line 13); this one is ignored" in found
    )
    assert (
        "translations/sr.po:1:1: warning: the header says Language: hr, the file name 'sr'" in found
    )
    assert (
        "translations/Klingon.po: warning: 'klingon' is not a language code: a translation "
        "file is named after its language (mk.po, sq.po, sr-latn.po)" in found
    )
    assert any(
        f.startswith("scenario.yaml:")
        and "translations/mk.po exists but 'mk' is not in languages" in f
        for f in found
    )
    missing = [f for f in found if "strings have no 'sr' translation" in f]
    assert missing and missing[0].startswith("translations/sr.po: warning: ")


def test_markdown_shape_counts_structure_not_words() -> None:
    assert markdown_shape("Some **bold** and a [link](https://x.test)") == markdown_shape(
        "Nešto **podebljano** i [veza](https://x.test)"
    )
    assert markdown_shape("- one\n- two") != markdown_shape("- jedan, dva")


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_the_shipped_scenarios_have_no_translation_findings(folder: Path) -> None:
    assert findings(folder) == []


def test_night_crossing_is_translated_completely_into_macedonian_and_albanian() -> None:
    night = next(f for f in SHIPPED if f.name == "night-crossing")
    scenario = load_scenario(night)
    for lang in ("mk", "sq"):
        local = localise(scenario, lang)
        assert local.fallback == frozenset()
        # Machine-assisted drafts: every entry waits for review.
        assert local.drafts == frozenset(catalogue(scenario))


# ---------------------------------------------------------------- writing


def test_po_update_adds_marks_and_keeps_as_msgmerge_does(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    first = update_po(load_scenario(folder), "sr")
    assert (first.added, first.changed, first.obsolete) == (
        len(catalogue(load_scenario(folder))),
        0,
        0,
    )
    po = polib.pofile(str(first.path))
    po.find("Mini case", by="msgid").msgstr = "Mali slučaj"
    po.append(polib.POEntry(msgctxt="scene.gone.title", msgid="Gone", msgstr="Nema"))
    po.save()
    scenario_yaml = folder / "scenario.yaml"
    scenario_yaml.write_text(
        scenario_yaml.read_text(encoding="utf-8").replace("title: Mini case", "title: Mini case 2"),
        encoding="utf-8",
    )
    second = update_po(load_scenario(folder), "sr")
    assert (second.added, second.changed, second.obsolete) == (0, 1, 1)
    again = polib.pofile(str(second.path))
    title = next(e for e in again if e.msgctxt == "scenario.title")
    assert (title.msgid, title.previous_msgid, title.msgstr) == (
        "Mini case 2",
        "Mini case",
        "Mali slučaj",
    )
    assert "fuzzy" in title.flags
    assert [e.msgctxt for e in again.obsolete_entries()] == ["scene.gone.title"]
    # Until a translator reviews it, the reader sees the current source, and the file is valid.
    scenario = load_scenario(folder)
    assert text(scenario, "scenario.title", "sr") == "Mini case 2"
    before = second.path.read_bytes()
    update_po(scenario, "sr")
    assert second.path.read_bytes() == before  # nothing changed, nothing rewritten differently


# ---------------------------------------------------------------- hostile input

_po_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                'msgid ""',
                'msgstr ""',
                'msgctxt "scene.stop.title"',
                'msgid "Stop"',
                "#, fuzzy",
                '#| msgid "x"',
                '"continued"',
                '#~ msgid "old"',
                'msgstr[0] "a"',
                'msgid_plural "b"',
                '"Language: sr\\n"',
                "",
                "msgctxt",
                '"\\',
                "#",
            ]
        ),
        st.text(max_size=30),
    ),
    max_size=25,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=_po_lines)
def test_random_po_content_never_crashes_the_loader_or_the_checks(
    lines: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "mini"
    if not folder.exists():
        shutil.copytree(MINI, folder)
    data = "\n".join(lines).encode("utf-8", errors="replace")
    (folder / "translations" / "sr.po").write_bytes(data)
    try:
        scenario = load_scenario(folder)
    except ScenarioError as error:
        assert all(d.location.file for d in error.diagnostics)
        return
    for diagnostic in check_translations(scenario):
        assert diagnostic.location.file.startswith(("translations/", "scenario.yaml"))
    localise(scenario, "sr").text("scene.stop.title")
