"""The registry's pages: list, search, paging, a person, entry; who may open them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import (
    Attendance,
    Certificate,
    Enrolment,
    Person,
    Programme,
    Session,
)
from caseroom.programmes.people.names import match_key

from .support_people import generated
from .test_access_matrix import PAGES

pytestmark = pytest.mark.django_db

PEOPLE_PAGES = [p for p in PAGES if p.view.__module__.startswith("caseroom.programmes.people.")]


def test_the_match_key_meets_across_scripts_accents_and_case() -> None:
    assert match_key("Ивана", "Петровска") == match_key("IVANA", "Petrovska") == "petrovska ivana"
    assert (
        match_key("Ђорђе", "Ђорђевић") == match_key("Djordje", "Đorđević") == "djordjevic djordje"
    )
    assert match_key("Ѓорѓи", "Ќирков") == match_key("Gjorgji", "Kjirkov")
    assert match_key("Arbën", "Çela") == "cela arben"
    assert match_key("Ana-Marija", "  Hoxha ") == "hoxha ana marija"


def test_a_person_added_by_hand_gets_their_match_key(
    manager_client: Client, programme: Programme
) -> None:
    response = manager_client.post(
        reverse("programmes:person_add", args=[programme.pk]),
        {"given_name": "Љупчо", "family_name": "Стојановски", "agency": "МВР", "country": "MK"},
    )
    person = Person.objects.get()
    assert response.status_code == 302 and person.match_key == "stojanovski ljupco"
    manager_client.post(
        reverse("programmes:person_edit", args=[person.pk]),
        {"given_name": "Ljupčo", "family_name": "Stojanovski", "agency": "MVR", "country": "MK"},
    )
    person.refresh_from_db()
    assert (person.given_name, person.match_key) == ("Ljupčo", "stojanovski ljupco")


def test_bad_input_shows_the_form_again_with_the_message_next_to_the_field(
    manager_client: Client, programme: Programme
) -> None:
    response = manager_client.post(
        reverse("programmes:person_add", args=[programme.pk]),
        {"given_name": "A" * 101, "family_name": "", "agency": "x", "country": "NARNIA",
         "email": "no", "phone": "call me"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and not Person.objects.exists()
    for message in ("at most 100 characters", "This field is required", "valid choice",
                    "valid email", "digits (at least 6)"):  # fmt: skip
        assert message in page


def test_search_finds_a_latin_name_typed_in_cyrillic_and_by_agency_or_country(
    trainer_client: Client, programme: Programme, person: Person
) -> None:
    url = reverse("programmes:people", args=[programme.pk])
    for query in ("Петровска", "petrovska ivana", "border", "MK", "North Macedonia"):
        assert "Ivana Petrovska" in trainer_client.get(url, {"q": query}).content.decode(), query
    assert "Ivana Petrovska" not in trainer_client.get(url, {"q": "Hoxha"}).content.decode()


@pytest.mark.parametrize("size", [3, 120])
def test_the_list_costs_the_same_queries_at_any_size_and_pages_by_fifty(
    size: int,
    trainer_client: Client,
    programme: Programme,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    Person.objects.bulk_create(generated(programme, size))
    url = reverse("programmes:people", args=[programme.pk])
    # Session and user, the role, the programme, the count, the page.
    with django_assert_num_queries(6):
        response = trainer_client.get(url, {"page": 2})
    assert response.status_code == 200
    rows = response.content.decode().count('href="/programmes/people/')
    assert rows == (min(size - 50, 50) if size > 50 else size)
    assert trainer_client.get(url, {"page": "x" * 200}).status_code == 200


@pytest.mark.parametrize("sessions", [1, 6])
def test_the_person_page_lists_sessions_days_and_certificates_in_fixed_queries(
    sessions: int,
    trainer_client: Client,
    person: Person,
    session: Session,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(sessions):
        other = Session.objects.create(
            module=session.module, title=f"Session {n}", starts_on=dt.date(2026, 4, 1 + n),
            ends_on=dt.date(2026, 4, 2 + n), days=2, place="Ohrid", country="MK", code=f"C{n:07d}",
        )  # fmt: skip
        enrolment = Enrolment.objects.create(session=other, person=person, days_present=2)
        Attendance.objects.bulk_create([Attendance(enrolment=enrolment, day=d) for d in (1, 2)])
        Certificate.objects.create(enrolment=enrolment, number=f"CR-{n}", token=f"tok{n}")
    with django_assert_num_queries(7):
        page = trainer_client.get(reverse("programmes:person", args=[person.pk]))
    text = page.content.decode()
    assert text.count("Ohrid") == sessions and "CR-0" in text and "2 / 2" in text


def test_an_observer_gets_403_on_every_people_page_and_a_stranger_404(
    observer_client: Client, stranger_client: Client, programme: Programme, person: Person
) -> None:
    assert {p.name for p in PEOPLE_PAGES} >= {
        "programmes:people", "programmes:person", "programmes:person_add",
        "programmes:person_edit", "programmes:people_import", "programmes:lookalikes",
    }  # fmt: skip
    for page in PEOPLE_PAGES:
        kwargs = {"programme_id": programme.pk, "person_id": person.pk}
        url = reverse(page.name, kwargs={k: kwargs[k] for k in page.kwargs})
        get, post = observer_client.get(url), observer_client.post(url)
        if page.name == "programmes:communities":
            assert get.status_code == 200  # counts only, suppressed: an observer's page
        else:
            assert 403 in (get.status_code, post.status_code), page.name
            assert get.status_code in (403, 405) and post.status_code == 403, page.name
        assert stranger_client.get(url).status_code in (404, 405), page.name
        assert stranger_client.post(url).status_code == 404, page.name
