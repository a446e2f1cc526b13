"""The data set of benchmarks/programmes.py: one programme at scale, bulk-created, seeded.

50,000 people in 7 countries, 5,000 sessions over four years (one in 25 a training of
trainers, all in the first year so their graduates train in the later ones), 20
participants a session (10 in a ToT), two trainers drawn from the graduates, attendance rows
that agree with each enrolment's `days_present`, and a logframe of eight indicators.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

COUNTRIES = ["AL", "BA", "HR", "XK", "ME", "MK", "RS"]
SEXES = ["F"] * 40 + ["M"] * 55 + ["X"] * 1 + [""] * 4  # weights in per cent
AGENCIES = [f"Agency {n:02d}" for n in range(30)]
PARTICIPANTS_PER_SESSION = 20
PARTICIPANTS_PER_TOT = 10
TRAINERS_PER_SESSION = 2
START = dt.date(2024, 1, 1)
END = dt.date(2027, 12, 31)


def _days_present(rng: random.Random, days: int) -> int:
    """Most attend every day; some miss one; a few come once (not trained)."""
    roll = rng.random()
    if roll < 0.80:
        return days
    if roll < 0.95:
        return max(1, days - 1)
    return 1


def build(people_count: int, session_count: int, seed: int) -> tuple[Any, dict[str, int]]:
    """The programme and its records, bulk-created; (programme, row counts)."""
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
    _test_answers(programme)
    with connection.cursor() as cursor_:
        cursor_.execute("ANALYZE")
    return programme, {
        "people": len(people),
        "sessions": len(sessions),
        "tot_sessions": tot_count,
        "enrolments": len(enrolments),
        "attendance": attendance,
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
        ("1.1.g", measure.GAIN_ABOVE, [], {"threshold": "0.3"}),
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


def _test_answers(programme: Any) -> None:
    """Placeholder: 500,000 pre/post test answers join the data set once the questionnaire
    engine (caseroom/xlsform, caseroom/surveys) and the programme's test records land; the
    gain indicators are then timed with the rest."""
