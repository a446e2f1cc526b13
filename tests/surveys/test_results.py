"""Results over many responses: counts, numbers, groups and sections in one query."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from caseroom.surveys import results
from caseroom.surveys.models import QuestionnaireVersion, Response, Round
from caseroom.xlsform import clean_answers, score

pytestmark = pytest.mark.django_db

AGENCIES = ["police", "prosecution", "other"]
SIGNS = ["debt", "control", "travel", "paid"]


def _answers(rng: random.Random) -> dict[str, Any]:
    agency = rng.choice(AGENCIES)
    answers: dict[str, Any] = {
        "age": rng.randint(18, 70),
        "agency": agency,
        "victim": rng.choice(["yes", "no"]),
        "signs": rng.sample(SIGNS, rng.randint(1, 3)),
        "consent": "OK",
    }
    if agency == "other":
        answers["other"] = rng.choice(["Labour inspectorate", "=cmd|' /C calc'!A0"])
    if rng.random() < 0.5:
        answers["hours"] = rng.choice([0, 4.5, 12, 40])
    return answers


def _fill(round_: Round, count: int, seed: int = 7) -> list[dict[str, Any]]:
    from caseroom.surveys.registry import form_of

    form = form_of(round_.version)
    rng = random.Random(seed)
    stored = []
    rows = []
    for _ in range(count):
        answers = clean_answers(form, _answers(rng))
        result = score(form, answers)
        stored.append(answers)
        rows.append(
            Response(
                round=round_, answers=answers, score=result.points, max_score=result.max_points
            )
        )
    Response.objects.bulk_create(rows, batch_size=500)
    return stored


def test_choice_counts_and_numbers_match_the_answers_in_one_query(
    version: QuestionnaireVersion, round_: Round, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    stored = _fill(round_, 300)
    with django_assert_num_queries(1):
        summary = results.summarise(version, round_.responses.all(), language="sq")
    assert summary.responses == 300
    agency = summary.question("agency")
    assert agency.label == "Agjencia juaj"
    assert [(c.name, c.label, c.count) for c in agency.choices] == [
        (name, label, sum(1 for a in stored if a["agency"] == name))
        for name, label in [
            ("police", "Policia"),
            ("prosecution", "Prokuroria"),
            ("other", "Tjetër"),
        ]
    ]
    signs = summary.question("signs")
    assert sum(c.count for c in signs.choices) == sum(len(a["signs"]) for a in stored)
    assert signs.correct == sum(1 for a in stored if set(a["signs"]) == {"debt", "control"})
    assert (signs.topic, signs.guideline_section) == ("indicators", "2.3")
    hours = [a["hours"] for a in stored if "hours" in a]
    numbers = summary.question("hours").numbers
    assert numbers is not None and numbers.count == len(hours)
    assert numbers.mean == pytest.approx(sum(hours) / len(hours))
    assert summary.question("other").answered == sum(1 for a in stored if "other" in a)


def test_counts_by_named_questions_in_one_query(
    version: QuestionnaireVersion, round_: Round, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    stored = _fill(round_, 300)
    with django_assert_num_queries(1):
        groups = results.counts_by(version, round_.responses.all(), ["agency", "victim"])
    assert sum(g.count for g in groups) == 300
    expected = {
        (agency, victim): sum(1 for a in stored if (a["agency"], a["victim"]) == (agency, victim))
        for agency in AGENCIES
        for victim in ("yes", "no")
    }
    assert {g.key: g.count for g in groups} == {k: v for k, v in expected.items() if v}
    assert groups[0].count == max(expected.values())
    police_yes = next(g for g in groups if g.key == ("police", "yes"))
    assert police_yes.labels == ("Police", "Yes")


def test_summaries_by_group_in_one_query(
    version: QuestionnaireVersion, round_: Round, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    stored = _fill(round_, 300)
    with django_assert_num_queries(1):
        groups = results.summarise_by(version, round_.responses.all(), ["agency"])
    by_agency = {g.key[0]: g.summary for g in groups}
    assert set(by_agency) == set(AGENCIES)
    police = by_agency["police"]
    assert police.responses == sum(1 for a in stored if a["agency"] == "police")
    assert police.question("other").answered == 0


def test_sections_take_their_questions_together(
    version: QuestionnaireVersion, round_: Round
) -> None:
    stored = _fill(round_, 200)
    summary = results.summarise(version, round_.responses.all())
    by_section = {s.section: s for s in results.sections(summary)}
    assert set(by_section) == {"2.1", "2.3"}
    victim = by_section["2.1"]
    assert victim.questions == ("victim",)
    assert victim.points == sum(1 for a in stored if a["victim"] == "yes")
    assert victim.max_points == 200
    topics = {s.section: s for s in results.sections(summary, column="topic")}
    assert topics["background"].questions == ("agency", "other")


def test_a_scale_of_numeric_choices_has_a_mean(db: None) -> None:
    from caseroom.surveys import actions
    from caseroom.surveys.registry import register_form

    scale = b"""
| survey |
| | type | name | label | guideline_section |
| | select_one five | share | We share information across the border | 3.2 |
| choices |
| | list_name | name | label |
| | five | 1 | Never |
| | five | 2 | Rarely |
| | five | 3 | Sometimes |
| | five | 4 | Often |
| | five | 5 | Always |
"""
    version = register_form(scale, "self.md", "Self-assessment")
    round_ = actions.create_round(version, "Round 1", anonymous=False)
    for value in ["2", "4", "4", "5"]:
        actions.submit(round_, {"share": value})
    summary = results.summarise(version, round_.responses.all())
    numbers = summary.question("share").numbers
    assert numbers is not None and (numbers.mean, numbers.median) == (3.75, 4.0)
    [section] = results.sections(summary)
    assert (section.section, section.mean_choice, section.max_points) == ("3.2", 3.75, 0)
