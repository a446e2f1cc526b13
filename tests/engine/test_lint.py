"""The pedagogical lint: each check fires on a small case built to show its fault, with the line
where the author wrote it, and stays quiet on a clean case."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from caseroom.engine import Diagnostic, Severity, load_scenario
from caseroom.engine.lint import CHECKS, LintReport, find_dates, lint_report, lint_scenario
from caseroom.engine.lint.accept import read_accepts
from caseroom.engine.yamlsource import Source

CITED = "Screening first: CoE Convention Art. 10."

CLEAN: dict[str, Any] = {
    "id": "lint-case",
    "version": "1",
    "title": "Lint case",
    "clock": {"start": "2026-03-10T08:00"},
    "start": "stop",
    "phases": [{"id": "p", "title": "Phase"}],
    "roles": [{"id": "police", "title": "Police"}],
    "misconceptions": [{"id": "mc-offender", "title": "Victim treated as offender"}],
    "scenes": [
        {
            "id": "stop",
            "phase": "p",
            "title": "The stop",
            "text": "On 10 March at dawn a van is stopped.",
            "options": [
                {
                    "id": "screen",
                    "text": "Screen everyone for indicators.",
                    "goto": "order",
                    "grade": "exemplary",
                    "debrief": CITED,
                },
                {
                    "id": "arrest",
                    "text": "Arrest all for illegal entry.",
                    "goto": "order",
                    "grade": "harmful",
                    "misconception": "mc-offender",
                    "debrief": "Non-punishment: Directive 2011/36/EU Art. 8.",
                },
            ],
        },
        {
            "id": "order",
            "phase": "p",
            "title": "Steps",
            "options": [
                {
                    "id": "sequence",
                    "text": "Put the steps in order.",
                    "end": "done",
                    "grade": "exemplary",
                    "debrief": "Guidelines of the national referral mechanism.",
                    "input": {
                        "type": "order",
                        "items": [
                            {"id": "refer", "text": "Refer"},
                            {"id": "screen", "text": "Screen"},
                            {"id": "interview", "text": "Interview"},
                        ],
                        "correct": ["screen", "refer", "interview"],
                    },
                },
            ],
        },
    ],
    "endings": [{"id": "done", "title": "Done"}],
    "expert_path": [
        {"do": "screen", "rationale": "Protocol first."},
        {"do": "sequence", "answer": ["screen", "refer", "interview"]},
    ],
}


def lint(tmp_path: Path, doc: dict[str, Any], **options: Any) -> list[Diagnostic]:
    (tmp_path / "scenario.yaml").write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return lint_scenario(load_scenario(tmp_path), **options)


def changed() -> dict[str, Any]:
    """A copy of the clean case for a test to spoil."""
    return copy.deepcopy(CLEAN)


def option(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    for scene in doc["scenes"]:
        for item in scene["options"]:
            if item["id"] == ident:
                return item  # type: ignore[no-any-return]
    raise KeyError(ident)


def codes(findings: list[Diagnostic]) -> list[str]:
    return [f.code for f in findings]


def test_a_clean_case_lints_clean(tmp_path: Path) -> None:
    assert lint(tmp_path, CLEAN) == []


def test_a_graded_decision_without_a_debrief_is_reported_at_its_grade(tmp_path: Path) -> None:
    doc = changed()
    del option(doc, "arrest")["debrief"]
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-no-debrief"
    assert finding.severity is Severity.warning
    assert "'arrest' is graded harmful" in finding.message
    text = (tmp_path / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    assert finding.location.file == "scenario.yaml"
    assert text[finding.location.line - 1].strip() == "grade: harmful"


def test_an_outcome_inherits_its_actions_debrief(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["outcomes"] = [{"when": "true", "grade": "acceptable"}]
    assert lint(tmp_path, doc) == []


def test_a_debrief_or_rationale_citing_no_source_is_reported(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["debrief"] = "Screening first is good practice."
    doc["expert_path"][0]["rationale"] = "Because it is right."
    findings = lint(tmp_path, doc)
    assert codes(findings) == ["lint-no-citation", "lint-no-citation"]
    assert "debrief of 'screen'" in findings[0].message
    assert "expert step 1" in findings[1].message


def test_the_citation_patterns_can_be_replaced(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["debrief"] = "As the OSCE handbook says."
    assert codes(lint(tmp_path, doc, cite=("OSCE",))) == [
        "lint-no-citation",  # the arrest debrief names a Directive, not the OSCE
        "lint-no-citation",  # "Guidelines …" on the order question
        "lint-no-citation",  # "Protocol first." in the expert path
    ]


def test_the_best_option_markedly_longer_than_the_others_gives_itself_away(
    tmp_path: Path,
) -> None:
    doc = changed()
    option(doc, "screen")["text"] = (
        "Screen everyone for trafficking indicators, separate the minors, call an interpreter "
        "and the protection worker before any questioning."
    )
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-gives-away"
    assert "much longer" in finding.message


def test_a_little_longer_is_not_giving_away(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["text"] = "Screen everyone for trafficking indicators now."
    assert lint(tmp_path, doc) == []


def test_the_best_option_alone_in_bold_gives_itself_away(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["text"] = "Screen **everyone** for indicators."
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-gives-away"
    assert "only one with bold or emphasis" in finding.message


def test_emphasis_on_several_options_is_not_giving_away(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["text"] = "Screen *everyone* for indicators."
    option(doc, "arrest")["text"] = "Arrest *all* for illegal entry."
    assert lint(tmp_path, doc) == []


def test_a_misconception_no_wrong_option_exercises_is_reported(tmp_path: Path) -> None:
    doc = changed()
    doc["misconceptions"].append({"id": "mc-movement", "title": "Trafficking needs a border"})
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-unused-misconception"
    assert "'mc-movement' is attached to no option" in finding.message


def test_a_misconception_only_on_exemplary_choices_is_reported(tmp_path: Path) -> None:
    doc = changed()
    del option(doc, "arrest")["misconception"]
    option(doc, "screen")["misconception"] = "mc-offender"
    (finding,) = lint(tmp_path, doc)
    assert "only to exemplary choices" in finding.message


def test_a_misconception_attached_in_more_than_three_scenes_is_reported(tmp_path: Path) -> None:
    doc = changed()
    del option(doc, "sequence")["end"]
    option(doc, "sequence")["goto"] = "s1"
    for n in range(1, 4):
        doc["scenes"].append(
            {
                "id": f"s{n}",
                "phase": "p",
                "title": f"Scene {n}",
                "options": [
                    {
                        "id": f"wrong{n}",
                        "text": "Detain them.",
                        "grade": "poor",
                        "misconception": "mc-offender",
                        "debrief": "Art. 26 of the Convention.",
                        **({"goto": f"s{n + 1}"} if n < 3 else {"end": "done"}),
                    }
                ],
            }
        )
    doc["expert_path"] = []
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-scattered-misconception"
    assert "in 4 scenes (s1, s2, s3, stop)" in finding.message


def test_an_order_question_listed_in_the_right_order_is_reported(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "sequence")["input"]["correct"] = ["refer", "screen", "interview"]
    option(doc, "sequence")["input"]["shuffle"] = False
    doc["expert_path"][1]["answer"] = ["refer", "screen", "interview"]
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-revealing-order"
    assert "listed in the correct order" in finding.message


def test_the_written_order_of_shuffled_items_reveals_nothing(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "sequence")["input"]["correct"] = ["refer", "screen", "interview"]
    doc["expert_path"][1]["answer"] = ["refer", "screen", "interview"]

    assert lint(tmp_path, doc) == []  # shuffle is on by default: every team sees its own


def test_a_multiple_choice_with_every_correct_item_first_is_reported(tmp_path: Path) -> None:
    doc = changed()
    question = option(doc, "sequence")["input"]
    question["type"] = "multi"
    question["shuffle"] = False
    question["correct"] = ["refer", "screen"]
    doc["expert_path"][1]["answer"] = ["refer", "screen"]
    (finding,) = lint(tmp_path, doc)
    assert "every correct one first" in finding.message
    question["correct"] = ["refer", "interview"]
    doc["expert_path"][1]["answer"] = ["refer", "interview"]
    assert lint(tmp_path, doc) == []


def test_a_date_after_the_day_the_expert_path_shows_the_text_is_reported(
    tmp_path: Path,
) -> None:
    doc = changed()
    doc["scenes"][0]["text"] = "On 12.3. at dawn a van is stopped."
    (finding,) = lint(tmp_path, doc)
    assert finding.code == "lint-date-after-clock"
    assert "names 2026-03-12, but the expert path shows it on 2026-03-10" in finding.message


def test_a_document_dated_after_it_is_unlocked_is_reported(tmp_path: Path) -> None:
    doc = changed()
    doc["documents"] = [
        {"id": "doc-report", "title": "Report", "initial": True, "date": "2026-03-11"}
    ]
    (finding,) = lint(tmp_path, doc)
    assert "document 'doc-report' names 2026-03-11" in finding.message


def test_deadlines_and_past_dates_are_not_reported(tmp_path: Path) -> None:
    doc = changed()
    doc["scenes"][0]["text"] = (
        "Seen on 2 March; the data are preserved until 3 January 2027; the hearing is set "
        "for 20 March."
    )
    assert lint(tmp_path, doc) == []


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2026-03-12", ["2026-03-12"]),
        ("12.3. and 14.03.2027", ["2026-03-12", "2027-03-14"]),
        ("12 March, March 14th, 3 Jan 2027", ["2026-03-12", "2026-03-14", "2027-01-03"]),
        ("Art. 12.3. of the Code; section 12.3; 31.2.; 05:20", []),
    ],
)
def test_dates_are_read_in_the_forms_trainers_write(text: str, days: list[str]) -> None:
    assert [d.isoformat() for d in find_dates(text, 2026)] == days


# Accepting a finding on purpose: `# lint: accept <code> — <why>` where the finding is.

WHY = "discussed in the plenary, not cited on purpose"


def lint_written(tmp_path: Path, doc: dict[str, Any], edit: dict[str, str]) -> LintReport:
    """Lint the case after rewriting whole lines of its YAML (comments cannot be dumped)."""
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    for old, new in edit.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    return lint_report(load_scenario(tmp_path))


def uncited(doc: dict[str, Any]) -> dict[str, Any]:
    option(doc, "screen")["debrief"] = "Screening first is good practice."
    return doc


SCREEN_DEBRIEF = "    debrief: Screening first is good practice.\n"


def test_an_accept_at_the_end_of_the_findings_line_silences_it(tmp_path: Path) -> None:
    edit = {SCREEN_DEBRIEF: f"{SCREEN_DEBRIEF[:-1]}  # lint: accept lint-no-citation — {WHY}\n"}
    report = lint_written(tmp_path, uncited(changed()), edit)
    assert report.findings == []
    (accepted,) = report.accepted
    assert accepted.finding.code == "lint-no-citation"
    assert accepted.reason == WHY
    assert accepted.to_dict()["accepted"] is True


def test_an_accept_on_the_comment_lines_above_silences_it(tmp_path: Path) -> None:
    above = f"    # lint: accept lint-no-citation - {WHY}\n    # (a second comment line)\n\n"
    report = lint_written(tmp_path, uncited(changed()), {SCREEN_DEBRIEF: above + SCREEN_DEBRIEF})
    assert report.findings == []
    assert [a.comment.line for a in report.accepted] == [
        text_line(tmp_path, "# lint: accept lint-no-citation")
    ]


def test_an_accept_above_does_not_reach_past_a_line_of_content(tmp_path: Path) -> None:
    doc = uncited(changed())
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    before = text.split(SCREEN_DEBRIEF)[0].splitlines()[-1] + "\n"  # the line before debrief
    comment = f"    # lint: accept lint-no-citation -- {WHY}\n"
    report = lint_written(
        tmp_path, doc, {before + SCREEN_DEBRIEF: comment + before + SCREEN_DEBRIEF}
    )
    assert sorted(codes(report.findings)) == ["lint-no-citation", "lint-stale-accept"]


def test_one_accept_may_list_several_codes(tmp_path: Path) -> None:
    doc = changed()
    option(doc, "screen")["text"] = "Screen **everyone** for indicators."
    option(doc, "screen")["debrief"] = "Screening first is good practice."
    # Both findings point at the option: gives-away at its text, no-citation at its debrief;
    # put them on one line with a flow mapping so that one comment covers both.
    screen = option(doc, "screen")
    line = (
        "  - {id: screen, text: 'Screen **everyone** for indicators.', goto: order, "
        "grade: exemplary, debrief: Screening first is good practice.}"
    )
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    block = text[text.index("  - id: screen") : text.index("  - id: arrest")]
    assert screen["id"] == "screen"
    comment = f"  # lint: accept lint-gives-away, lint-no-citation — {WHY}\n"
    report = lint_written(tmp_path, doc, {block: comment + line + "\n"})
    assert report.findings == []
    assert sorted(a.finding.code for a in report.accepted) == [
        "lint-gives-away",
        "lint-no-citation",
    ]


def test_an_accept_without_a_reason_is_a_finding_and_silences_nothing(tmp_path: Path) -> None:
    edit = {SCREEN_DEBRIEF: f"{SCREEN_DEBRIEF[:-1]}  # lint: accept lint-no-citation\n"}
    report = lint_written(tmp_path, uncited(changed()), edit)
    assert codes(report.findings) == ["lint-no-citation", "lint-bad-accept"]
    bad = report.findings[1]
    assert "gives no reason" in bad.message
    assert bad.location.line == text_line(tmp_path, "# lint: accept")
    assert report.accepted == []


def test_a_reason_of_one_word_is_not_a_reason(tmp_path: Path) -> None:
    edit = {SCREEN_DEBRIEF: f"{SCREEN_DEBRIEF[:-1]}  # lint: accept lint-no-citation — fine\n"}
    report = lint_written(tmp_path, uncited(changed()), edit)
    assert "lint-bad-accept" in codes(report.findings)


def test_an_unknown_code_is_a_finding(tmp_path: Path) -> None:
    edit = {
        SCREEN_DEBRIEF: f"{SCREEN_DEBRIEF[:-1]}  # lint: accept lint-no-citation, "
        f"lint-no-sources — {WHY}\n"
    }
    report = lint_written(tmp_path, uncited(changed()), edit)
    (bad,) = report.findings
    assert bad.code == "lint-bad-accept"
    assert "'lint-no-sources' is not a lint code" in bad.message
    assert [a.finding.code for a in report.accepted] == ["lint-no-citation"]


def test_a_misspelt_directive_is_a_finding(tmp_path: Path) -> None:
    edit = {SCREEN_DEBRIEF: f"{SCREEN_DEBRIEF[:-1]}  # lint: acept lint-no-citation — {WHY}\n"}
    report = lint_written(tmp_path, uncited(changed()), edit)
    assert codes(report.findings) == ["lint-no-citation", "lint-bad-accept"]


def test_an_accept_that_silences_nothing_is_stale(tmp_path: Path) -> None:
    line = "    debrief: 'Screening first: CoE Convention Art. 10.'\n"
    edit = {line: f"{line[:-1]}  # lint: accept lint-no-citation — {WHY}\n"}
    report = lint_written(tmp_path, changed(), edit)
    (stale,) = report.findings
    assert stale.code == "lint-stale-accept"
    assert "lint-no-citation silences nothing" in stale.message
    assert stale.location.line == text_line(tmp_path, "# lint: accept")


@pytest.mark.parametrize(
    "debrief",
    [
        "|\n      Screening first is good practice.\n      # lint: accept lint-no-citation — a b c",
        "'Screening first is good practice. # lint: accept lint-no-citation — a b c'",
    ],
)
def test_an_accept_written_inside_a_text_is_not_a_comment(tmp_path: Path, debrief: str) -> None:
    doc = uncited(changed())
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    option_text = text[text.index("  - id: screen") : text.index("  - id: arrest")]
    # The text ends right above (or on) the line the finding points at: were the '#' read as
    # a comment, it would accept the finding.
    written = (
        "  - id: screen\n    goto: order\n    grade: exemplary\n    text: |\n"
        "      # lint: accept lint-no-citation — a b c\n"
        f"    debrief: {debrief}\n"
    )
    report = lint_written(tmp_path, doc, {option_text: written})
    assert "# lint: accept" in load_scenario(tmp_path).actions["screen"].text
    assert codes(report.findings) == ["lint-no-citation"]
    assert lint_scenario(load_scenario(tmp_path)) == report.findings


def text_line(tmp_path: Path, needle: str) -> int:
    lines = (tmp_path / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, start=1) if needle in line]
    return number


def test_the_documented_accepts_speak_for_the_lines_they_document(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("## caseroom lint", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (tmp_path / "cases.yaml").write_text(example, encoding="utf-8")
    problems: list[Diagnostic] = []
    accepts = list(read_accepts(Source(tmp_path, files=["cases.yaml"]), CHECKS, problems))
    lines = example.splitlines()
    assert problems == []
    assert [(a.codes, lines[a.target - 1].split(":")[0].strip()) for a in accepts] == [
        (("lint-no-citation",), "debrief"),
        (("lint-gives-away",), "text"),
    ]
