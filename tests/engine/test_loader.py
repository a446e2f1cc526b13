"""Malformed scenarios: every problem reported at once, with file, line and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from caseroom.engine import ScenarioError, load_scenario

BASE = """\
id: tiny
version: "1"
title: Tiny
start: first
phases:
  - {id: only, title: Only phase}
roles:
  - {id: police, title: Police}
variables:
  evidence: {type: int, min: 0, max: 3}
"""
SCENES = """\
scenes:
  - id: first
    phase: only
    title: First
    options:
      - id: go
        text: Go
        goto: end
endings:
  - {id: done, title: Done}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(root)
    return [str(d) for d in caught.value.diagnostics]


def test_a_well_formed_folder_loads(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": SCENES}))
    assert scenario.id == "tiny"
    assert list(scenario.actions) == ["go"]


def test_broken_yaml_names_the_file_and_the_bracket_left_open(tmp_path: Path) -> None:
    write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": "scenes:\n  - id: [first\n"})
    assert problems(tmp_path) == [
        "scenes.yaml:2:9: broken YAML: the '[' opened here is never closed with ']' "
        "(did not find expected ',' or ']' at line 3)"
    ]


def test_unknown_key_suggests_the_intended_one(tmp_path: Path) -> None:
    scenes = SCENES.replace("        goto: end", "        goto: end\n        feedbak: Well done")
    assert problems(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes})) == [
        "scenes.yaml:9:9: unknown key 'feedbak' (did you mean 'feedback'?); allowed here: "
        "feedback, debrief, grade, objectives, misconception, points, id, text, roles, when, "
        "locked, once, cost, input, approval, request, effects, outcomes, goto, end, phases, "
        "scenes"
    ]


def test_errors_are_sorted_by_position_and_complete(tmp_path: Path) -> None:
    scenes = """\
    scenes:
      - id: first
        phase: onyl
        title: First
        options:
          - id: go
            text: Go
            goto: secnd
            when: evidence >> 2
            effects: {add: {evidense: 1}, unlock: [doc-missing]}
          - id: go
            text: Again
            goto: end
    endings:
      - {id: done, title: Done}
    """
    found = problems(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert found == [
        "scenes.yaml:3:5: unknown phase 'onyl' (did you mean 'only'?)",
        "scenes.yaml:8:9: unknown scene 'secnd'",
        "scenes.yaml:9:9: in condition 'evidence >> 2': 'evidence >> 2' is not allowed in a condition",
        "scenes.yaml:9:9: warning: no 'locked' reason: while the condition is false, players would read the condition itself",
        "scenes.yaml:10:25: unknown variable 'evidense' (did you mean 'evidence'?)",
        "scenes.yaml:10:48: unknown document 'doc-missing'",
        "scenes.yaml:11:9: duplicate id 'go': already used by an action at scenes.yaml:6:9",
    ]


def test_schema_errors_and_reference_errors_come_together(tmp_path: Path) -> None:
    scenes = SCENES.replace("        goto: end", "        goto: nowhere\n        cost: soon")
    found = problems(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert found == [
        "scenes.yaml:9:9: cost: 'soon' is not a duration: write minutes (90) or text like "
        "'45m', '2h', '3d', '1d 4h', '3w' (got 'soon')",
    ]


def test_wrong_types_are_named(tmp_path: Path) -> None:
    base = BASE.replace("title: Tiny", "title: [Tiny]").replace("max: 3", "max: lots")
    found = problems(write(tmp_path, {"scenario.yaml": base, "scenes.yaml": SCENES}))
    assert (
        found
        == [
            "scenario.yaml:10:33: max: Input should be a valid integer, unable to parse string as an "
            "integer (got 'lots')",
            "scenario.yaml:3:1: title: Input should be a valid string (got list)",
        ][::-1]
    )


def test_duplicate_yaml_keys_are_not_silently_overwritten(tmp_path: Path) -> None:
    base = BASE + "title: Other\n"
    found = problems(write(tmp_path, {"scenario.yaml": base, "scenes.yaml": SCENES}))
    assert found == [
        "scenario.yaml:11:1: duplicate key 'title' (a later value would silently replace the earlier one)"
    ]


def test_a_key_set_in_two_files_is_an_error(tmp_path: Path) -> None:
    found = problems(
        write(
            tmp_path, {"scenario.yaml": BASE, "scenes.yaml": SCENES, "more.yaml": "start: first\n"}
        )
    )
    assert found == ["more.yaml:1:1: 'start' is already set in scenario.yaml"]


def test_lists_from_several_files_merge_and_keep_their_positions(tmp_path: Path) -> None:
    extra = """\
    documents:
      - id: doc-a
        title: A
        image: assets/none.png
    """
    found = problems(
        write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": SCENES, "docs/a.yaml": extra})
    )
    assert found == [
        "docs/a.yaml:4:5: image file 'assets/none.png' not found in the scenario folder"
    ]


def test_missing_scenario_yaml_and_empty_folder(tmp_path: Path) -> None:
    # Relative to the folder like every other position (the CLI puts the folder in front),
    # and alone: the keys scenario.yaml would hold are not reported missing one by one.
    assert problems(tmp_path) == ["scenario.yaml: scenario.yaml is missing"]
    write(tmp_path, {"scenes.yaml": SCENES})
    assert problems(tmp_path) == ["scenario.yaml: scenario.yaml is missing"]


@pytest.mark.parametrize(
    ("effects", "message"),
    [
        ("{set: {evidence: 9}}", "cannot set int variable 'evidence' to 9"),
        ("{set: {evidence: 'x'}}", "cannot set int variable 'evidence' to 'x'"),
        ("{include: {evidence: a}}", "'include' needs a set variable; 'evidence' is int"),
        ("{fire: [nothing]}", "unknown inject 'nothing'"),
    ],
)
def test_effects_must_fit_the_variable(tmp_path: Path, effects: str, message: str) -> None:
    scenes = SCENES.replace("        goto: end", f"        goto: end\n        effects: {effects}")
    found = problems(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert len(found) == 1 and found[0].startswith("scenes.yaml:9:") and found[0].endswith(message)


def test_table_rows_must_match_the_columns(tmp_path: Path) -> None:
    docs = """\
    documents:
      - id: doc-t
        title: T
        table:
          columns: [A, B]
          rows:
            - [1, 2]
            - [1]
    """
    found = problems(
        write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": SCENES, "d.yaml": docs})
    )
    assert found == ["d.yaml:8:11: row has 1 cells, the table has 2 columns"]


def test_inputs_are_checked(tmp_path: Path) -> None:
    scenes = SCENES.replace(
        "        goto: end",
        "        goto: end\n        input: {type: order, items: [{id: a, text: A}, {id: b, text: B}], correct: [a]}",
    )
    found = problems(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert found == ["scenes.yaml:9:75: an order input lists every item once in 'correct'"]


def test_dates_stay_text(tmp_path: Path) -> None:
    docs = "documents:\n  - {id: doc-d, title: D, date: 2026-03-02, initial: true}\n"
    scenario = load_scenario(
        write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": SCENES, "d.yaml": docs})
    )
    assert scenario.documents["doc-d"].date == "2026-03-02"


def test_not_a_folder(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope") == [
        f"{tmp_path / 'nope'}: not a folder: a scenario is a folder"
    ]


def test_positions_stay_right_after_a_broken_element_is_set_aside(tmp_path: Path) -> None:
    scenes = """\
    scenes:
      - id: zero
        phase: only
        title: Zero
        kind: quiz
        options: [{id: z, text: Z, goto: end}]
      - id: first
        phase: only
        title: First
        options:
          - {id: go, text: Go, cost: soon}
          - {id: stay, text: Stay, goto: nowhere}
    endings:
      - {id: done, title: Done}
    """
    found = problems(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert found == [
        "scenes.yaml:5:5: kind: Input should be 'decision' or 'menu' (got 'quiz')",
        "scenes.yaml:11:28: cost: 'soon' is not a duration: write minutes (90) or text like '45m', '2h', '3d', '1d 4h', '3w' (got 'soon')",
        "scenes.yaml:12:32: unknown scene 'nowhere'",
    ]


def test_a_condition_without_a_reason_for_players_is_a_warning(tmp_path: Path) -> None:
    scenes = SCENES.replace("        goto: end", "        goto: end\n        when: evidence > 0")
    scenario = load_scenario(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert [(str(w.location), w.code) for w in scenario.warnings] == [
        ("scenes.yaml:9:9", "no-locked-reason")
    ]


def test_a_bracket_left_open_at_the_end_of_the_file_is_shown_where_it_opens(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"scenario.yaml": "id: x\nversion: 1\ntitle: [\n\n# notes\n"})
    assert problems(tmp_path) == [
        "scenario.yaml:3:8: broken YAML: the '[' opened here is never closed with ']' "
        "(the file ends first: while parsing a flow node did not find expected node content)"
    ]


def test_an_error_deep_inside_a_long_list_is_shown_where_it_is(tmp_path: Path) -> None:
    write(tmp_path, {"scenario.yaml": "countries: [\n  RS,\n  MK: a: b,\n]\n"})
    assert problems(tmp_path) == [
        "scenario.yaml:3:8: broken YAML: while parsing a flow sequence did not find expected "
        "',' or ']'"
    ]


def test_weeks_are_a_unit_of_case_time(tmp_path: Path) -> None:
    scenes = SCENES.replace("        goto: end", "        goto: end\n        cost: 3w 2d")
    scenario = load_scenario(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert scenario.actions["go"].cost == 3 * 7 * 1440 + 2 * 1440


def test_a_version_written_as_a_number_is_told_to_be_quoted(tmp_path: Path) -> None:
    base = BASE.replace('version: "1"', "version: 0.1")
    assert problems(write(tmp_path, {"scenario.yaml": base, "scenes.yaml": SCENES})) == [
        'scenario.yaml:2:1: version: write it in quotes (version: "0.1") so that it stays text'
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title: Stop: the van\n", "a ':' where none can be: put text that holds ': ' in quotes"),
        ("summary:\n  a: 1\n b: 2\n", "this line does not line up with the keys above it"),
        ("summary:\n\ta: 1\n", "indent with spaces"),
        ("summary: *later\n", "an alias (*name) with no anchor (&name) above it"),
    ],
)
def test_yaml_mistakes_are_told_in_plain_words_then_in_yamls(
    tmp_path: Path, text: str, words: str
) -> None:
    write(tmp_path, {"scenario.yaml": 'id: x\nversion: "1"\n' + text})
    found = problems(tmp_path)
    assert len(found) == 1 and "broken YAML: " in found[0]
    assert words in found[0] and "(YAML says: " in found[0]


def test_a_request_to_a_role_that_sends_it_too_is_flagged(tmp_path: Path) -> None:
    from caseroom.engine import validate_scenario

    base = BASE.replace(
        "  - {id: police, title: Police}\n",
        "  - {id: police, title: Police}\n  - {id: liaison, title: Liaison}\n",
    )
    scenes = SCENES.replace(
        "        goto: end\n",
        "        goto: end\n"
        "      - id: ask\n"
        "        text: Ask\n"
        "        roles: [police, liaison]\n"
        "        request:\n"
        "          to: liaison\n"
        "          delay: 1d\n"
        "          replies: [{message: Done}]\n",
    )
    folder = write(tmp_path, {"scenario.yaml": base, "scenes.yaml": scenes})
    found = [str(d) for d in validate_scenario(folder) if d.code == "self-request"]
    assert found == [
        "scenes.yaml:13:11: warning: the request goes to 'liaison', a role that sends it too: "
        "address it to the other side, or make it an approval"
    ]
