"""The demo programme's needs assessment: ~300 plausible answers, the findings' topics weakest."""

from __future__ import annotations

import random
import time

from caseroom.demo.programme import data
from caseroom.demo.programme.needs import add_needs_assessment
from caseroom.programmes.models import Programme
from caseroom.programmes.needs.results import build_results


def test_the_demo_round_is_closed_with_three_hundred_answers_from_three_audiences(
    programme: Programme,
) -> None:
    started = time.perf_counter()
    assessment = add_needs_assessment(programme, random.Random(2026))
    elapsed = time.perf_counter() - started

    assert elapsed < 3, f"{elapsed:.1f} s: the demo is loaded by make run"
    assert assessment.round is not None
    assert assessment.round.state() == "closed"
    results = build_results(assessment)
    assert results.responses == 300
    audience = results.breakdowns[0]
    assert [(g.key, g.respondents) for g in audience.groups] == [
        ("frontline", 150),
        ("specialised", 90),
        ("migration", 60),
    ]


def test_the_topics_of_the_demo_findings_come_out_weakest(programme: Programme) -> None:
    results = build_results(add_needs_assessment(programme, random.Random(2026)))

    named = {topic.casefold() for topic, _text, _modules in data.FINDINGS}
    weakest = {t.topic.casefold() for t in results.topics[: len(named)]}
    assert weakest == named
    assert all(t.overall.shown for t in results.topics)


def test_the_same_seed_gives_the_same_answers(
    programme: Programme, other_programme: Programme
) -> None:
    first = build_results(add_needs_assessment(programme, random.Random(7)))
    second = build_results(add_needs_assessment(other_programme, random.Random(7)))
    assert first.topics == second.topics
