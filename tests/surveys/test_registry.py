"""Registering questionnaires as immutable versions."""

from __future__ import annotations

import pytest

from caseroom.surveys.models import Questionnaire, QuestionnaireVersion
from caseroom.surveys.registry import FormRejected, form_of, register_form
from caseroom.xlsform import Problem, read_form
from tests.surveys.conftest import KNOWLEDGE

pytestmark = pytest.mark.django_db


def test_registering_a_form_stores_its_source_digest_and_parsed_form() -> None:
    version = register_form(KNOWLEDGE, "uploads/knowledge.md", "Module 2 knowledge test")
    assert version.number == 1
    assert version.questionnaire.title == "Module 2 knowledge test"
    assert version.source_name == "knowledge.md"
    assert bytes(version.source) == KNOWLEDGE
    assert len(version.digest) == 64
    assert version.languages == ["English (en)", "Shqip (sq)"]
    assert form_of(version) == read_form(KNOWLEDGE, "knowledge.md")


def test_the_same_bytes_registered_twice_are_one_version() -> None:
    first = register_form(KNOWLEDGE, "knowledge.md", "Knowledge")
    again = register_form(KNOWLEDGE, "copy.md", "Another title")
    same_questionnaire = register_form(KNOWLEDGE, "k.md", "x", first.questionnaire)
    assert first == again == same_questionnaire
    assert QuestionnaireVersion.objects.count() == 1
    assert Questionnaire.objects.count() == 1


def test_a_changed_form_is_the_next_version_of_its_questionnaire() -> None:
    first = register_form(KNOWLEDGE, "knowledge.md", "Knowledge")
    changed = KNOWLEDGE.replace(b"| 3       |", b"| 4       |")
    second = register_form(changed, "knowledge.md", "ignored", first.questionnaire)
    assert (second.questionnaire, second.number) == (first.questionnaire, 2)
    assert form_of(second).version == "4"
    assert form_of(first).version == "3"  # the first version keeps its meaning


def test_a_form_with_problems_is_refused_with_all_of_them_and_nothing_stored() -> None:
    broken = b"| survey |\n| | type | name | label | relevant |\n| | text | a | A | ${b} = 1 |\n| | text | a | B | |\n"
    with pytest.raises(FormRejected) as refused:
        register_form(broken, "broken.md", "Broken")
    assert refused.value.problems == [
        Problem("survey", 2, "relevant", "${b} names no question of the form"),
        Problem("survey", 3, "name", "the name 'a' is already used in row 2: every question and group needs a name of its own"),
    ]  # fmt: skip
    assert not Questionnaire.objects.exists()


def test_a_file_too_large_is_refused_before_it_is_read() -> None:
    with pytest.raises(FormRejected) as refused:
        register_form(b"x" * (2 * 1024 * 1024 + 1), "big.xlsx", "Big")
    assert "too large" in refused.value.problems[0].message
