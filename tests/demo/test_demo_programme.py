"""The demo programme has the seed programme's shape (shared/domain/programmes.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from caseroom.demo.programme import ensure_demo_programme
from caseroom.programmes.counting import completed
from caseroom.programmes.models import (
    Enrolment,
    Meeting,
    Membership,
    Person,
    Programme,
    SensitiveRecord,
    Session,
)
from caseroom.programmes.people.lookalikes import suggestions

pytestmark = pytest.mark.django_db
Demo = tuple[Programme, User, User]


@pytest.fixture
def demo() -> Demo:
    manager = User.objects.create_user("manager", is_staff=True)
    trainer = User.objects.create_user("facilitator", is_staff=True)
    programme, created = ensure_demo_programme(manager, trainer)
    assert created
    return programme, manager, trainer


def test_three_modules_with_the_seeds_sessions_people_and_days(demo: Demo) -> None:
    programme = demo[0]
    sessions = Session.objects.filter(module__programme=programme)
    by_module = {n: sessions.filter(module__number=n) for n in (1, 2, 3)}
    assert [s.count() for s in by_module.values()] == [8, 6, 4]
    assert sum(s.days for s in by_module[1]) == 16
    participants = Enrolment.objects.filter(role=Enrolment.Role.PARTICIPANT)
    assert participants.filter(session__module__number=1).count() == 267
    assert 100 <= participants.filter(session__module__number=2).count() <= 130
    assert 95 <= participants.filter(session__module__number=3).count() <= 110
    assert Meeting.objects.filter(programme=programme).count() == 3


def test_the_tot_graduates_train_the_national_sessions(demo: Demo) -> None:
    tot = Session.objects.get(is_tot=True)
    graduates = set(completed(tot.enrolments.all()).values_list("person", flat=True))
    trainers = set(
        Enrolment.objects.filter(role=Enrolment.Role.TRAINER).values_list("person", flat=True)
    )
    assert trainers and trainers <= {e.person_id for e in tot.enrolments.all()}
    assert len(graduates) >= 9
    assert set(tot.enrolments.values_list("person__country", flat=True)) == {"RS", "MK", "AL"}


def test_some_people_return_in_a_later_module_as_the_same_person(demo: Demo) -> None:
    returning = (
        Person.objects.filter(enrolments__session__module__number=1)
        .filter(enrolments__session__module__number=2)
        .distinct()
    )
    assert returning.count() >= 5


def test_three_people_registered_twice_are_suggested_as_look_alikes(demo: Demo) -> None:
    assert len(suggestions(demo[0])) >= 3


def test_more_than_thirty_percent_of_those_asked_are_of_non_majority_communities(
    demo: Demo,
) -> None:
    records = SensitiveRecord.objects.all()
    share = records.exclude(community="Majority").count() / records.count()
    assert share > 0.30


def test_loading_twice_changes_nothing(demo: Demo) -> None:
    programme, manager, trainer = demo
    people = Person.objects.count()
    again, created = ensure_demo_programme(manager, trainer)
    assert (again, created) == (programme, False)
    assert Person.objects.count() == people
    assert Membership.objects.filter(programme=programme).count() == 2
