"""Forms written elsewhere (KoboToolbox, Excel by hand): calculations, defaults, choice filters,
appearances, and answers that name questions the form does not ask."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from caseroom.xlsform import (
    Form,
    FormError,
    check_answers,
    fill_references,
    filtered_choices,
    limits,
    parse_expression,
    read_form,
    read_form_markdown,
    review_answers,
    xpath_value,
)
from caseroom.xlsform.xpath import Context
from tests.xlsform.conftest import fixture_bytes, xlsx_of

COOPERATION = fixture_bytes("cooperation.md")
FORM = read_form(COOPERATION, "cooperation.md")

# A police officer of Serbia who sent four requests, three answered.
ANSWERS: dict[str, Any] = {
    "country": "rs",
    "agency": "police",
    "office": "rs_north",
    "years": 6,
    "mla_sent": "yes",
    "mla_count": 4,
    "mla_answered": 3,
    "mla_speed": "2",
    "jit_obstacles": ["time", "legal"],
    "jit_difficulty": "No contact point answered within the deadline.",
}


def test_a_kobo_shaped_form_reads_the_same_from_markdown_and_from_xlsx() -> None:
    from_xlsx = read_form(xlsx_of(COOPERATION.decode()), "cooperation.xlsx")
    assert from_xlsx == FORM
    assert [lang.code for lang in FORM.languages] == ["en", "sr-latn"]
    assert FORM.language_for("sr-latn") == "Srpski (sr_Latn)"
    assert FORM.question("office").hint.get("Srpski (sr_Latn)") == "Kancelarije vaše zemlje"
    assert FORM.warnings == ()  # every appearance it uses is honoured


def test_a_stored_form_reads_back_with_its_calculations_defaults_and_filters() -> None:
    again = Form.from_dict(json.loads(json.dumps(FORM.to_dict())))
    assert again == FORM
    choice_filter = again.question("office").choice_filter
    assert choice_filter is not None and choice_filter.fields == frozenset({"country"})
    assert dict(again.choices["office"][0].extra) == {"country": "rs"}
    assert again.question("agency").default == "police"


def test_a_version_stored_before_calculations_existed_still_reads() -> None:
    data = fixture_bytes("knowledge.md")
    stored = read_form(data, "knowledge.md").to_dict()
    for question in stored["children"]:
        for key in ("calculation", "default", "choice_filter", "filter_fields"):
            assert key not in question  # written only when used
    assert Form.from_dict(stored).question("age").calculation is None


def test_calculations_follow_their_chain_and_are_stored_with_the_answers() -> None:
    review = review_answers(FORM, ANSWERS)
    assert review.ok, review.complaints
    assert review.answers["mla_rate"] == 75  # round(3 div 4 * 100, 0)
    assert review.answers["sections_answered"] == 2
    assert review.answers["place"] == "rs/police"


def test_a_relevance_that_reads_a_calculation_waits_for_it() -> None:
    # mla_speed is relevant while the answer rate is below 100 %.
    everything = {**ANSWERS, "mla_answered": 4, "mla_speed": ""}
    review = review_answers(FORM, everything)
    assert review.answers["mla_rate"] == 100
    assert "mla_speed" not in review.relevant
    review = review_answers(FORM, {**ANSWERS, "mla_sent": "no", "mla_count": None})
    assert "mla_rate" not in review.answers  # '' when nothing was sent: stored as nothing
    assert {"mla_count", "mla_answered", "mla_speed"}.isdisjoint(review.relevant)


def test_a_calculation_given_with_the_answers_is_worked_out_again() -> None:
    review = review_answers(FORM, {**ANSWERS, "mla_rate": 5, "place": "=cmd()"}, strict=True)
    assert review.ok
    assert (review.answers["mla_rate"], review.answers["place"]) == (75, "rs/police")


def test_a_calculation_that_reads_a_later_question_is_worked_out_after_it() -> None:
    form = read_form_markdown(
        "| survey |\n| | type | name | label | calculation | relevant |\n"
        "| | calculate | total | | ${a} + ${b} | |\n"
        "| | integer | a | A | | |\n"
        "| | integer | b | B | | ${a} > 0 |\n"
        "| | note | n | Total ${total} | | ${total} > 10 |\n"
    )
    assert [q.name for q in form.order] == ["a", "b", "total", "n"]
    review = review_answers(form, {"a": 4, "b": 7})
    assert review.answers["total"] == 11 and "n" in review.relevant
    # b is not relevant when a is 0: it reads as empty, and so the sum is NaN (nothing).
    review = review_answers(form, {"a": 0, "b": 7})
    assert "total" not in review.answers and "n" not in review.relevant


def test_a_boolean_calculation_reads_as_text_as_in_odk() -> None:
    form = read_form_markdown(
        "| survey |\n| | type | name | label | calculation | relevant |\n"
        "| | integer | a | A | | |\n"
        "| | calculate | big | | ${a} > 10 | |\n"
        "| | text | why | Why? | | ${big} = 'true' |\n"
    )
    assert review_answers(form, {"a": 12}).answers["big"] == "true"
    assert "why" in review_answers(form, {"a": 12}).relevant
    assert "why" not in review_answers(form, {"a": 2}).relevant


def test_a_choice_filter_offers_the_choices_of_the_country_chosen() -> None:
    values = {"country": xpath_value("rs")}
    offered = [c.name for c in filtered_choices(FORM, FORM.question("office"), values)]
    assert offered == ["rs_central", "rs_north"]
    none_yet = filtered_choices(FORM, FORM.question("office"), {})
    assert none_yet == ()
    review = review_answers(FORM, ANSWERS)
    assert review.offered == {"office": frozenset({"rs_central", "rs_north"})}


def test_an_office_of_another_country_is_refused() -> None:
    complaints = check_answers(FORM, {**ANSWERS, "office": "me_central"})
    assert {n: c.code for n, c in complaints.items()} == {"office": "not_a_choice"}


def test_a_filter_on_the_choice_name_itself() -> None:
    form = read_form_markdown(
        "| survey |\n| | type | name | label | choice_filter |\n"
        "| | select_multiple yn | first | First | |\n"
        "| | select_one yn | second | Second | not(selected(${first}, name)) |\n"
        "| choices |\n| | list_name | name | label |\n| | yn | yes | Yes |\n| | yn | no | No |\n"
    )
    assert review_answers(form, {"first": ["yes"]}).offered == {"second": frozenset({"no"})}
    assert check_answers(form, {"first": ["yes"], "second": "yes"})["second"].code == (
        "not_a_choice"
    )


def test_unknown_appearances_are_kept_as_classes_and_listed_as_warnings() -> None:
    form = read_form_markdown(
        "| survey |\n| | type | name | label | appearance |\n"
        "| | text | a | A | multiline w3 |\n| | integer | b | B | thousands-sep |\n"
    )
    assert form.question("a").classes == "appearance-multiline appearance-w3"
    assert [(w.row, w.column) for w in form.warnings] == [(2, "appearance"), (3, "appearance")]
    assert "'w3' is not known here" in form.warnings[0].message


def test_defaults_are_fixed_answers_of_the_questions_type() -> None:
    assert FORM.question("years").default == "1"
    form = read_form_markdown(
        "| survey |\n| | type | name | label | default |\n"
        "| | date | d | D | 2026-01-31 |\n| | select_multiple yn | m | M | yes no |\n"
        "| choices |\n| | list_name | name | label |\n| | yn | yes | Yes |\n| | yn | no | No |\n"
    )
    assert (form.question("d").default, form.question("m").default) == ("2026-01-31", "yes no")


# ---- answers the form does not ask for


def test_strictly_an_answer_to_a_question_not_in_the_form_is_refused() -> None:
    complaints = check_answers(FORM, {**ANSWERS, "salary": "1000"}, strict=True)
    assert {n: c.code for n, c in complaints.items()} == {"salary": "unknown_question"}
    assert "no such question" in complaints["salary"].message
    assert check_answers(FORM, {**ANSWERS, "salary": "1000"}) == {}  # as before: dropped


def test_strictly_an_answer_to_a_question_that_does_not_apply_is_refused() -> None:
    # An NGO is not asked about joint investigation teams.
    ngo = {**ANSWERS, "agency": "ngo"}
    complaints = check_answers(FORM, ngo, strict=True)
    assert {n: c.code for n, c in complaints.items()} == {
        "jit_obstacles": "not_relevant",
        "jit_difficulty": "not_relevant",
    }
    assert review_answers(FORM, ngo).ok  # not strict: dropped, as before


def test_strictly_a_note_takes_no_answer() -> None:
    complaints = check_answers(FORM, {**ANSWERS, "done": "ok"}, strict=True)
    assert complaints["done"].code == "not_asked"


def test_a_partial_review_checks_the_shape_not_what_is_missing() -> None:
    review = review_answers(FORM, {"country": "rs", "years": 80}, partial=True, strict=True)
    assert review.ok  # required questions missing, the constraint on years unchecked
    review = review_answers(FORM, {"country": "rs", "years": "many"}, partial=True)
    assert review.complaints["years"].code == "not_a_whole_number"


# ---- functions calculations use


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("if(1 > 2, 'a', 'b')", "b"),
        ("concat('a', 1, true())", "a1true"),
        ("round(2.5)", 3.0),  # XPath rounds half up
        ("round(-2.5)", -2.0),
        ("round(3.14159, 2)", 3.14),
        ("int(-3.7)", -3.0),
        ("coalesce('', 'x')", "x"),
        ("substr('abcdef', 1, 3)", "bc"),
        ("selected-at('a b c', 1)", "b"),
        ("selected-at('a b c', 7)", ""),
        ("contains('police', 'lic')", True),
        ("starts-with('police', 'po')", True),
        ("string(2.0)", "2"),
        ("boolean('')", False),
    ],
)
def test_calculation_functions_follow_xpath(source: str, expected: object) -> None:
    assert parse_expression(source).value(Context({}, today=dt.date(2026, 1, 1))) == expected


def test_a_concatenation_never_grows_past_the_longest_answer() -> None:
    text = "x" * limits.MAX_TEXT_ANSWER_CHARS
    result = parse_expression("concat(${a}, ${a})").value(Context({"a": text}))
    assert result == text


def test_the_number_of_arguments_is_checked_at_upload() -> None:
    with pytest.raises(FormError) as raised:
        read_form_markdown(
            "| survey |\n| | type | name | label | calculation |\n| | calculate | c | | if(1, 2) |\n"
        )
    assert "if() takes 3 arguments, not 2" in raised.value.problems[0].message


def test_references_in_a_label_show_the_values_so_far() -> None:
    label = FORM.question("done").label.get("English (en)")
    assert fill_references(label, {"sections_answered": 2}) == "Thank you: you answered 2 parts."
    assert fill_references("${a} / ${b}", {"a": ["x", "y"], "b": 2.5}) == "x y / 2.5"
