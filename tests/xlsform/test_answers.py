"""Checking a submission against its form, and scoring a test."""

from __future__ import annotations

import datetime as dt

from caseroom.xlsform import Complaint, Form, check_answers, clean_answers, review_answers, score

GOOD = {
    "age": 34,
    "agency": "police",
    "victim": "yes",
    "signs": ["control", "debt"],
    "hours": "12.5",
    "since": "2019-03-01",
    "consent": True,
}


def test_a_complete_submission_is_accepted_and_normalised(knowledge: Form) -> None:
    review = review_answers(knowledge, GOOD)
    assert review.complaints == {}
    assert review.answers == {
        "age": 34,
        "agency": "police",
        "victim": "yes",
        "signs": ["debt", "control"],  # in the list's order
        "hours": 12.5,
        "since": "2019-03-01",
        "consent": "OK",
    }


def test_a_required_question_needs_an_answer_only_when_relevant(knowledge: Form) -> None:
    assert "other" not in check_answers(knowledge, GOOD)
    complaints = check_answers(knowledge, {**GOOD, "agency": "other"})
    assert complaints == {"other": Complaint("required", "This question needs an answer.")}


def test_answers_to_questions_that_are_not_relevant_are_dropped(knowledge: Form) -> None:
    answers = clean_answers(knowledge, {**GOOD, "other": "Labour inspectorate"})
    assert "other" not in answers
    assert "other" in clean_answers(knowledge, {**GOOD, "agency": "other", "other": "Labour"})


def test_a_group_that_is_not_relevant_drops_all_its_questions(knowledge: Form) -> None:
    review = review_answers(knowledge, {**GOOD, "age": 15})
    assert "victim" not in review.answers and "signs" not in review.answers
    assert "victim" not in review.relevant


def test_a_constraint_says_the_authors_words_in_the_readers_language(knowledge: Form) -> None:
    answers = {**GOOD, "age": 17}
    assert check_answers(knowledge, answers, "English (en)")["age"] == Complaint(
        "constraint", "Between 18 and 99", authored=True
    )
    assert str(check_answers(knowledge, answers, "sq")["age"]) == "Nga 18 deri 99"
    # A language the form lacks: its default language.
    assert str(check_answers(knowledge, answers, "mk")["age"]) == "Between 18 and 99"


def test_a_constraint_without_a_message_gives_a_general_one(knowledge: Form) -> None:
    assert check_answers(knowledge, {**GOOD, "hours": -1})["hours"] == Complaint(
        "constraint", "This answer is not accepted."
    )


def test_types_choices_and_lengths_are_checked(knowledge: Form) -> None:
    complaints = check_answers(
        knowledge,
        {
            **GOOD,
            "agency": "army",
            "signs": ["debt", "nothing"],
            "hours": "1e999",
            "since": "yesterday",
            "other": "x" * 10_001,
        },
    )
    assert {name: c.code for name, c in complaints.items()} == {
        "agency": "not_a_choice",
        "signs": "not_a_choice",
        "hours": "not_a_number",
        "since": "not_a_date",
    }
    # An age that is no number: the knowledge group (relevant from 18) is not asked.
    assert {n: c.code for n, c in check_answers(knowledge, {**GOOD, "age": "thirty"}).items()} == {
        "age": "not_a_whole_number"
    }
    long_text = check_answers(knowledge, {**GOOD, "agency": "other", "other": "x" * 10_001})
    assert long_text["other"].code == "too_long"


def test_numbers_beyond_the_bound_are_refused(knowledge: Form) -> None:
    assert check_answers(knowledge, {**GOOD, "hours": 10**13})["hours"].code == "out_of_range"
    assert check_answers(knowledge, {**GOOD, "age": "9" * 5000})["age"].code == "out_of_range"


def test_a_multiple_choice_constraint_sees_the_names_picked(knowledge: Form) -> None:
    too_many = {**GOOD, "signs": ["debt", "control", "travel", "paid"]}
    assert str(check_answers(knowledge, too_many)["signs"]) == "At most three"


def test_answers_to_unknown_questions_and_notes_are_ignored(knowledge: Form) -> None:
    answers = clean_answers(knowledge, {**GOOD, "intro": "x", "sneaky": "y"})
    assert "intro" not in answers and "sneaky" not in answers


def test_dates_and_today_are_those_given(knowledge: Form) -> None:
    assert clean_answers(knowledge, {**GOOD, "since": dt.date(2020, 1, 2)})["since"] == "2020-01-02"


def test_a_test_scores_single_choices_all_or_nothing_and_multiple_by_exact_set(
    knowledge: Form,
) -> None:
    result = score(knowledge, GOOD)
    assert (result.points, result.max_points) == (3, 3)
    half = score(knowledge, {**GOOD, "signs": ["debt"]})
    assert (half.points, half.max_points) == (1, 3)
    assert [(q.name, q.points, q.max_points) for q in half.per_question] == [
        ("victim", 1, 1),
        ("signs", 0, 2),
    ]
    assert score(knowledge, {**GOOD, "signs": ["debt", "control", "travel"]}).points == 1
    nothing = score(knowledge, {})
    assert (nothing.points, nothing.max_points, nothing.percent) == (0, 3, 0.0)
    assert not any(q.answered for q in nothing.per_question)


def test_a_decimal_comma_is_read_as_people_in_the_region_write_it(knowledge: Form) -> None:
    assert clean_answers(knowledge, {**GOOD, "hours": "12,5"})["hours"] == 12.5
    assert check_answers(knowledge, {**GOOD, "hours": "1,2,3"})["hours"].code == "not_a_number"
