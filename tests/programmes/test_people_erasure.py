"""A person's data on request: exported whole, or erased with everything held about them."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.programmes.models import (
    Attendance,
    AuditEntry,
    Certificate,
    Enrolment,
    NotTheSamePerson,
    Person,
    SensitiveRecord,
    Session,
)
from caseroom.programmes.people import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(person: Person, enrolment: Enrolment) -> Person:
    """Ivana Petrovska with a session, two days, a certificate and a community record."""
    Attendance.objects.bulk_create([Attendance(enrolment=enrolment, day=d) for d in (1, 2)])
    Certificate.objects.create(enrolment=enrolment, number="CR-2026-000007", token="tok-erase")
    SensitiveRecord.objects.create(
        person=person,
        community="Vlach",
        consent_text="wording",
        consent_given_at="2026-01-01T00:00Z",
    )
    return person


def test_the_export_holds_everything_about_the_person_and_leaves_an_audit_row(
    manager_client: Client, held: Person
) -> None:
    response = manager_client.post(reverse("programmes:person_export", args=[held.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="person-{held.pk}.json"'
    data = json.loads(response.content)
    assert data["person"]["family_name"] == "Petrovska"
    assert data["enrolments"][0]["days_present"] == [1, 2]
    assert data["enrolments"][0]["certificate"]["number"] == "CR-2026-000007"
    assert data["sensitive_record"] == {
        "community": "Vlach", "consent_text": "wording", "consent_given_at": "2026-01-01T00:00:00+00:00",
    }  # fmt: skip
    audit = AuditEntry.objects.get()
    assert audit.kind == "export" and "Petrovska" not in audit.detail


def test_an_export_is_a_post_a_get_writes_nothing(manager_client: Client, held: Person) -> None:
    assert (
        manager_client.get(reverse("programmes:person_export", args=[held.pk])).status_code == 405
    )
    assert not AuditEntry.objects.exists()


def test_erasure_needs_the_family_name_typed(manager_client: Client, held: Person) -> None:
    response = manager_client.post(
        reverse("programmes:person_erase", args=[held.pk]), {"family_name": "Petrović"}
    )
    assert response.status_code == 200
    assert "not this person&#x27;s family name" in response.content.decode()
    assert Person.objects.filter(pk=held.pk).exists()


def test_erasure_deletes_the_person_and_all_they_left_and_the_audit_keeps_no_name(
    manager_client: Client, held: Person, client: Client
) -> None:
    other = Person.objects.create(
        programme=held.programme, given_name="Ivana", family_name="Petrovski", agency="MVR",
        country="MK", match_key="petrovski ivana",
    )  # fmt: skip
    NotTheSamePerson.objects.create(first=held, second=other)
    response = manager_client.post(
        reverse("programmes:person_erase", args=[held.pk]), {"family_name": " petrovska "}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=held.pk).exists()
    for model in (Enrolment, Attendance, Certificate, SensitiveRecord, NotTheSamePerson):
        assert not model.objects.exists(), model.__name__
    audit = AuditEntry.objects.get()
    assert audit.kind == "erase"
    assert audit.detail == (
        f"Erased person #{held.pk} on request: 1 enrolment(s), 1 certificate(s), 0 test(s), "
        "sensitive record: yes"
    )
    # The certificate went with the person: its public page knows no such certificate.
    assert client.get(reverse("programmes:verify", args=["tok-erase"])).status_code == 404


def test_erasure_takes_the_persons_test_answers_with_it(
    session: Session, enrolment: Enrolment, manager: User
) -> None:
    from caseroom.surveys.models import Response

    from .support_learning import open_all, plan, take

    plan(session.module)
    open_all(session)
    take(enrolment, "pre", 4)
    take(enrolment, "post", 7)
    assert Response.objects.count() == 2
    actions.erase_person(enrolment.person, manager)
    assert not Response.objects.exists()
