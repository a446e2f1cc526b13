"""Demo learning results: the shipped knowledge test and evaluation for every module, the
rounds of each session that has ended (opened and closed), pre/post tests of about 90 % of
the participants (pre around 45 %, post around 75 %) and anonymous evaluations of about 80 %.

Bulk rows (it runs in `make run`): answers are drawn per question from each person's
ability and scored by xlsform.score, the rule the app uses; test results are written beside
their responses as learning.actions.submit_test does one by one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseroom.programmes.learning import actions
from caseroom.programmes.learning.shipped import register_shipped
from caseroom.programmes.models import (
    Enrolment,
    Programme,
    Purpose,
    Session,
    TestResult,
)
from caseroom.surveys.models import QuestionnaireVersion, Response, Round
from caseroom.surveys.registry import form_of
from caseroom.xlsform import Form, score

__all__ = ["add_learning"]

COMMENTS = (
    "More time for the simulation, please.",
    "The joint work with prosecutors was the most useful part.",
    "Cases from our own region made it concrete.",
    "Too much in one day; the agenda could be lighter.",
    "Interpreting slowed the group work down.",
)


def _clip(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _test_answers(form: Form, ability: float, rng: random.Random) -> dict[str, Any]:
    """Each scored question right with probability `ability`, else one wrong choice."""
    answers: dict[str, Any] = {}
    for question in form.questions:
        if not question.scored:
            continue
        right = rng.random() < ability
        wrong = [c.name for c in form.choices_of(question) if c.name not in question.correct]
        if question.type == "select_multiple":
            answers[question.name] = list(question.correct) if right else [rng.choice(wrong)]
        else:
            answers[question.name] = question.correct[0] if right else rng.choice(wrong)
    return answers


def _evaluation_answers(form: Form, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in form.questions:
        if question.type == "select_one":
            answers[question.name] = rng.choices("12345", weights=(1, 2, 8, 30, 35))[0]
        elif question.type == "text" and rng.random() < 0.25:
            answers[question.name] = rng.choice(COMMENTS)
    return answers


def _rounds(
    session: Session, versions: dict[str, QuestionnaireVersion], closed_at: dt.datetime
) -> dict[str, Round]:
    """The session's three rounds, opened and closed through the app's own actions."""
    rounds = {}
    for purpose in (Purpose.PRE, Purpose.POST, Purpose.EVALUATION):
        session_round = actions.open_session_round(session, purpose)
        Round.objects.filter(pk=session_round.round_id).update(accepting=False, closed_at=closed_at)
        rounds[purpose.value] = session_round.round
    return rounds


def _at(day: dt.date, hour: int, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))
    return timezone.make_aware(moment)


def add_learning(programme: Programme, rng: random.Random, *, today: dt.date | None = None) -> None:
    """Tests and evaluations for the demo programme's sessions that ended before `today`."""
    today = today or timezone.localdate()
    test = register_shipped("knowledge_test")
    evaluation = register_shipped("session_evaluation")
    versions = {"pre": test, "post": test, "evaluation": evaluation}
    test_form, evaluation_form = form_of(test), form_of(evaluation)
    with transaction.atomic():
        for module in programme.modules.all():
            for purpose, version in versions.items():
                actions.choose_version(module, purpose, version)
        sessions = list(
            Session.objects.filter(module__programme=programme, ends_on__lt=today)
            .exclude(learning_rounds__isnull=False)
            .order_by("starts_on", "pk")
        )
        participants: dict[int, list[int]] = {}
        for session_id, enrolment_id in Enrolment.objects.filter(
            session__in=sessions, role=Enrolment.Role.PARTICIPANT
        ).values_list("session_id", "pk"):
            participants.setdefault(session_id, []).append(enrolment_id)
        responses: list[Response] = []
        owners: list[tuple[int, str]] = []  # (enrolment id, purpose) of each test response
        for session in sessions:
            rounds = _rounds(session, versions, _at(session.ends_on, 18, rng))
            people = participants.get(session.pk, [])
            _session_answers(
                session, rounds, people, test_form, evaluation_form, rng, responses, owners
            )
        Response.objects.bulk_create(responses, batch_size=500)
        tested = [r for r in responses if r.max_score]
        TestResult.objects.bulk_create(
            [
                TestResult(
                    enrolment_id=enrolment_id,
                    purpose=purpose,
                    response=response,
                    score=response.score or 0,
                    max_score=response.max_score or 1,
                )
                for (enrolment_id, purpose), response in zip(owners, tested, strict=True)
            ],
            batch_size=500,
        )


def _session_answers(
    session: Session,
    rounds: dict[str, Round],
    people: Sequence[int],
    test_form: Form,
    evaluation_form: Form,
    rng: random.Random,
    responses: list[Response],
    owners: list[tuple[int, str]],
) -> None:
    for enrolment_id in people:
        if rng.random() < 0.9:
            before = _clip(rng.gauss(0.45, 0.15), 0.05, 0.95)
            after = _clip(before + (1 - before) * _clip(rng.gauss(0.55, 0.22), -0.1, 1.0))
            for purpose, ability, day, hour in (
                ("pre", before, session.starts_on, 9),
                ("post", after, session.ends_on, 16),
            ):
                answers = _test_answers(test_form, ability, rng)
                result = score(test_form, answers)
                responses.append(
                    Response(
                        round=rounds[purpose],
                        submitted_at=_at(day, hour, rng),
                        language="en",
                        answers=answers,
                        score=result.points,
                        max_score=result.max_points,
                    )
                )
                owners.append((enrolment_id, purpose))
        if rng.random() < 0.8:
            responses.append(
                Response(
                    round=rounds["evaluation"],
                    submitted_at=_at(session.ends_on, 17, rng),
                    language="en",
                    answers=_evaluation_answers(evaluation_form, rng),
                )
            )
