"""Builds the demo programme once (by title): records through the apps' own actions where
an invariant lives in them (session codes and agendas, attendance counts, certificates),
bulk rows elsewhere. Deterministic: the same seed gives the same people every time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation

from caseroom.exercises.models import Exercise
from caseroom.programmes.delivery import actions as delivery
from caseroom.programmes.models import (
    COUNTRIES,
    ActionItem,
    Attendance,
    Decision,
    Enrolment,
    Finding,
    Indicator,
    Meeting,
    Membership,
    Module,
    Outcome,
    Output,
    Person,
    Programme,
    Seat,
    SensitiveRecord,
    Session,
    SessionExercise,
    Topic,
    WorkingGroupMember,
)
from caseroom.programmes.people.names import match_key
from caseroom.programmes.results.certificates import issue_for_session

from . import data
from .learning import add_learning
from .needs import add_needs_assessment

DEMO_TITLE = "Demo: Strengthening the response to trafficking and smuggling"
JOINT_COURSE = "Joint simulation course (RS-MK)"
SEED = 2026
Measure = Indicator.Measure


@dataclass
class _People:
    """Everyone made so far, by country, and who graduated from the ToT."""

    rng: random.Random
    programme: Programme
    made: list[Person] = field(default_factory=list)
    graduates: dict[str, list[Person]] = field(default_factory=dict)

    def new(self, agencies: Sequence[str], country: str, share_female: float) -> Person:
        female = self.rng.random() < share_female
        given = self.rng.choice(data.GIVEN_F if female else data.GIVEN_M)
        family = self.rng.choice(data.FAMILY)
        if female and family.endswith(("ov", "ev", "ski")):
            family = family + "a"  # Macedonian and Bulgarian feminine forms
        person = Person(
            programme=self.programme,
            given_name=given,
            family_name=family,
            agency=self.rng.choice(agencies),
            function=self.rng.choice(["Officer", "Senior officer", "Inspector", "Head of unit"]),
            country=country,
            sex=Person.Sex.FEMALE if female else Person.Sex.MALE,
            match_key=match_key(given, family),
        )
        self.made.append(person)
        return person


def ensure_demo_programme(
    manager: User, trainer: User, finished: Exercise | None = None
) -> tuple[Programme, bool]:
    """The demo programme, built once; (programme, created)."""
    existing = Programme.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        programme = _programme(manager, trainer)
        _logframe(programme)
        modules = _modules(programme)
        _design(programme, modules)
        add_needs_assessment(programme, random.Random(SEED))
        _deliver(programme, modules, finished)
        add_learning(programme, random.Random(SEED))
        for session in Session.objects.filter(module__programme=programme).order_by("pk"):
            issue_for_session(session, by=manager)
    return programme, True


def _programme(manager: User, trainer: User) -> Programme:
    programme = Programme.objects.create(
        title=DEMO_TITLE,
        funder="Fictional Donor Fund",
        implementer="Regional Training Academy (fictional)",
        starts_on=data.D(2026, 1, 1),
        ends_on=data.D(2027, 6, 30),
        countries=["MK", "RS", "AL"],
        summary=(
            "A needs assessment, a technical working group of the ministries, three modules "
            "for three audiences and a training of trainers whose graduates run the course "
            "at home. All people and places in this demo are invented."
        ),
    )
    Membership.objects.create(user=manager, programme=programme, role=Membership.Role.MANAGER)
    Membership.objects.create(user=trainer, programme=programme, role=Membership.Role.TRAINER)
    return programme


def _logframe(programme: Programme) -> None:
    first = Outcome.objects.create(
        programme=programme,
        code="1",
        title="Police, prosecutors and social services identify, investigate and refer "
        "trafficking and smuggling cases more effectively",
    )
    trained = Output.objects.create(
        outcome=first, code="1.1", title="Front-line and specialised officials trained"
    )
    cascade = Output.objects.create(
        outcome=first, code="1.2", title="National trainers deliver the course at home"
    )
    second = Outcome.objects.create(
        programme=programme, code="2", title="Cross-border cooperation in cases is used more"
    )
    cooperation = Output.objects.create(
        outcome=second, code="2.1", title="Joint investigation teams proposed by trainees"
    )
    rows = [
        (trained, "1.1.a", "People trained", "people", 480, Measure.PEOPLE_TRAINED, None,
         ["sex", "agency", "country"]),
        (trained, "1.1.b", "Sessions delivered", "sessions", 18, Measure.SESSIONS, None,
         ["country"]),
        (trained, "1.1.c", "Training days delivered", "days", 42, Measure.TRAINING_DAYS, None,
         []),
        (trained, "1.1.d", "Share of trainees with a learning gain of 0.3 or more", "%", 70,
         Measure.GAIN_ABOVE, "0.3", ["sex"]),
        (cascade, "1.2.a", "National trainers certified", "trainers", 10, Measure.TRAINERS,
         None, ["country"]),
        (cascade, "1.2.b", "People reached by national trainers", "people", 100,
         Measure.TOT_REACH, None, ["country"]),
        (cooperation, "2.1.a", "Joint investigation teams proposed", "teams", 3, Measure.MANUAL,
         None, []),
    ]  # fmt: skip
    Indicator.objects.bulk_create(
        [
            Indicator(
                output=output,
                code=code,
                title=title,
                unit=unit,
                target=target,
                measure=measure,
                threshold=threshold,
                disaggregation=dims,
                manual_value=2 if measure == Measure.MANUAL else None,
            )
            for output, code, title, unit, target, measure, threshold, dims in rows
        ]
    )


def _modules(programme: Programme) -> dict[int, Module]:
    modules = {}
    for plan in data.MODULES:
        module = Module.objects.create(
            programme=programme,
            number=plan.number,
            title=plan.title,
            audience=plan.audience,
            objectives=plan.objectives,
            planned_sessions=len(plan.sessions),
            planned_people=plan.planned_people,
            days_per_session=plan.days,
        )
        Topic.objects.bulk_create(
            [
                Topic(module=module, order=i, title=title, minutes=90)
                for i, title in enumerate(plan.topics)
            ]
        )
        modules[plan.number] = module
    return modules


def _design(programme: Programme, modules: dict[int, Module]) -> None:
    for topic, text, numbers in data.FINDINGS:
        finding = Finding.objects.create(programme=programme, topic=topic, text=text)
        finding.modules.set([modules[n] for n in numbers])
    members = [
        WorkingGroupMember.objects.create(
            programme=programme, name=name, institution=institution, function=function
        )
        for name, institution, function in data.WORKING_GROUP
    ]
    for held_on, place, agenda, minutes, decisions, items, shaped in data.MEETINGS:
        meeting = Meeting.objects.create(
            programme=programme, held_on=held_on, place=place, agenda=agenda, minutes=minutes
        )
        meeting.present.set(members[:5] if held_on.month == 6 else members)
        meeting.modules.set([modules[n] for n in shaped])
        Decision.objects.bulk_create([Decision(meeting=meeting, text=t) for t in decisions])
        ActionItem.objects.bulk_create(
            [
                ActionItem(meeting=meeting, text=t, owner=members[o], due_on=due, status=status)
                for t, o, due, status in items
            ]
        )


def _deliver(programme: Programme, modules: dict[int, Module], finished: Exercise | None) -> None:
    people = _People(random.Random(SEED), programme)
    enrolments: list[tuple[Session, Person, str]] = []
    module_one: list[Person] = []
    for plan in data.MODULES:
        module = modules[plan.number]
        for title, place, country, first_day, size, is_tot in plan.sessions:
            session = delivery.create_session(
                module,
                {
                    "title": title,
                    "starts_on": first_day,
                    "ends_on": first_day + dt.timedelta(days=plan.days - 1),
                    "days": plan.days,
                    "place": place,
                    "country": country,
                    "is_tot": is_tot,
                },
            )
            if title == JOINT_COURSE and finished is not None:
                group = _players_of(finished, session, people)
            else:
                group = _participants(people, plan, session, size, module_one)
            enrolments += [(session, person, Enrolment.Role.PARTICIPANT) for person in group]
            if plan.number == 1:
                module_one += group
            if is_tot:
                for person in group:
                    people.graduates.setdefault(person.country, []).append(person)
            else:
                enrolments += [
                    (session, person, Enrolment.Role.TRAINER)
                    for person in _trainers(people, session)
                ]
    _lookalikes(people, enrolments)
    Person.objects.bulk_create(people.made)
    _enrol_with_attendance(people.rng, enrolments)
    _communities(people.rng, module_one)


def _participants(
    people: _People,
    plan: data.ModulePlan,
    session: Session,
    size: int,
    module_one: list[Person],
) -> list[Person]:
    # About one in eight of a later national session took Module 1 before: the same person.
    returning: list[Person] = []
    if plan.number == 2 and session.country == "MK":
        returning = people.rng.sample(module_one, k=min(len(module_one), size // 8))
    # A regional training of trainers takes candidates from every country in turn.
    countries = ["RS", "MK", "AL"] if session.is_tot else [session.country]
    made = [
        people.new(plan.agencies, countries[i % len(countries)], plan.share_female)
        for i in range(size - len(returning))
    ]
    return returning + made


def _trainers(people: _People, session: Session) -> list[Person]:
    """Two ToT graduates of the session's country deliver it (none before the ToT)."""
    graduates = people.graduates.get(session.country, [])
    return people.rng.sample(graduates, k=min(2, len(graduates)))


def _country_code(name: str, default: str) -> str:
    """The exercise asks players for their country by name (in English in the demo script);
    the registry keeps the code."""
    with translation.override("en"):
        codes = {str(label): code for code, label in COUNTRIES}
    return codes.get(name, default)


def _players_of(finished: Exercise, session: Session, people: _People) -> list[Person]:
    """The finished demo exercise was played in this course: its players are enrolled and
    seated, so their team's results count for them."""
    players = list(finished.participants.order_by("pk"))
    group = []
    for participant in players:
        given, _space, family = participant.name.partition(" ")
        group.append(
            Person(
                programme=people.programme,
                given_name=given,
                family_name=family or given,
                agency=participant.agency,
                country=_country_code(participant.country, session.country),
                sex=Person.Sex.FEMALE if given in data.PLAYERS_FEMALE else Person.Sex.MALE,
                match_key=match_key(given, family or given),
            )
        )
    Person.objects.bulk_create(group)
    SessionExercise.objects.create(session=session, exercise=finished)
    Seat.objects.bulk_create(
        [Seat(person=p, participant=x) for p, x in zip(group, players, strict=True)]
    )
    return group


def _lookalikes(people: _People, enrolments: list[tuple[Session, Person, str]]) -> None:
    """Three people registered twice under a slightly different spelling (the registry's
    look-alikes page suggests them), each time in a Module 3 session."""
    later = [s for s, _p, _r in enrolments if s.module.number == 3]
    for original in people.rng.sample(people.made[:200], k=3):
        twin = Person(
            programme=people.programme,
            given_name=original.given_name,
            family_name=original.family_name.replace("ć", "c").replace("š", "s") + " ",
            agency=original.agency,
            country=original.country,
            sex=original.sex,
            match_key="",
        )
        twin.family_name = twin.family_name.strip()
        if twin.family_name == original.family_name:
            twin.given_name = original.given_name[:-1] + original.given_name[-1].upper()
        twin.match_key = match_key(twin.given_name, twin.family_name)
        people.made.append(twin)
        enrolments.append((people.rng.choice(later), twin, Enrolment.Role.PARTICIPANT))


def _enrol_with_attendance(
    rng: random.Random, enrolments: list[tuple[Session, Person, str]]
) -> None:
    rows = []
    seen: set[tuple[int, int]] = set()
    for session, person, role in enrolments:
        if (session.pk, person.pk) in seen:
            continue
        seen.add((session.pk, person.pk))
        luck = rng.random()
        days = session.days if luck < 0.9 else session.days - 1 if luck < 0.97 else 1
        rows.append(Enrolment(session=session, person=person, role=role, days_present=days))
    made = Enrolment.objects.bulk_create(rows)
    Attendance.objects.bulk_create(
        [Attendance(enrolment=e, day=day) for e in made for day in range(1, e.days_present + 1)]
    )


def _communities(rng: random.Random, module_one: list[Person]) -> None:
    """Module 1 asked for a self-identified community; about four in five agreed."""
    names = [name for name, _weight in data.COMMUNITIES]
    weights = [weight for _name, weight in data.COMMUNITIES]
    now = timezone.now()
    SensitiveRecord.objects.bulk_create(
        [
            SensitiveRecord(
                person=person,
                community=rng.choices(names, weights)[0],
                consent_text=data.CONSENT_TEXT,
                consent_given_at=now,
            )
            for person in dict.fromkeys(module_one)
            if rng.random() < 0.8
        ]
    )
