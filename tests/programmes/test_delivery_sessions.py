"""Sessions: a code of their own, the agenda copied from the module's topics, enrolment
from the registry with the trainers' warning, names only for those who may see people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.exercises.models import CODE_ALPHABET
from caseroom.programmes.delivery.actions import spread_over_days
from caseroom.programmes.delivery.codes import session_by_code
from caseroom.programmes.models import Enrolment, Module, Person, Session, Topic

from . import support_delivery as make

pytestmark = pytest.mark.django_db


def _session_data(**extra: object) -> dict[str, object]:
    return {
        "title": "Fundamentals, Tetovo",
        "starts_on": "2026-05-04",
        "ends_on": "2026-05-05",
        "days": 2,
        "place": "Tetovo",
        "country": "MK",
        **extra,
    }


def test_a_new_session_gets_an_8_symbol_unambiguous_code_found_again_as_typed(
    trainer_client: Client, module: Module
) -> None:
    response = trainer_client.post(
        reverse("programmes:session_new", args=[module.pk]), _session_data()
    )
    made = Session.objects.get(title="Fundamentals, Tetovo")
    assert response.status_code == 302
    assert len(made.code) == 8 and set(made.code) <= set(CODE_ALPHABET)
    typed = f" {made.code[:4].lower()} {made.code[4:]} "
    assert session_by_code(typed) == made
    assert session_by_code("0OIL1234") is None


def test_the_agenda_is_copied_from_the_topics_and_spread_over_the_days(
    trainer_client: Client, module: Module
) -> None:
    for order, (title, minutes) in enumerate(
        [("Trends", 120), ("Law", 120), ("Indicators", 120), ("Protection", 120)]
    ):
        Topic.objects.create(module=module, order=order, title=title, minutes=minutes)
    trainer_client.post(reverse("programmes:session_new", args=[module.pk]), _session_data())
    made = Session.objects.get(title="Fundamentals, Tetovo")
    assert list(made.agenda.values_list("day", "title")) == [
        (1, "Trends"),
        (1, "Law"),
        (2, "Indicators"),
        (2, "Protection"),
    ]
    # Changing the module's topics later leaves the session's own agenda alone.
    module.topics.all().delete()
    assert made.agenda.count() == 4


def test_topics_spread_by_their_time_never_past_the_last_day() -> None:
    topics = [Topic(minutes=m) for m in (30, 30, 300, 60)]
    assert spread_over_days(topics, 2) == [1, 1, 1, 2]
    assert spread_over_days(topics, 1) == [1, 1, 1, 1]
    assert spread_over_days([], 3) == []


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"ends_on": "2026-05-01"}, "The last day comes before the first."),
        ({"days": 3}, "3 training days do not fit in 2 calendar days."),
        ({"days": 0}, "Ensure this value is greater than or equal to 1."),
        ({"country": "ZZ"}, "Select a valid choice."),
    ],
)
def test_impossible_dates_and_days_come_back_next_to_the_field(
    trainer_client: Client, module: Module, extra: dict[str, object], message: str
) -> None:
    url = reverse("programmes:session_new", args=[module.pk])
    response = trainer_client.post(url, _session_data(**extra))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Session.objects.exists()


def test_an_agenda_item_on_a_day_the_session_does_not_have_is_refused(
    trainer_client: Client, session: Session
) -> None:
    data = {
        "agenda-TOTAL_FORMS": 1,
        "agenda-INITIAL_FORMS": 0,
        "agenda-0-day": 3,
        "agenda-0-order": 0,
        "agenda-0-title": "Role play",
        "agenda-0-minutes": 60,
    }
    url = reverse("programmes:session_agenda", args=[session.pk])
    response = trainer_client.post(url, data)
    assert response.status_code == 200 and not session.agenda.exists()
    data["agenda-0-day"] = 2
    assert trainer_client.post(url, data).status_code == 302
    assert list(session.agenda.values_list("day", "title")) == [(2, "Role play")]


def test_enrolling_from_the_registry_search_is_bounded_and_scoped_to_the_programme(
    trainer_client: Client, session: Session, other_programme: object
) -> None:
    programme = session.module.programme
    make.people(programme, 35, "Officer")
    wanted = make.person(programme, "Marija", "Nikolova", agency="Labour Inspectorate")
    url = reverse("programmes:session_enrol", args=[session.pk])
    listing = trainer_client.get(url).content.decode()
    assert listing.count('name="people"') == 30
    found = trainer_client.get(url, {"q": "inspectorate"}).content.decode()
    assert found.count('name="people"') == 1 and "Marija Nikolova" in found
    assert (
        trainer_client.post(url, {"people": [wanted.pk], "role": "participant"}).status_code == 302
    )
    assert list(session.enrolments.values_list("person", flat=True)) == [wanted.pk]
    assert isinstance(other_programme, type(programme))
    elsewhere = make.person(other_programme, "Not", "Ours")
    response = trainer_client.post(url, {"people": [elsewhere.pk], "role": "participant"})
    assert response.status_code == 200 and session.enrolments.count() == 1


def test_a_trainer_who_did_not_complete_a_tot_is_enrolled_with_a_warning(
    trainer_client: Client, module: Module
) -> None:
    programme = module.programme
    tot = make.session(module, "ToT", starts=dt.date(2026, 2, 2), tot=True)
    graduate, newcomer = make.person(programme, "Grad"), make.person(programme, "New")
    make.enrol(tot, [graduate])
    national = make.session(module, "National", starts=dt.date(2026, 4, 6))
    url = reverse("programmes:session_enrol", args=[national.pk])
    response = trainer_client.post(
        url, {"people": [graduate.pk, newcomer.pk], "role": "trainer"}, follow=True
    )
    body = response.content.decode()
    assert "enrolled as trainer anyway: New Test" in body
    assert "Grad Test" in body
    assert body.count("has not completed a training of trainers before this session") == 1
    assert "1 trainer has not completed a training of trainers of this programme" in body
    assert set(national.enrolments.values_list("role", flat=True)) == {"trainer"}


def test_the_session_page_names_people_only_to_those_who_may_see_them(
    trainer_client: Client, observer_client: Client, enrolment: Enrolment
) -> None:
    url = reverse("programmes:session", args=[enrolment.session_id])
    assert "Ivana Petrovska" in trainer_client.get(url).content.decode()
    seen = observer_client.get(url).content.decode()
    assert "Ivana Petrovska" not in seen and "1 enrolled, 0 completed" in seen


def test_taking_someone_out_removes_their_enrolment_and_attendance(
    trainer_client: Client, enrolment: Enrolment
) -> None:
    enrolment.attendance.create(day=1)
    url = reverse("programmes:session_unenrol", args=[enrolment.session_id])
    assert trainer_client.post(url, {"enrolment": enrolment.pk}).status_code == 302
    assert not Enrolment.objects.exists()
    assert Person.objects.count() == 1  # the registry keeps the person


@pytest.mark.parametrize("size", [10, 60])
def test_the_session_page_costs_the_same_for_10_and_60_people(
    trainer_client: Client,
    module: Module,
    size: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    programme = module.programme
    tot = make.session(module, "ToT", starts=dt.date(2026, 1, 5), tot=True)
    trainers = make.people(programme, 2, "Trainer")
    make.enrol(tot, trainers)
    national = make.session(module, "National")
    make.enrol(national, trainers, role="trainer")
    make.enrol(national, make.people(programme, size))
    for n in range(2):
        Topic.objects.create(module=module, title=f"T{n}")
    # Browser session, user, session, role; agenda, enrolments with people, qualified
    # trainers; exercises linked, their players; the exercises offered for linking.
    with django_assert_num_queries(10):
        page = trainer_client.get(reverse("programmes:session", args=[national.pk]))
    assert page.content.decode().count("Take out") == size + 2
