"""Certificates as printable PDF: one participant's, or a whole session's in one file.

Each page carries the programme, the module, the session's dates and place, the person's
name, the certificate's number and a QR code of the public verification page. The QR code is
segno's SVG of our own absolute URL, embedded as a data: URI (WeasyPrint fetches nothing,
see `lib.pdf`). The URL's host comes from the request that prints, so a certificate printed
on the training-room laptop points where that laptop is reached; without a request
(a command) it comes from settings.CASEROOM_BASE_URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from caseroom.lib.pdf import html_to_pdf

from ..models import Certificate

__all__ = [
    "PrintedCertificate",
    "printable",
    "render_html",
    "render_pdf",
    "session_certificates",
    "verification_url",
]


def verification_url(token: str, request: HttpRequest | None = None) -> str:
    """The public page's absolute URL for `token`."""
    path = reverse("programmes:verify", args=[token])
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.CASEROOM_BASE_URL}{path}"


@dataclass(frozen=True)
class PrintedCertificate:
    number: str
    person_name: str
    programme_title: str
    implementer: str
    funder: str
    module_title: str
    session_title: str
    starts_on: dt.date
    ends_on: dt.date
    days: int
    place: str
    issued_on: dt.date
    url: str
    qr_data_uri: str


def _with_records(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return certificates.select_related("enrolment__person", "enrolment__session__module__programme")


def session_certificates(session_id: int) -> QuerySet[Certificate]:
    """A session's valid certificates in the order they are printed (one query)."""
    return _with_records(
        Certificate.objects.filter(enrolment__session_id=session_id, revoked_at__isnull=True)
    ).order_by("enrolment__person__family_name", "enrolment__person__given_name", "number")


def printable(
    certificates: Sequence[Certificate], request: HttpRequest | None = None
) -> list[PrintedCertificate]:
    """What each page shows; the certificates come with their records (`session_certificates`
    or the same select_related)."""
    printed = []
    for certificate in certificates:
        session = certificate.enrolment.session
        programme = session.module.programme
        url = verification_url(certificate.token, request)
        printed.append(
            PrintedCertificate(
                number=certificate.number,
                person_name=certificate.enrolment.person.full_name,
                programme_title=programme.title,
                implementer=programme.implementer,
                funder=programme.funder,
                module_title=session.module.title,
                session_title=session.title,
                starts_on=session.starts_on,
                ends_on=session.ends_on,
                days=session.days,
                place=session.place,
                issued_on=certificate.issued_at.date(),
                url=url,
                # Medium error correction survives a crease or a stamp over the code.
                qr_data_uri=segno.make(url, error="m").svg_data_uri(scale=4, border=2),
            )
        )
    return printed


def render_html(certificates: Sequence[PrintedCertificate]) -> str:
    """One standalone HTML document, one certificate per A4 landscape page."""
    return render_to_string(
        "programmes/results/certificate_document.html", {"certificates": certificates}
    )


def render_pdf(certificates: Sequence[PrintedCertificate], *, identifier: str) -> bytes:
    """The PDF; `lib.pdf.ReportUnavailable` when WeasyPrint or Pango is missing."""
    return html_to_pdf(render_html(certificates), identifier=identifier.encode())
