"""The data set of benchmarks/programmes.py: one programme at scale, bulk-created, seeded.

50,000 people in 7 countries, 5,000 sessions over four years (one in 25 a training of
trainers, all in the first year so their graduates train in the later ones), 20
participants a session (10 in a ToT), two trainers drawn from the graduates, attendance rows
that agree with each enrolment's `days_present`, a logframe of eight indicators (one of them
gain_above), and 50,000 pre- and post-test responses to the shipped 10-question knowledge
test (500,000 answered questions) with their TestResults, in sessions of the four modules.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

COUNTRIES = ["AL", "BA", "HR", "XK", "ME", "MK", "RS"]
SEXES = ["F"] * 40 + ["M"] * 55 + ["X"] * 1 + [""] * 4  # weights in per cent
AGENCIES = [f"Agency {n:02d}" for n in range(30)]
PARTICIPANTS_PER_SESSION = 20
PARTICIPANTS_PER_TOT = 10
TRAINERS_PER_SESSION = 2
START = dt.date(2024, 1, 1)
END = dt.date(2027, 12, 31)
# 50,000 pre/post-tests of the 10-question knowledge test: 500,000 answered questions.
TEST_RESPONSES = 50_000


def _days_present(rng: random.Random, days: int) -> int:
    """Most attend every day; some miss one; a few come once (not trained)."""
    roll = rng.random()
    if roll < 0.80:
        return days
    if roll < 0.95:
        return max(1, days - 1)
    return 1


def build(
    people_count: int, session_count: int, seed: int, test_responses: int = TEST_RESPONSES
) -> tuple[Any, dict[str, Any]]:
    """The programme and its records, bulk-created; (programme, row counts and the test
    answers' build time)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from caseroom.programmes.models import (
        Attendance,
        Enrolment,
        Indicator,
        Module,
        Outcome,
        Output,
        Person,
        Programme,
        Session,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    with transaction.atomic():
        programme = Programme.objects.create(
            title="Benchmark programme", starts_on=START, ends_on=END, countries=COUNTRIES
        )
        modules = [
            Module.objects.create(
                programme=programme, number=n, title=f"Module {n}", audience="Officers"
            )
            for n in range(1, 5)
        ]
        tot_module = Module.objects.create(
            programme=programme, number=5, title="Training of trainers", audience="Trainers"
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    programme=programme,
                    given_name=f"Given{n}",
                    family_name=f"Family{n:05d}",
                    agency=rng.choice(AGENCIES),
                    country=rng.choice(COUNTRIES),
                    sex=rng.choice(SEXES),
                    match_key=f"family{n:05d} given{n}",
                )
                for n in range(people_count)
            ],
            batch_size=5000,
        )
        span = (END - START).days - 5
        tot_count = max(1, session_count // 25)
        sessions = []
        for n in range(session_count):
            is_tot = n < tot_count
            days = rng.choice((2, 3)) if not is_tot else 3
            # ToTs in the first year, so their graduates can train in the later ones.
            start = START + dt.timedelta(days=rng.randrange(300 if is_tot else span))
            sessions.append(
                Session(
                    module=tot_module if is_tot else modules[n % len(modules)],
                    title=f"Session {n}",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=days - 1),
                    days=days,
                    place=f"Town {n % 40}",
                    country=COUNTRIES[n % len(COUNTRIES)],
                    is_tot=is_tot,
                    code=f"B{n:07d}",
                )
            )
        sessions = Session.objects.bulk_create(sessions, batch_size=5000)
    graduates: list[int] = []
    graduated: set[int] = set()
    trained_from = START + dt.timedelta(days=310)  # after every ToT has ended
    enrolments: list[Enrolment] = []
    cursor = 0
    for session in sessions:
        size = PARTICIPANTS_PER_TOT if session.is_tot else PARTICIPANTS_PER_SESSION
        chosen = [people[(cursor + k) % people_count] for k in range(size)]
        cursor += size
        for person in chosen:
            present = _days_present(rng, session.days)
            enrolments.append(Enrolment(session=session, person=person, days_present=present))
            if session.is_tot and present == session.days and person.pk not in graduated:
                graduated.add(person.pk)
                graduates.append(person.pk)
        if not session.is_tot and graduates and session.starts_on >= trained_from:
            taken = {p.pk for p in chosen}
            for trainer in rng.sample(graduates, min(TRAINERS_PER_SESSION, len(graduates))):
                if trainer not in taken:
                    enrolments.append(
                        Enrolment(
                            session=session,
                            person_id=trainer,
                            role=Enrolment.Role.TRAINER,
                            days_present=session.days,
                        )
                    )
    with transaction.atomic():
        enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    attendance = 0
    batch: list[Attendance] = []
    for enrolment in enrolments:
        batch += [
            Attendance(enrolment=enrolment, day=d) for d in range(1, enrolment.days_present + 1)
        ]
        if len(batch) >= 50_000 or enrolment is enrolments[-1]:
            with transaction.atomic():
                Attendance.objects.bulk_create(batch, batch_size=5000)
            attendance += len(batch)
            batch.clear()
    with transaction.atomic():
        _logframe(programme, modules[0], Outcome, Output, Indicator)
    began = time.perf_counter()
    tests = _test_answers(programme, modules, sessions, enrolments, rng, test_responses)
    tests_s = time.perf_counter() - began
    with connection.cursor() as cursor_:
        cursor_.execute("ANALYZE")
    return programme, {
        "people": len(people),
        "sessions": len(sessions),
        "tot_sessions": tot_count,
        "enrolments": len(enrolments),
        "attendance": attendance,
        **tests,
        "tests_insert_s": round(tests_s, 1),
    }


def _logframe(
    programme: Any, module: Any, outcome_model: Any, output_model: Any, indicator: Any
) -> None:
    outcome = outcome_model.objects.create(programme=programme, code="1", title="Capacity")
    output = output_model.objects.create(outcome=outcome, code="1.1", title="Trained")
    measure = indicator.Measure
    for code, m, dims, extra in (
        ("1.1.a", measure.PEOPLE_TRAINED, ["sex", "country"], {}),
        ("1.1.b", measure.PEOPLE_TRAINED, ["agency"], {"module": module}),
        ("1.1.c", measure.SESSIONS, ["module", "country"], {}),
        ("1.1.d", measure.TRAINING_DAYS, ["country"], {}),
        ("1.1.e", measure.TRAINERS, ["sex"], {}),
        ("1.1.f", measure.TOT_REACH, ["country"], {}),
        ("1.1.g", measure.GAIN_ABOVE, ["sex", "country"], {"threshold": "0.3"}),
        ("1.1.h", measure.MANUAL, [], {"manual_value": 12}),
    ):
        indicator.objects.create(
            output=output,
            code=code,
            title=f"Indicator {code}",
            target=1000,
            measure=m,
            disaggregation=dims,
            **extra,
        )


def _answers(
    rng: random.Random, questions: list[tuple[str, str, tuple[str, ...], list[str]]], p: float
) -> dict[str, Any]:
    """One sitting of the test as `surveys.actions.submit` stores it (review_answers'
    normalised shape: a select_multiple as a list of choice names): each question right
    with probability `p`, otherwise one of the wrong options."""
    answers: dict[str, Any] = {}
    for name, kind, correct, options in questions:
        right = rng.random() < p
        if kind == "select_multiple":
            if right:
                answers[name] = [o for o in options if o in correct]
            else:
                # A different non-empty set: one of the right ones left out, or a wrong one in.
                picked = set(correct)
                if rng.random() < 0.5 and len(picked) > 1:
                    picked.discard(rng.choice(sorted(picked)))
                else:
                    picked.add(rng.choice([o for o in options if o not in correct]))
                answers[name] = [o for o in options if o in picked]
        else:
            answers[name] = (
                correct[0] if right else rng.choice([o for o in options if o not in correct])
            )
    return answers


def _test_answers(
    programme: Any,
    modules: list[Any],
    sessions: list[Any],
    enrolments: list[Any],
    rng: random.Random,
    target: int,
) -> dict[str, int]:
    """`target` test responses (pre- and post-tests of the shipped 10-question knowledge
    test, so 10 answered questions each) in sessions drawn at random from the four modules'
    (not the ToTs'): a participant takes the pre-test with probability 0.97 and the
    post-test, if present on the last day, with 0.95; the last session drawn may be tested
    in part, so that the count is exact. Each response has its TestResult (score copied)
    and each tested session its two rounds (SessionRound, closed after the session)."""
    from django.db import transaction

    from caseroom.programmes.learning.shipped import register_shipped
    from caseroom.programmes.models import (
        Enrolment,
        LearningPlan,
        Purpose,
        SessionRound,
        TestResult,
    )
    from caseroom.surveys.models import CODE_ALPHABET, Response, Round
    from caseroom.surveys.registry import form_of
    from caseroom.xlsform import review_answers, score

    if target <= 0:
        return {"test_responses": 0, "test_answers": 0, "tested_sessions": 0}
    with transaction.atomic():
        version = register_shipped("knowledge_test")
        LearningPlan.objects.bulk_create(
            [
                LearningPlan(
                    module=module,
                    pre_test=version,
                    post_test=version,
                    # One module asks for more (a "medium" gain of 0.4), the rest for 0.3.
                    gain_threshold=Decimal("0.400") if module.number == 2 else Decimal("0.300"),
                )
                for module in modules
            ]
        )
    form = form_of(version)
    questions = [
        (q.name, q.type, q.correct, [c.name for c in form.choices[q.list_name]])
        for q in form.questions
        if q.correct
    ]
    by_session: dict[int, list[Any]] = {}
    for enrolment in enrolments:
        if enrolment.role == Enrolment.Role.PARTICIPANT and not enrolment.session.is_tot:
            by_session.setdefault(enrolment.session_id, []).append(enrolment)
    order = [s for s in sessions if not s.is_tot]
    rng.shuffle(order)
    rounds: list[tuple[Any, Any, str]] = []  # (Round, session, purpose)
    # (enrolment, purpose, round, when, answers), one per response
    sittings: list[tuple[Any, str, Any, dt.datetime, dict[str, Any]]] = []
    for session in order:
        if len(sittings) >= target:
            break
        pre_at = dt.datetime.combine(session.starts_on, dt.time(9, 0), tzinfo=dt.UTC)
        post_at = dt.datetime.combine(session.ends_on, dt.time(15, 30), tzinfo=dt.UTC)
        pair: dict[str, tuple[Any, dt.datetime]] = {}
        for purpose, at in ((Purpose.PRE, pre_at), (Purpose.POST, post_at)):
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
            round_ = Round(
                title=f"{session.title}: {purpose.label}",
                version=version,
                code=code,
                anonymous=False,
                accepting=False,
                opens_at=at - dt.timedelta(minutes=30),
                closed_at=at + dt.timedelta(hours=1),
            )
            rounds.append((round_, session, purpose))
            pair[purpose] = (round_, at)
        for enrolment in by_session.get(session.pk, []):
            # The person's level before, and the share of the rest they learn (Hake's g).
            before = min(0.95, max(0.05, rng.gauss(0.45, 0.15)))
            gain = min(1.0, max(-0.2, rng.gauss(0.45, 0.25)))
            after = min(1.0, max(0.0, before + gain * (1 - before)))
            if rng.random() < 0.97 and len(sittings) < target:
                sittings.append(
                    (enrolment, Purpose.PRE, *pair[Purpose.PRE], _answers(rng, questions, before))
                )
            on_last_day = enrolment.days_present == session.days
            if on_last_day and rng.random() < 0.95 and len(sittings) < target:
                sittings.append(
                    (enrolment, Purpose.POST, *pair[Purpose.POST], _answers(rng, questions, after))
                )
    # The stored shape is review_answers' own: checked on a sample, so the data stays real.
    for *_sitting, answers in sittings[:200]:
        review = review_answers(form, answers, "en", today=None)
        assert not review.complaints and review.answers == answers, (answers, review)
    with transaction.atomic():
        Round.objects.bulk_create([r for r, _s, _p in rounds], batch_size=2000)
        SessionRound.objects.bulk_create(
            [SessionRound(session=s, purpose=p, round=r) for r, s, p in rounds], batch_size=5000
        )
    answered = 0
    for start in range(0, len(sittings), 10_000):
        chunk = sittings[start : start + 10_000]
        responses, scores = [], []
        for _enrolment, _purpose, round_, at, answers in chunk:
            result = score(form, answers)
            scores.append((result.points, result.max_points))
            answered += sum(1 for q in result.per_question if q.answered)
            responses.append(
                Response(
                    round=round_,
                    submitted_at=at + dt.timedelta(minutes=rng.randrange(10, 50)),
                    language="en",
                    answers=answers,
                    score=result.points,
                    max_score=result.max_points,
                )
            )
        with transaction.atomic():
            responses = Response.objects.bulk_create(responses, batch_size=2000)
            TestResult.objects.bulk_create(
                [
                    TestResult(
                        enrolment=enrolment,
                        purpose=purpose,
                        response=response,
                        score=points,
                        max_score=max_points,
                    )
                    for (enrolment, purpose, *_rest), response, (points, max_points) in zip(
                        chunk, responses, scores, strict=True
                    )
                ],
                batch_size=5000,
            )
    return {
        "test_responses": len(sittings),
        "test_answers": answered,
        "tested_sessions": len(rounds) // 2,
    }
