"""Certificates: issued once to those who completed, printed with a QR code, revoked with a
reason, and checked by anyone on a public page that tells nothing personal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseroom.lib.pdf import ReportUnavailable
from caseroom.programmes.models import Certificate, Enrolment, Person, Programme, Session
from caseroom.programmes.results import certificate_pdf, certificates
from caseroom.programmes.results.certificate_views import VERIFY

from .support_results import enrol, people

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^CR-\d{4}-\d{6}$")


@pytest.fixture
def completed_three(session: Session) -> list[Enrolment]:
    """Three who attended both days, one who came once, one trainer: three certificates."""
    programme = session.module.programme
    done = enrol(session, people(programme, 3, sex="F", country="MK", agency="Police"), days=2)
    enrol(session, people(programme, 1, sex="M", country="MK", agency="Police"), days=1)
    enrol(
        session,
        people(programme, 1, sex="M", country="RS", agency="Academy"),
        days=2,
        role="trainer",
    )
    return done


def test_issuing_gives_a_numbered_certificate_to_each_who_completed_and_to_no_one_else(
    session: Session, completed_three: list[Enrolment], manager: User
) -> None:
    result = certificates.issue_for_session(session, by=manager)
    assert (result.issued, result.already) == (3, 0)
    issued = Certificate.objects.order_by("number")
    assert {c.enrolment_id for c in issued} == {e.pk for e in completed_three}
    year = timezone.localdate().year
    assert [c.number for c in issued] == [f"CR-{year}-00000{n}" for n in (1, 2, 3)]
    assert all(NUMBER.match(c.number) and len(c.token) == 32 for c in issued)
    assert len({c.token for c in issued}) == 3
    assert {c.issued_by_id for c in issued} == {manager.pk}


def test_issuing_again_adds_only_those_who_completed_since(
    session: Session, completed_three: list[Enrolment], manager: User
) -> None:
    certificates.issue_for_session(session, by=manager)
    assert certificates.issue_for_session(session, by=manager).issued == 0
    late = Enrolment.objects.get(session=session, days_present=1)
    late.days_present = 2
    late.save()
    again = certificates.issue_for_session(session, by=manager)
    assert (again.issued, again.already) == (1, 3)
    assert Certificate.objects.count() == 4
    assert Certificate.objects.order_by("-number").first().enrolment_id == late.pk  # type: ignore[union-attr]


def test_numbers_count_on_across_sessions_within_the_year(
    session: Session, completed_three: list[Enrolment], manager: User
) -> None:
    certificates.issue_for_session(session, by=manager)
    other = Session.objects.create(
        module=session.module,
        title="Again",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
        days=2,
        place="Ohrid",
        country="MK",
        code="OTHER234",
    )
    enrol(
        other, people(session.module.programme, 2, sex="F", country="MK", agency="Police"), days=2
    )
    certificates.issue_for_session(other, by=manager)
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert [int(n[-6:]) for n in numbers] == [1, 2, 3, 4, 5]


def test_a_revocation_needs_a_reason_and_the_database_says_so_too(
    session: Session, completed_three: list[Enrolment], manager: User
) -> None:
    certificates.issue_for_session(session, by=manager)
    certificate = Certificate.objects.first()
    assert certificate is not None
    with pytest.raises(certificates.Refused):
        certificates.revoke(certificate, reason="   ", by=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    revoked = certificates.revoke(certificate, reason="Attendance sheet was forged", by=manager)
    assert not revoked.valid and revoked.revoked_by_id == manager.pk
    with pytest.raises(certificates.Refused):
        certificates.revoke(revoked, reason="again", by=manager)


def _verify(client: Client, token: str) -> Any:
    return client.get(reverse("programmes:verify", args=[token]))


def test_the_public_page_says_valid_or_revoked_and_nothing_personal(
    session: Session, completed_three: list[Enrolment], manager: User, manager_client: Client
) -> None:
    certificates.issue_for_session(session, by=manager)
    certificate = Certificate.objects.select_related("enrolment__person").first()
    assert certificate is not None
    person: Person = certificate.enrolment.person
    person.email = "ivana.secret@example.org"
    person.save()
    anyone = Client()
    page = _verify(anyone, certificate.token)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Valid" in text and certificate.number in text and "Fundamentals" in text
    for personal in (
        person.given_name,
        person.family_name,
        person.email,
        person.agency,
        "Kumanovo",
    ):
        assert personal not in text
    assert page["X-Robots-Tag"].startswith("noindex")
    manager_client.post(
        reverse("programmes:revoke_certificate", args=[certificate.enrolment_id]),
        {"reason": "Forged attendance sheet"},
    )
    text = _verify(anyone, certificate.token).content.decode()
    assert "Revoked" in text and "Forged" not in text and person.family_name not in text


def test_an_unknown_token_gets_the_same_page_with_404_and_is_throttled(
    db: None, settings: Any
) -> None:
    anyone = Client()
    page = _verify(anyone, "x" * 32)
    assert page.status_code == 404
    assert "Certificate check" in page.content.decode()
    assert _verify(anyone, "y" * 500).status_code == 404  # too long to be one: no lookup
    limit = int(VERIFY.rate.split("/")[0])
    for _ in range(limit):
        _verify(anyone, "z" * 32)
    assert _verify(anyone, "z" * 32).status_code == 429


def test_the_pdf_holds_the_name_number_and_a_qr_code_of_the_absolute_verification_url(
    session: Session, completed_three: list[Enrolment], manager: User, rf: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["training-room.example"]
    certificates.issue_for_session(session, by=manager)
    found = list(certificate_pdf.session_certificates(session.pk))
    request = rf.get("/", HTTP_HOST="training-room.example:8000")
    printed = certificate_pdf.printable(found, request)
    first = printed[0]
    assert first.url == f"http://training-room.example:8000/verify/{found[0].token}/"
    assert first.qr_data_uri.startswith("data:image/svg+xml")
    html = certificate_pdf.render_html(printed)
    assert html.count('class="certificate"') == 3
    assert found[0].enrolment.person.full_name in html and found[0].number in html
    assert "Kumanovo" in html
    try:
        pdf = certificate_pdf.render_pdf(printed, identifier="test")
    except ReportUnavailable:
        pytest.skip("WeasyPrint is not installed here")
    assert pdf.startswith(b"%PDF")


def test_staff_issue_print_and_revoke_through_the_pages_by_role(
    session: Session,
    completed_three: list[Enrolment],
    trainer_client: Client,
    observer_client: Client,
    manager_client: Client,
) -> None:
    issue = reverse("programmes:issue_certificates", args=[session.pk])
    listing = reverse("programmes:certificates", args=[session.pk])
    assert observer_client.post(issue).status_code == 403
    assert trainer_client.post(issue).status_code == 302
    assert Certificate.objects.count() == 3
    page = trainer_client.get(listing)
    assert page.status_code == 200 and "CR-" in page.content.decode()
    enrolment = completed_three[0]
    revoke = reverse("programmes:revoke_certificate", args=[enrolment.pk])
    assert trainer_client.post(revoke, {"reason": "x"}).status_code == 403
    # No reason: the list again, the message next to the field, nothing revoked.
    again = manager_client.post(revoke, {"reason": ""})
    assert again.status_code == 200 and "This field is required." in again.content.decode()
    assert manager_client.post(revoke, {"reason": "r" * 301}).status_code == 200
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 0
    assert manager_client.post(revoke, {"reason": "Duplicate"}).status_code == 302
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    pdf = trainer_client.get(reverse("programmes:certificate_pdf", args=[enrolment.pk]))
    assert pdf.status_code == 302  # revoked: back to the list with a message


def test_a_stranger_to_the_programme_gets_404_on_every_certificate_page(
    session: Session, completed_three: list[Enrolment], stranger_client: Client, manager: User
) -> None:
    certificates.issue_for_session(session, by=manager)
    enrolment = completed_three[0]
    for url in (
        reverse("programmes:certificates", args=[session.pk]),
        reverse("programmes:session_certificates_pdf", args=[session.pk]),
        reverse("programmes:certificate_pdf", args=[enrolment.pk]),
    ):
        assert stranger_client.get(url).status_code == 404
    assert (
        stranger_client.post(
            reverse("programmes:issue_certificates", args=[session.pk])
        ).status_code
        == 404
    )
    assert (
        stranger_client.post(
            reverse("programmes:revoke_certificate", args=[enrolment.pk]), {"reason": "x"}
        ).status_code
        == 404
    )


def test_the_certificate_list_costs_the_same_queries_for_many_participants(
    session: Session, manager: User, manager_client: Client, django_assert_num_queries: Any
) -> None:
    programme: Programme = session.module.programme
    url = reverse("programmes:certificates", args=[session.pk])
    for size in (3, 30):
        Enrolment.objects.filter(session=session).delete()
        enrol(session, people(programme, size, sex="F", country="MK", agency="Police"), days=2)
        certificates.issue_for_session(session, by=manager)
        # session and user 2, the session 1, role 1, the participants 1
        with django_assert_num_queries(5):
            assert manager_client.get(url).status_code == 200
