"""Every kind of problem, reported at the spreadsheet's own row, from .xlsx and Markdown alike.

Each case is a small form with one mistake and the (sheet, row, column, words) the author
must see. Blank rows are counted as Excel counts them, so the .xlsx cases prove the rows.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from caseroom.xlsform import FormError, Problem, read_form
from tests.xlsform.conftest import xlsx_of

YN = """
| choices |
|         | list_name | name | label |
|         | yn        | yes  | Yes   |
|         | yn        | no   | No    |
"""

CASES: dict[str, tuple[str, tuple[str, int, str, str]]] = {
    "an unsupported type": (
        "| survey |\n| | type | name | label |\n| | text | a | A |\n| | geopoint | where | Where |\n",
        ("survey", 3, "type", "the type 'geopoint' is not supported"),
    ),
    "a repeat": (
        "| survey |\n| | type | name | label |\n| | begin repeat | r | R |\n| | text | a | A |\n| | end repeat | | |\n",
        ("survey", 2, "type", "repeats are not supported"),
    ),
    "a calculation without its expression": (
        "| survey |\n| | type | name | label |\n| | calculate | c | |\n",
        ("survey", 2, "calculation", "a calculate row needs a calculation"),
    ),
    "calculations in a circle": (
        "| survey |\n| | type | name | label | calculation |\n| | integer | a | A | |\n"
        "| | calculate | b | | ${a} + ${d} |\n| | calculate | c | | ${b} * 2 |\n"
        "| | calculate | d | | ${c} - 1 |\n",
        ("survey", 3, "calculation", "b (row 3) → d (row 5) → c (row 4) → b (row 3)"),
    ),
    "a calculation reading itself": (
        "| survey |\n| | type | name | label | calculation |\n| | calculate | c | | ${c} + 1 |\n",
        ("survey", 2, "calculation", "depend on each other in a circle"),
    ),
    "a group whose relevance reads a question inside it": (
        "| survey |\n| | type | name | label | relevant |\n| | begin group | g | G | ${a} = 'x' |\n"
        "| | text | a | A | |\n| | end group | | | |\n",
        ("survey", 2, "relevant", "the group 'g' depends on ${a}, a question inside it (row 3)"),
    ),
    "a calculation on a question that is asked": (
        "| survey |\n| | type | name | label | calculation |\n| | integer | a | A | 1 + 1 |\n",
        ("survey", 2, "calculation", "'calculation' does not apply to a integer question"),
    ),
    "a calculation that is required": (
        "| survey |\n| | type | name | label | calculation | required |\n| | calculate | c | | 1 | yes |\n",
        ("survey", 2, "required", "'required' does not apply to a calculation"),
    ),
    "a calculation using the dot": (
        "| survey |\n| | type | name | label | calculation |\n| | calculate | c | | . + 1 |\n",
        ("survey", 2, "calculation", "use it in a constraint only"),
    ),
    "a dynamic default": (
        "| survey |\n| | type | name | label | default |\n| | date | d | D | today() |\n",
        ("survey", 2, "default", "'today()' is worked out, not written"),
    ),
    "a default from another answer": (
        "| survey |\n| | type | name | label | default |\n| | text | a | A | |\n| | text | b | B | ${a} |\n",
        ("survey", 3, "default", "only fixed defaults are supported"),
    ),
    "a default that is not a choice": (
        "| survey |\n| | type | name | label | default |\n| | select_one yn | a | A | maybe |\n"
        + YN,
        ("survey", 2, "default", "not a name of the list 'yn'"),
    ),
    "a default that is not a number": (
        "| survey |\n| | type | name | label | default |\n| | integer | a | A | 2.5 |\n",
        ("survey", 2, "default", "the default '2.5' is not an answer to this integer question"),
    ),
    "a choice filter on a text question": (
        "| survey |\n| | type | name | label | choice_filter |\n| | text | a | A | x = 1 |\n",
        ("survey", 2, "choice_filter", "only select_one and select_multiple questions filter"),
    ),
    "a choice filter on a column the choices lack": (
        "| survey |\n| | type | name | label | choice_filter |\n| | select_one c | a | A | country = 'rs' |\n"
        "| choices |\n| | list_name | name | label | region |\n| | c | x | X | north |\n",
        ("survey", 2, "choice_filter", "or to a column of the choices (name, region)"),
    ),
    "choices from a file": (
        "| survey |\n| | type | name | label |\n| | select_one_from_file places.csv | p | P |\n",
        ("survey", 2, "type", "'select_one_from_file' (choices from a file) is not supported"),
    ),
    "an appearance that searches a file": (
        "| survey |\n| | type | name | label | appearance |\n| | select_one yn | a | A | search('places') |\n"
        + YN,
        ("survey", 2, "appearance", "appearances that call a function"),
    ),
    "a picture on a choice": (
        "| survey |\n| | type | name | label |\n| | select_one yn | a | A |\n| choices |\n"
        "| | list_name | name | label | media::image |\n| | yn | yes | Yes | yes.png |\n",
        ("choices", 2, "media::image", "media are not supported"),
    ),
    "metadata": (
        "| survey |\n| | type | name | label |\n| | start | s | |\n| | text | a | A |\n",
        ("survey", 2, "type", "metadata collected by a phone app"),
    ),
    "or_other": (
        "| survey |\n| | type | name | label |\n| | select_one yn or_other | a | A |\n" + YN,
        ("survey", 2, "type", "'or_other' is not supported"),
    ),
    "a row without a type": (
        "| survey |\n| | type | name | label |\n| | text | a | A |\n| | | b | B |\n",
        ("survey", 3, "type", "the row has no type"),
    ),
    "a row without a name": (
        "| survey |\n| | type | name | label |\n| | text | | A |\n",
        ("survey", 2, "name", "the row has no name"),
    ),
    "a name that is not one": (
        "| survey |\n| | type | name | label |\n| | text | 1st answer | A |\n",
        ("survey", 2, "name", "'1st answer' is not a usable name"),
    ),
    "a duplicate name": (
        "| survey |\n| | type | name | label |\n| | text | a | A |\n| | begin group | g | G |\n| | integer | a | A again |\n| | end group | | |\n",
        ("survey", 4, "name", "the name 'a' is already used in row 2"),
    ),
    "an end without a begin": (
        "| survey |\n| | type | name | label |\n| | text | a | A |\n| | end group | | |\n",
        ("survey", 3, "type", "'end group' without a 'begin group'"),
    ),
    "a group never closed": (
        "| survey |\n| | type | name | label |\n| | text | a | A |\n| | begin group | g | G |\n| | text | b | B |\n",
        ("survey", 3, "type", "the group 'g' is never closed"),
    ),
    "a missing choice list": (
        "| survey |\n| | type | name | label |\n| | select_one colours | a | A |\n" + YN,
        ("survey", 2, "type", "there is no choice list 'colours'"),
    ),
    "a question without a label": (
        "| survey |\n| | type | name | label | hint |\n| | text | a | | some hint |\n",
        ("survey", 2, "label", "'a' has no label"),
    ),
    "a choice named twice": (
        "| survey |\n| | type | name | label |\n| | select_one yn | a | A |\n"
        + YN
        + "|  | yn | yes | Yes again |\n",
        ("choices", 4, "name", "the list 'yn' already has a choice 'yes' (row 2)"),
    ),
    "a choice without a label": (
        "| survey |\n| | type | name | label | hint |\n| | select_one yn | a | A | |\n| choices |\n| | list_name | name | label | image |\n| | yn | yes | Yes | |\n| | yn | no | | no.png |\n",
        ("choices", 3, "label", "the choice 'no' has no label"),
    ),
    "a choice without a list": (
        "| survey |\n| | type | name | label |\n| | select_one yn | a | A |\n"
        + YN
        + "|  |  | maybe | Maybe |\n",
        ("choices", 4, "list_name", "the choice has no list_name"),
    ),
    "unbalanced parentheses": (
        "| survey |\n| | type | name | label | relevant |\n| | integer | a | A | |\n| | text | b | B | (${a} > 1 |\n",
        ("survey", 3, "relevant", "unbalanced parentheses: a '(' is never closed"),
    ),
    "a closing parenthesis too many": (
        "| survey |\n| | type | name | label | constraint |\n| | integer | a | A | . > 1) |\n",
        ("survey", 2, "constraint", "unbalanced parentheses: a ')' without its '('"),
    ),
    "an unsupported function": (
        "| survey |\n| | type | name | label | constraint |\n| | text | a | A | regex(., '[0-9]+') |\n",
        ("survey", 2, "constraint", "the function regex() is not supported"),
    ),
    "a path instead of a reference": (
        "| survey |\n| | type | name | label | relevant |\n| | text | a | A | |\n| | text | b | B | /data/a = 'x' |\n",
        ("survey", 3, "relevant", "refer to a question as ${name}"),
    ),
    "a dot outside a constraint": (
        "| survey |\n| | type | name | label | relevant |\n| | text | a | A | . = 'x' |\n",
        ("survey", 2, "relevant", "use it in a constraint only"),
    ),
    "a reference to no question": (
        "| survey |\n| | type | name | label | relevant |\n| | text | a | A | |\n| | text | b | B | ${ag} = 'x' |\n",
        ("survey", 3, "relevant", "${ag} names no question of the form"),
    ),
    "a relevance on itself": (
        "| survey |\n| | type | name | label | relevant |\n| | text | a | A | ${a} = 'x' |\n",
        ("survey", 2, "relevant", "${a} is this question itself"),
    ),
    "a huge expression": (
        "| survey |\n| | type | name | label | constraint |\n| | integer | a | A | "
        + " or ".join([". = 1"] * 300)
        + " |\n",
        ("survey", 2, "constraint", "the expression is too long: 2,696 characters, at most 1,000"),
    ),
    "an expression nested too deeply": (
        "| survey |\n| | type | name | label | constraint |\n| | integer | a | A | "
        + "(" * 40
        + "."
        + ")" * 40
        + " |\n",
        ("survey", 2, "constraint", "nested too deeply"),
    ),
    "a correct answer on a text question": (
        "| survey |\n| | type | name | label | correct |\n| | text | a | A | Vienna |\n",
        ("survey", 2, "correct", "a text question cannot have a correct answer"),
    ),
    "a correct answer that is not a choice": (
        "| survey |\n| | type | name | label | correct |\n| | select_one yn | a | A | maybe |\n"
        + YN,
        ("survey", 2, "correct", "'maybe' is not a choice of the list 'yn' (yes, no)"),
    ),
    "two correct answers to a single choice": (
        "| survey |\n| | type | name | label | correct |\n| | select_one yn | a | A | yes no |\n"
        + YN,
        ("survey", 2, "correct", "a select_one question has one correct answer"),
    ),
    "points that are not a number": (
        "| survey |\n| | type | name | label | correct | points |\n| | select_one yn | a | A | yes | many |\n"
        + YN,
        ("survey", 2, "points", "points are a whole number from 0 to 1000"),
    ),
    "points without a correct answer": (
        "| survey |\n| | type | name | label | points |\n| | select_one yn | a | A | 3 |\n" + YN,
        ("survey", 2, "points", "points without a 'correct' answer"),
    ),
    "a label missing in one language": (
        "| survey |\n| | type | name | label::English (en) | label::Shqip (sq) |\n| | text | a | Age | Mosha |\n| | text | b | Agency | |\n",
        ("survey", 3, "label::Shqip (sq)", "empty while 'label::English (en)' is filled"),
    ),
    "choices without a language of the survey": (
        "| survey |\n| | type | name | label::English (en) | label::Shqip (sq) |\n| | select_one yn | a | A | A |\n| choices |\n| | list_name | name | label::English (en) |\n| | yn | yes | Yes |\n",
        ("choices", 1, "label::Shqip (sq)", "no 'label::Shqip (sq)' column"),
    ),
    "a filled column that is not supported": (
        "| survey |\n| | type | name | label | read_only |\n| | integer | a | A | yes |\n",
        ("survey", 2, "read_only", "read-only questions are not supported"),
    ),
    "a guidance hint": (
        "| survey |\n| | type | name | label | guidance_hint |\n| | integer | a | A | Ask twice |\n",
        ("survey", 2, "guidance_hint", "guidance hints are not supported"),
    ),
    "a column written twice": (
        "| survey |\n| | type | name | label | label |\n| | text | a | A | B |\n",
        ("survey", 1, "label", "the column 'label' appears twice"),
    ),
    "a default language the labels do not have": (
        "| survey |\n| | type | name | label::English (en) |\n| | text | a | A |\n| settings |\n| | default_language |\n| | French (fr) |\n",
        ("settings", 0, "default_language", "'French (fr)' is not a language"),
    ),
    "a name pyxform reserves": (
        "| survey |\n| | type | name | label |\n| | begin group | meta | M |\n| | text | a | A |\n| | end group | | |\n",
        ("survey", 2, "name", "pyxform: On the 'survey' sheet, the 'name' value 'meta' is invalid"),
    ),
}


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _problems(data: bytes, filename: str) -> list[Problem]:
    with pytest.raises(FormError) as raised:
        read_form(data, filename)
    return raised.value.problems


@pytest.mark.parametrize("source", ["md", "xlsx"])
@pytest.mark.parametrize("case", CASES)
def test_each_problem_is_reported_at_its_row_and_column(case: str, source: str) -> None:
    markdown, (sheet, row, column, words) = CASES[case]
    if case == "a column written twice" and source == "xlsx":
        data = _xlsx([["type", "name", "label", "label"], ["text", "a", "A", "B"]])
        assert _problems(data, "form.xlsx") == [Problem(sheet, row, column, words)]
        return
    data = markdown.encode() if source == "md" else xlsx_of(markdown)
    problems = _problems(data, f"form.{source}")
    assert any(
        (p.sheet, p.row, p.column) == (sheet, row, column) and words in p.message for p in problems
    ), problems


def test_every_problem_of_a_form_is_reported_at_once() -> None:
    markdown = (
        "| survey |\n| | type | name | label | relevant | correct |\n"
        "| | text | a | A | ${zz} = 1 | |\n| | text | a | | | yes |\n"
    )
    problems = _problems(markdown.encode(), "form.md")
    assert [(p.row, p.column) for p in problems] == [
        (2, "relevant"), (3, "correct"), (3, "label"), (3, "name"),
    ]  # fmt: skip


def test_a_problem_reads_as_sheet_row_column_and_message() -> None:
    problem = Problem("survey", 3, "relevant", "${ag} names no question of the form")
    assert str(problem) == "survey:3:relevant: ${ag} names no question of the form"
    assert str(Problem("", 0, "", "the file is too large")) == "the file is too large"


def test_the_error_message_names_the_first_problem_and_counts_the_others() -> None:
    error = FormError([Problem("survey", 3, "name", "b"), Problem("survey", 2, "type", "a")])
    assert str(error) == "survey:2:type: a (and 1 more)"
