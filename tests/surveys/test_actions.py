"""Rounds and responses: every write goes through actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from caseroom.surveys import actions
from caseroom.surveys.models import QuestionnaireVersion, Response, Round
from tests.surveys.conftest import GOOD

pytestmark = pytest.mark.django_db


def test_a_round_gets_a_code_of_eight_unambiguous_symbols(round_: Round) -> None:
    assert len(round_.code) == 8
    assert not set(round_.code) & set("01OIL")
    assert round_.state() == "open"


def test_a_submission_is_stored_normalised_and_scored(round_: Round) -> None:
    response = actions.submit(round_, {**GOOD, "hours": "12.5"}, language="sq", key="k1")
    response.refresh_from_db()
    assert response.answers == {**GOOD, "hours": 12.5, "consent": "OK"}
    assert (response.score, response.max_score) == (3, 3)
    assert response.language == "sq"


def test_a_repeated_submit_with_the_same_key_is_applied_once(round_: Round) -> None:
    first = actions.submit(round_, GOOD, key="same")
    again = actions.submit(round_, {**GOOD, "age": 50}, key="same")
    assert again.pk == first.pk
    assert Response.objects.count() == 1
    actions.submit(round_, GOOD, key="other")
    actions.submit(round_, GOOD)  # no key: every submit counts
    assert Response.objects.count() == 3


def test_a_closed_round_refuses_an_answer(round_: Round) -> None:
    actions.close_round(round_)
    with pytest.raises(actions.RoundClosed) as refused:
        actions.submit(round_, GOOD)
    assert refused.value.code == "round_closed"
    assert not Response.objects.exists()


def test_a_round_past_its_closing_time_refuses_an_answer(version: QuestionnaireVersion) -> None:
    past = timezone.now() - dt.timedelta(hours=1)
    round_ = actions.create_round(version, "Over", closes_at=past)
    with pytest.raises(actions.RoundClosed):
        actions.submit(round_, GOOD)


def test_a_round_not_yet_open_refuses_an_answer(version: QuestionnaireVersion) -> None:
    later = timezone.now() + dt.timedelta(days=1)
    round_ = actions.create_round(version, "Post-test", opens_at=later)
    with pytest.raises(actions.RoundNotOpen) as refused:
        actions.submit(round_, GOOD)
    assert refused.value.code == "round_not_open"
    assert actions.submit(round_, GOOD, now=later + dt.timedelta(minutes=1)).pk


def test_closing_twice_keeps_the_first_time(round_: Round) -> None:
    first = timezone.now() - dt.timedelta(days=2)
    actions.close_round(round_, now=first)
    actions.close_round(round_)
    round_.refresh_from_db()
    assert round_.closed_at == first and not round_.accepting


def test_invalid_answers_are_refused_with_a_complaint_per_question(round_: Round) -> None:
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.submit(round_, {**GOOD, "age": 12, "consent": False}, language="sq", strict=False)
    assert refused.value.code == "invalid_answers"
    assert {n: c.code for n, c in refused.value.complaints.items()} == {
        "age": "constraint",
        "consent": "required",
    }
    assert str(refused.value.complaints["age"]) == "Nga 18 deri 99"


def test_a_submit_inside_the_callers_transaction_is_undone_with_it(round_: Round) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.submit(round_, GOOD, key="k")
        raise RuntimeError("the using app's own write failed")
    assert not Response.objects.exists()


def test_a_repeated_key_inside_an_outer_transaction_returns_the_first(round_: Round) -> None:
    with transaction.atomic():
        first = actions.submit(round_, GOOD, key="k")
        assert actions.submit(round_, GOOD, key="k") == first
    assert Response.objects.count() == 1


def test_an_answer_to_a_question_that_does_not_apply_is_refused_and_nothing_stored(
    round_: Round,
) -> None:
    # "other" is asked only when the agency is "other"; this respondent chose the police.
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.submit(round_, {**GOOD, "other": "Customs"})
    assert {n: c.code for n, c in refused.value.complaints.items()} == {"other": "not_relevant"}
    assert "does not apply" in refused.value.complaints["other"].message
    assert not Response.objects.exists()


def test_an_answer_to_a_question_not_in_the_form_is_refused_and_nothing_stored(
    round_: Round,
) -> None:
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.submit(round_, {**GOOD, "salary": "1000"})
    assert {n: c.code for n, c in refused.value.complaints.items()} == {
        "salary": "unknown_question"
    }
    assert not Response.objects.exists()


def test_without_strictness_such_answers_are_dropped_as_before(round_: Round) -> None:
    response = actions.submit(round_, {**GOOD, "other": "Customs", "x": 1}, strict=False)
    assert "other" not in response.answers and "x" not in response.answers
