"""A small programme whose every number is known, for the certificate and report tests.

Module 1 "Fundamentals" (rule 80 %):
- S1, Kumanovo MK, 2 days, March 2026: 6 women of the MK Border Police completed; 1 more
  woman attended 1 day of 2 (not trained).
- S2, Belgrade RS, 3 days, May 2026: 7 men and 5 women of the RS Police completed; trained
  by ToT graduate A.
- S0, Skopje MK, November 2025 (before the programme's period): 3 men, completed.
Module 2 "Training of trainers" (rule 50 %):
- T1, Novi Sad RS, 2 days, February 2026, a ToT: A and B, two women of the RS Prosecution,
  completed.

In the programme's period: 20 people trained (F·RS 7, F·MK 6, M·RS 7, M·MK 0), by agency
Police 12, Border Police 6, Prosecution 2; by module 18 and 2; 3 sessions (M1: RS 1, MK 1;
M2: RS 1), 7 training days (M1: RS 3, MK 2; M2: RS 2); 2 ToT trainers, who reached 12.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from caseroom.programmes.models import (
    Enrolment,
    Indicator,
    Module,
    Outcome,
    Output,
    Person,
    Programme,
    Session,
)

_serial = itertools.count(1)


def people(
    programme: Programme, n: int, *, sex: str, country: str, agency: str, family: str = "Test"
) -> list[Person]:
    made = []
    for _ in range(n):
        k = next(_serial)
        made.append(
            Person.objects.create(
                programme=programme,
                given_name=f"P{k}",
                family_name=family,
                agency=agency,
                country=country,
                sex=sex,
                email=f"p{k}@example.org",
                match_key=f"{family.lower()} p{k}",
            )
        )
    return made


def enrol(
    session: Session, persons: list[Person], *, days: int, role: str = "participant"
) -> list[Enrolment]:
    return [
        Enrolment.objects.create(session=session, person=p, days_present=days, role=role)
        for p in persons
    ]


def session_of(
    module: Module, title: str, start: dt.date, days: int, place: str, country: str, **extra: bool
) -> Session:
    return Session.objects.create(
        module=module,
        title=title,
        starts_on=start,
        ends_on=start + dt.timedelta(days=days - 1),
        days=days,
        place=place,
        country=country,
        code=f"C{next(_serial):07d}",
        **extra,
    )


@dataclass
class Known:
    programme: Programme
    fundamentals: Module
    tot: Module
    s1: Session
    s2: Session
    t1: Session
    trainer_a: Person


def known_programme(programme: Programme) -> Known:
    fundamentals = Module.objects.create(
        programme=programme, number=1, title="Fundamentals", audience="Police", attendance_rule=80
    )
    tot = Module.objects.create(
        programme=programme,
        number=2,
        title="Training of trainers",
        audience="Trainers",
        attendance_rule=50,
    )
    s1 = session_of(
        fundamentals, "Fundamentals, Kumanovo", dt.date(2026, 3, 2), 2, "Kumanovo", "MK"
    )
    s2 = session_of(
        fundamentals, "Fundamentals, Belgrade", dt.date(2026, 5, 10), 3, "Belgrade", "RS"
    )
    s0 = session_of(fundamentals, "Fundamentals, Skopje", dt.date(2025, 11, 3), 1, "Skopje", "MK")
    t1 = session_of(tot, "ToT, Novi Sad", dt.date(2026, 2, 2), 2, "Novi Sad", "RS", is_tot=True)
    enrol(s1, people(programme, 6, sex="F", country="MK", agency="Border Police"), days=2)
    enrol(s1, people(programme, 1, sex="F", country="MK", agency="Border Police"), days=1)
    enrol(s2, people(programme, 7, sex="M", country="RS", agency="Police"), days=3)
    enrol(s2, people(programme, 5, sex="F", country="RS", agency="Police"), days=3)
    enrol(s0, people(programme, 3, sex="M", country="MK", agency="Police"), days=1)
    a, b = people(programme, 2, sex="F", country="RS", agency="Prosecution", family="Trainer")
    enrol(t1, [a, b], days=1)
    enrol(s2, [a], days=3, role="trainer")
    return Known(programme, fundamentals, tot, s1, s2, t1, a)


def logframe(programme: Programme, module: Module | None = None) -> dict[str, Indicator]:
    outcome = Outcome.objects.create(programme=programme, code="1", title="Better investigations")
    output = Output.objects.create(outcome=outcome, code="1.1", title="Officers trained")
    measure = Indicator.Measure

    def indicator(code: str, m: str, target: int, **extra: object) -> Indicator:
        return Indicator.objects.create(
            output=output, code=code, title=f"Indicator {code}", target=target, measure=m, **extra
        )

    return {
        "people": indicator("1.1.a", measure.PEOPLE_TRAINED, 40, disaggregation=["sex", "country"]),
        "sessions": indicator("1.1.b", measure.SESSIONS, 6, disaggregation=["module", "sex"]),
        "days": indicator("1.1.c", measure.TRAINING_DAYS, 14),
        "tot_people": indicator("1.1.d", measure.PEOPLE_TRAINED, 10, module=module),
        "manual": indicator("1.1.e", measure.MANUAL, 25, manual_value=Decimal("12.5")),
        "gain": indicator("1.1.f", measure.GAIN_ABOVE, 80, threshold=Decimal("0.3")),
        "reach": indicator("1.1.g", measure.TOT_REACH, 24, disaggregation=["agency"]),
        "trainers": indicator("1.1.h", measure.TRAINERS, 4),
    }
