"""The demo programme's needs assessment: the ready-made form, a closed round of ~300
anonymous answers from the three audiences, in which the topics of the demo's written findings
(data.FINDINGS) come out weakest, as the findings say they were.

Answers are drawn from each audience's level on each topic, checked against the form with
xlsform (a wrong answer here is a bug of this module, raised) and stored in one bulk insert:
300 responses take well under a second instead of 300 submits.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from caseroom.programmes.models import NeedsAssessment, Programme
from caseroom.programmes.needs import actions
from caseroom.surveys import actions as surveys
from caseroom.surveys.models import Response
from caseroom.surveys.registry import form_of
from caseroom.xlsform import review_answers

from . import data

__all__ = ["add_needs_assessment"]

# Audience → (how many answer, their agencies, their countries with weights).
AUDIENCES: dict[str, tuple[int, tuple[str, ...], tuple[tuple[str, int], ...]]] = {
    "frontline": (
        150,
        ("border_police", "uniformed_police", "crime_police", "traffic_police"),
        (("MK", 6), ("RS", 3), ("AL", 1)),
    ),
    "specialised": (
        90,
        ("specialised_unit", "prosecution", "social_services"),
        (("MK", 4), ("RS", 4), ("AL", 2)),
    ),
    "migration": (
        60,
        ("asylum_reception", "labour_inspection", "ngo"),
        (("MK", 5), ("RS", 4), ("AL", 1)),
    ),
}
# How confident each audience is on a topic on average (1-5) before the training; the topics
# of the written findings are set lower below.
USUAL = 3.5
WEAK = 2.1
# Where an audience differs from the rest (its own work is its strength, or its gap).
LEANING: dict[tuple[str, str], float] = {
    ("frontline", "Early identification at the border"): -0.3,
    ("frontline", "Financial investigation"): -0.4,
    ("frontline", "Crime scene and evidence"): 0.4,
    ("specialised", "Criminal networks and investigation"): 0.6,
    ("specialised", "Applicable law and conventions"): 0.7,
    ("specialised", "Cross-border cooperation"): 0.3,
    ("migration", "Asylum seekers"): 0.8,
    ("migration", "Referral of vulnerable migrants"): 0.3,
    ("migration", "Criminal networks and investigation"): -0.8,
    ("migration", "Financial investigation"): -0.3,
}
WISHES = (
    "How to work with interpreters during interviews.",
    "More practice with real cases from our region.",
    "Who to call at night when a victim is found.",
    "Exchange with colleagues from the neighbouring country.",
)
ANSWERED_FROM = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)


def add_needs_assessment(programme: Programme, rng: random.Random) -> NeedsAssessment:
    """The ready form, its round opened, ~300 answers stored and the round closed."""
    with transaction.atomic():
        assessment = actions.open_round(actions.use_ready_form(programme))
        round_ = assessment.round
        assert round_ is not None
        form = form_of(assessment.version)
        levels = {q.name: q.topic for q in form.questions if q.topic}
        weak = {topic.casefold() for topic, _text, _modules in data.FINDINGS}
        rows = []
        for audience, (count, agencies, countries) in AUDIENCES.items():
            for _ in range(count):
                answers = _answers(rng, audience, agencies, countries, levels, weak)
                # Stored as surveys.actions.submit stores them: checked, then normalised.
                review = review_answers(form, answers, "en", today=ANSWERED_FROM.date())
                if review.complaints:
                    raise ValueError(f"demo answers do not fit the form: {review.complaints}")
                moment = ANSWERED_FROM + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 18))
                rows.append(
                    Response(
                        round=round_, submitted_at=moment, language="en", answers=review.answers
                    )
                )
        moments = [row.submitted_at for row in rows if row.submitted_at is not None]
        rows.sort(key=lambda row: row.submitted_at or ANSWERED_FROM)
        Response.objects.bulk_create(rows, batch_size=500)
        last = max(moments)
        surveys.close_round(round_, now=last + dt.timedelta(hours=1))
    return assessment


def _answers(
    rng: random.Random,
    audience: str,
    agencies: tuple[str, ...],
    countries: tuple[tuple[str, int], ...],
    levels: dict[str, str],
    weak: set[str],
) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "audience": audience,
        "agency": rng.choice(agencies),
        "country": rng.choices([c for c, _w in countries], [w for _c, w in countries])[0],
        "years": rng.choices(["lt3", "3to5", "6to10", "11to20", "gt20"], [2, 3, 4, 3, 1])[0],
    }
    for name, topic in levels.items():
        centre = (WEAK if topic.casefold() in weak else USUAL) + LEANING.get((audience, topic), 0)
        answers[name] = str(min(5, max(1, round(rng.gauss(centre, 0.9)))))
    methods = ["simulation", "roleplay", "cases", "experts", "exchange", "online"]
    answers["methods"] = rng.sample(methods, k=rng.randint(1, 3))
    answers["length"] = rng.choices(["one_day", "two_three", "week", "longer"], [2, 6, 2, 1])[0]
    answers["together"] = rng.choices(["yes", "no", "unsure"], [7, 1, 2])[0]
    if rng.random() < 0.15:
        answers["wishes"] = rng.choice(WISHES)
    return answers
