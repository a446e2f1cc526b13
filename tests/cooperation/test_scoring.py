"""The self-assessment's columns: scoring rules read and checked, problems at their row and
column, the shipped form sound."""

from __future__ import annotations

import math

import pytest

from caseroom.cooperation.actions import READY_FORM
from caseroom.cooperation.scoring import (
    RuleError,
    check_form,
    parse_rule,
    scoring_of,
    section_ok,
)
from caseroom.xlsform import Form, Question, read_form, read_form_markdown
from tests.cooperation.conftest import KNOWN_REFS

YN = ("yes", "partly", "no", "dont_know")
HEADER = "| survey |\n|  | type | name | label | guideline_section | score |\n"
CHOICES = (
    "| choices |\n|  | list_name | name | label |\n"
    "|  | ypn | yes | Yes |\n|  | ypn | partly | Partly |\n|  | ypn | no | No |\n"
    "|  | c | RS | Serbia |\n|  | a | police | Police |\n"
)
GROUPING = (
    "|  | select_one c | country | Country | | |\n|  | select_one a | agency | Agency | | |\n"
)


def form_of_rows(rows: str) -> Form:
    return read_form_markdown(HEADER + GROUPING + rows + CHOICES)


def question(kind: str, list_name: str = "") -> Question:
    return Question(name="q", type=kind, list_name=list_name)


def test_a_choice_rule_gives_each_choice_its_share_of_the_most_points() -> None:
    rule = parse_rule("yes=2 partly=1 no=0", question("select_one", "ypn"), YN)
    normalise = rule.normaliser()
    assert (normalise("yes"), normalise("partly"), normalise("no")) == (1.0, 0.5, 0.0)
    assert normalise("dont_know") is None, "a choice the rule leaves out is not scored"


def test_a_multiple_choice_adds_its_picks_up_to_the_whole() -> None:
    rule = parse_rule("a=1 b=1 c=2 d=0", question("select_multiple", "x"), "abcd")
    normalise = rule.normaliser()
    assert rule.most == 4
    assert normalise(["a", "c"]) == 0.75
    assert normalise(["d"]) == 0.0
    assert normalise([]) is None
    assert normalise("a") is None


def test_number_ranges_include_their_ends_and_plus_means_and_above() -> None:
    rule = parse_rule("0:0 1-2:1 3+:2", question("integer"), ())
    normalise = rule.normaliser()
    assert [normalise(n) for n in (0, 1, 2, 3, 250)] == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert normalise(-1) is None
    assert normalise(True) is None
    assert rule.ranges[-1][1] == math.inf


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("yes=2 maybe=1", "select_one", "not a choice"),
        ("yes=2 yes=1", "select_one", "twice"),
        ("yes:2", "select_one", "choice=points"),
        ("yes=0 no=0", "select_one", "more than 0"),
        ("yes=1000", "select_one", "at most"),
        ("0-5:1 3+:2", "integer", "overlaps"),
        ("5-1:1", "integer", "ends before"),
        ("few:1", "integer", "range:points"),
        ("yes=1", "text", "only select_one"),
        ("", "select_one", "empty"),
    ],
)
def test_a_bad_rule_says_what_is_wrong(text: str, kind: str, words: str) -> None:
    with pytest.raises(RuleError, match=words):
        parse_rule(text, question(kind, "ypn"), YN)


def test_guideline_references_read_as_document_and_section() -> None:
    assert section_ok("coop-guidelines#4.2")
    assert section_ok("coop_guidelines#A.1")
    for bad in ("coop-guidelines", "#4.2", "coop guidelines#4", "x#4..2", "x#" + "1" * 7):
        assert not section_ok(bad), bad


def test_problems_are_reported_at_their_row_and_column() -> None:
    form = form_of_rows(
        "|  | select_one ypn | a1 | A1 | coop-guidelines#2.1 | yes=2 partly=1 nope=0 |\n"
        "|  | select_one ypn | a2 | A2 | | yes=1 |\n"
        "|  | select_one ypn | a3 | A3 | guidelines 4.2 | yes=1 |\n"
        "|  | text | a4 | A4 | coop-guidelines#9.9 | |\n"
    )
    problems = check_form(form, lambda refs: [r for r in refs if r not in KNOWN_REFS])
    found = {(p.row, p.column) for p in problems}
    # Row 1 is the header; the two grouping questions are rows 2 and 3.
    assert (4, "score") in found
    assert (5, "guideline_section") in found
    assert (6, "guideline_section") in found
    assert (7, "guideline_section") in found
    assert any("library has no guideline section" in p.message for p in problems)
    assert all(p.sheet == "survey" for p in problems)


def test_a_form_needs_its_country_and_agency_questions_and_a_scored_question() -> None:
    form = read_form_markdown(HEADER + "|  | text | note1 | Say | | |\n" + CHOICES)
    messages = " ".join(p.message for p in check_form(form))
    assert "named “country”" in messages
    assert "named “agency”" in messages
    assert "no question has a scoring rule" in messages


def test_the_shipped_self_assessment_is_sound_in_two_languages() -> None:
    form = read_form(READY_FORM.read_bytes(), READY_FORM.name)
    assert check_form(form, lambda refs: [r for r in refs if r not in KNOWN_REFS]) == []
    assert {language.code for language in form.languages} == {"en", "sr-latn"}
    assert 28 <= len([q for q in form.questions if q.answerable]) <= 40
    assert set(form.groups) == {"mla", "informal", "jit"}
    scoring = scoring_of(form, "sr-latn")
    parts = {section.split("#")[1][0] for section in scoring.sections}
    assert parts == {"2", "3", "4"}, "MLA, informal exchange and JITs"
    assert len(scoring.texts) == 3, "a difficulties text per part"
    assert dict(scoring.countries)["XK"] == "Kosovo*"
    assert dict(scoring.countries)["RS"] == "Srbija"
    gated = [q.name for q in form.questions if q.relevant is not None]
    assert "mla_dual" in gated and "jit_admitted" in gated, "skip logic follows the gates"
