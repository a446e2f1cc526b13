"""Issuing and revoking certificates of completion: every write about certificates.

A participant gets a certificate for a session when they completed it (the module's
attendance rule, `counting.completed`). Issuing is one action for the whole session and is
idempotent: it only adds certificates for those who have none yet, so pressing the button
twice, or again after late attendance was entered, does what one expects.

Numbers read `CR-<year of issue>-<6 digits>`, counted up within the year: what a printed
certificate carries and a registry clerk can file. The secret is the token in the QR code
(`secrets.token_urlsafe(24)`, 192 bits), not the number.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..counting import completed
from ..models import Certificate, Enrolment, Session

__all__ = [
    "NUMBER_DIGITS",
    "Issued",
    "Refused",
    "issue_for_session",
    "new_token",
    "revoke",
]

NUMBER_DIGITS = 6
# Two issuers of different sessions may take the same next number at once: the unique
# constraint refuses the second, which then counts again. A few tries are plenty.
_TRIES = 5


class Refused(Exception):
    """A certificate write the rules do not allow; the message is already translated."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Issued:
    issued: int  # new certificates
    already: int  # participants who completed and already had one


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _numbers(year: int, count: int) -> list[str]:
    """The next `count` numbers of `year` (the caller holds the transaction)."""
    prefix = f"CR-{year}-"
    last = Certificate.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    start = int(last.removeprefix(prefix)) + 1 if last else 1
    if start + count - 1 >= 10**NUMBER_DIGITS:
        raise Refused(
            _("No certificate numbers are left for %(year)s.") % {"year": year}, code="numbers"
        )
    return [f"{prefix}{n:0{NUMBER_DIGITS}d}" for n in range(start, start + count)]


def issue_for_session(session: Session, *, by: User | None) -> Issued:
    """Certificates for every participant of `session` who completed it and has none yet."""
    for attempt in range(_TRIES):
        try:
            return _issue(session, by)
        except IntegrityError:
            # Another issuer took the same numbers (or, for this very session, the same
            # enrolments): count again from what is now stored.
            if attempt == _TRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _issue(session: Session, by: User | None) -> Issued:
    with transaction.atomic():
        # Issuers of one session queue here (PostgreSQL), so they cannot both see "none yet".
        Session.objects.select_for_update().filter(pk=session.pk).first()
        eligible = list(
            completed(Enrolment.objects.filter(session=session))
            .filter(certificate__isnull=True)
            .order_by("person__family_name", "person__given_name", "pk")
            .values_list("pk", flat=True)
        )
        already = completed(Enrolment.objects.filter(session=session)).count() - len(eligible)
        if eligible:
            numbers = _numbers(timezone.localdate().year, len(eligible))
            Certificate.objects.bulk_create(
                Certificate(enrolment_id=pk, number=number, token=new_token(), issued_by=by)
                for pk, number in zip(eligible, numbers, strict=True)
            )
    return Issued(issued=len(eligible), already=already)


def revoke(certificate: Certificate, *, reason: str, by: User | None) -> Certificate:
    """Marks a certificate revoked, for good; the public page then says "revoked"."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say why the certificate is revoked."), code="reason")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise Refused(_("This certificate is already revoked."), code="revoked")
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return locked
