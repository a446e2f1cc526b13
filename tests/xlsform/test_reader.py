"""Reading a form: the model it gives, from Markdown and from .xlsx alike."""

from __future__ import annotations

import json

from caseroom.xlsform import Form, Group, Language, read_form, read_form_markdown
from tests.xlsform.conftest import fixture_bytes, xlsx_of


def test_the_knowledge_test_reads_into_questions_groups_and_choices(knowledge: Form) -> None:
    assert knowledge.title == "Module 2 knowledge"
    assert (knowledge.id, knowledge.version) == ("module2", "3")
    assert knowledge.languages == (Language("English (en)", "en"), Language("Shqip (sq)", "sq"))
    assert knowledge.default_language == "English (en)"
    assert [q.name for q in knowledge.questions] == [
        "intro", "age", "agency", "other", "victim", "signs", "hours", "since", "consent",
    ]  # fmt: skip
    assert [q.type for q in knowledge.questions] == [
        "note", "integer", "select_one", "text", "select_one", "select_multiple",
        "decimal", "date", "acknowledge",
    ]  # fmt: skip
    group = knowledge.children[4]
    assert isinstance(group, Group) and group.name == "test"
    assert [c.name for c in group.children] == ["victim", "signs"]
    assert knowledge.question("signs").groups == ("test",)
    assert [c.name for c in knowledge.choices["indicators"]] == [
        "debt",
        "control",
        "travel",
        "paid",
    ]


def test_labels_hints_and_messages_are_kept_per_language(knowledge: Form) -> None:
    age = knowledge.question("age")
    assert knowledge.text(age.label, "Shqip (sq)") == "Mosha juaj"
    assert knowledge.text(age.hint, "English (en)") == "In years"
    assert knowledge.text(age.constraint_message, "Shqip (sq)") == "Nga 18 deri 99"
    police = knowledge.choices["agency"][0]
    assert knowledge.text(police.label, "Shqip (sq)") == "Policia"


def test_a_reader_language_code_picks_the_language_of_the_form(knowledge: Form) -> None:
    assert knowledge.language_for("sq") == "Shqip (sq)"
    assert knowledge.language_for("en-gb") == "English (en)"
    # No Macedonian labels: the form's default language.
    assert knowledge.language_for("mk") == "English (en)"


def test_custom_columns_are_kept_though_pyxform_drops_them(knowledge: Form) -> None:
    signs = knowledge.question("signs")
    assert signs.correct == ("debt", "control")
    assert signs.points == 2
    assert signs.topic == "indicators"
    assert signs.guideline_section == "2.3"
    victim = knowledge.question("victim")
    assert (victim.correct, victim.points) == (("yes",), 1)  # one point unless told
    assert knowledge.question("age").points == 0


def test_required_relevant_and_constraint_are_parsed(knowledge: Form) -> None:
    other = knowledge.question("other")
    assert other.required
    assert other.relevant is not None and other.relevant.refs == {"agency"}
    age = knowledge.question("age")
    assert age.constraint is not None and age.constraint.uses_current
    assert knowledge.groups["test"].relevant is not None


def test_an_xlsx_file_reads_into_the_same_form_as_its_markdown_table() -> None:
    markdown = fixture_bytes("knowledge.md").decode()
    assert read_form(xlsx_of(markdown), "knowledge.xlsx") == read_form_markdown(markdown)


def test_a_form_survives_its_json_as_stored_by_the_surveys_app(knowledge: Form) -> None:
    assert Form.from_dict(json.loads(json.dumps(knowledge.to_dict()))) == knowledge


def test_the_title_falls_back_to_the_file_name() -> None:
    markdown = "| survey |\n| | type | name | label |\n| | text | a | A |\n"
    assert read_form(markdown.encode(), "uploads/needs-2026.md").title == "needs-2026"


def test_aliases_of_types_that_authors_write_are_understood() -> None:
    form = read_form_markdown(
        """
        | survey |
        |        | type                     | name | label |
        |        | select one yn            | a    | A     |
        |        | select all that apply yn | b    | B     |
        |        | begin_group              | g    | G     |
        |        | string                   | c    | C     |
        |        | end_group                |      |       |
        | choices |
        |         | list_name | name | label |
        |         | yn        | yes  | Yes   |
        """
    )
    assert [q.type for q in form.questions] == ["select_one", "select_multiple", "text"]
    assert form.question("c").groups == ("g",)


def test_a_form_with_one_unnamed_sheet_is_its_survey() -> None:
    form = read_form_markdown("| questions |\n| | type | name | label |\n| | text | a | A |\n")
    assert [q.name for q in form.questions] == ["a"]
