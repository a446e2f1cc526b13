"""Every write to the people registry: one transaction each, an audit row where it matters.

Audit rows (`AuditEntry`) say what happened to whom by record number and count only: an
erased person's name must not survive in them. Merging look-alikes is in `merge.py`.

Erasure on request deletes the person and everything held about them: enrolments with their
attendance days, exercise seats, the sensitive record, "not the same person" decisions, and
certificates. A certificate goes with its enrolment rather than staying behind as "revoked":
a revoked row would keep the number, the session and the date of a person who asked to be
forgotten, and the public page then answers as for any unknown code. Agenda items they
taught lose their trainer (the item stays). What the donor report loses: the person no
longer counts in people trained, trainers, reach or learning gains, for past periods too;
sessions and training days do not change. The audit row keeps the counts of what went.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.programmes.learning.personal import erase_tests
from caseroom.programmes.models import (
    AuditEntry,
    Certificate,
    Enrolment,
    NotTheSamePerson,
    Person,
    Programme,
    SensitiveRecord,
    Session,
)
from caseroom.programmes.models.people import PendingImport

from . import importer, sheets
from .names import match_key
from .plan import Plan, plan

__all__ = [
    "ImportChanged",
    "PersonData",
    "Refused",
    "audit",
    "erase_person",
    "forget_stale_imports",
    "import_people",
    "log_export",
    "mark_different",
    "record_consent",
    "save_person",
    "store_upload",
    "withdraw_consent",
]

PENDING_FOR = dt.timedelta(days=1)
EDITABLE: tuple[str, ...] = (
    "given_name",
    "family_name",
    "agency",
    "unit",
    "function",
    "country",
    "sex",
)
EDITABLE += ("email", "phone")


class Refused(Exception):
    """A write the rules do not allow, with a stable code and the words to show."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


class ImportChanged(Refused):
    """The file or the registry changed between the preview and the confirmation."""


@dataclass(frozen=True)
class PersonData:
    given_name: str
    family_name: str
    agency: str
    country: str
    unit: str = ""
    function: str = ""
    sex: str = ""
    email: str = ""
    phone: str = ""


def _user(user: User | object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def audit(programme: Programme, kind: AuditEntry.Kind, detail: str, user: object) -> None:
    AuditEntry.objects.create(programme=programme, kind=kind, detail=detail[:300], user=_user(user))


def save_person(programme: Programme, data: PersonData, person: Person | None = None) -> Person:
    """Adds a person, or changes one; `match_key` always follows the names."""
    with transaction.atomic():
        if person is None:
            person = Person(programme=programme)
        for name in EDITABLE:
            setattr(person, name, getattr(data, name))
        person.email = data.email.strip()
        person.match_key = match_key(data.given_name, data.family_name)
        if person.pk is None:
            person.save()
        else:
            person.save(update_fields=[*EDITABLE, "match_key"])
    return person


def record_consent(
    person: Person, community: str, consent_text: str, user: object, now: dt.datetime | None = None
) -> SensitiveRecord:
    """Stores the self-identified community with the consent wording the person was shown.

    A second record replaces the first (one per person). No audit row: its detail would
    say whose community was recorded, which is exactly what must not be listed.
    """
    with transaction.atomic():
        record, _created = SensitiveRecord.objects.update_or_create(
            person=person,
            defaults={
                "community": " ".join(community.split()),
                "consent_text": consent_text,
                "consent_given_at": now or timezone.now(),
                "recorded_by": _user(user),
            },
        )
    return record


def withdraw_consent(person: Person) -> bool:
    """Deletes the sensitive record (consent withdrawn); False when there was none."""
    with transaction.atomic():
        deleted, _counts = SensitiveRecord.objects.filter(person=person).delete()
    return deleted > 0


def mark_different(first: Person, second: Person, user: object) -> NotTheSamePerson:
    """Records that two look-alikes are different people, so the pair is not suggested again."""
    if first.pk == second.pk or first.programme_id != second.programme_id:
        raise Refused(_("Choose two people of the same programme."), code="same_row")
    low, high = sorted((first, second), key=lambda p: p.pk)
    with transaction.atomic():
        decision, _created = NotTheSamePerson.objects.get_or_create(
            first=low, second=high, defaults={"decided_by": _user(user)}
        )
    return decision


def erase_person(person: Person, user: object) -> None:
    """Deletes the person and everything held about them (see the module's docstring)."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        enrolments = Enrolment.objects.filter(person=locked).count()
        certificates = Certificate.objects.filter(enrolment__person=locked).count()
        sensitive = SensitiveRecord.objects.filter(person=locked).exists()
        number = locked.pk
        # Test answers are kept as survey responses apart from the enrolment: erased first.
        tests = erase_tests(locked)
        # NotTheSamePerson, seats, attendance and certificates go by cascade.
        locked.delete()
        audit(
            person.programme,
            AuditEntry.Kind.ERASE,
            f"Erased person #{number} on request: {enrolments} enrolment(s), "
            f"{certificates} certificate(s), {tests} test(s), "
            f"sensitive record: {'yes' if sensitive else 'no'}",
            user,
        )


def log_export(person: Person, user: object) -> None:
    with transaction.atomic():
        audit(
            person.programme,
            AuditEntry.Kind.EXPORT,
            f"Exported the data held about person #{person.pk}",
            user,
        )


# ---------------------------------------------------------------- import


def store_upload(
    programme: Programme,
    user: User,
    session: Session | None,
    filename: str,
    content: bytes,
    now: dt.datetime | None = None,
) -> PendingImport:
    """Keeps a checked upload until its confirmation (and forgets day-old ones)."""
    with transaction.atomic():
        forget_stale_imports(now)
        return PendingImport.objects.create(
            programme=programme,
            user=user,
            session=session,
            filename=filename[:200],
            content=content,
        )


def forget_stale_imports(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - PENDING_FOR
    deleted, _counts = PendingImport.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def check_pending(pending: PendingImport) -> tuple[importer.Checked, Plan]:
    """The stored file read and checked again, and matched to the registry as it is now."""
    table = sheets.read_table(bytes(pending.content), pending.filename)
    session = pending.session
    checked = importer.check(
        table,
        countries=pending.programme.countries,
        default_country=session.country if session else "",
    )
    return checked, plan(pending.programme, checked, session)


def import_people(pending: PendingImport, user: object, digest: str) -> Plan:
    """Writes a previewed import: new people, links, enrolments, all or nothing.

    Raises `ImportChanged` when the registry changed since the preview (someone added a
    person the file also holds): the manager sees the new preview and confirms again.
    """
    with transaction.atomic():
        # One confirmation at a time per upload: a double click must not import twice. Only
        # this row is locked: PostgreSQL cannot lock the nullable side of the session join.
        locked = (
            PendingImport.objects.select_for_update(of=("self",))
            .select_related("programme", "session")
            .filter(pk=pending.pk)
            .first()
        )
        if locked is None:
            raise ImportChanged(_("This upload was already imported or has expired."), code="gone")
        checked, result = check_pending(locked)
        if not checked.ok or result.problems or result.digest != digest:
            raise ImportChanged(
                _("The registry changed since the preview: check the preview again."),
                code="changed",
            )
        created = Person.objects.bulk_create(
            [_new_person(locked.programme, p.row) for p in result.rows if p.is_new]
        )
        ids = iter(person.pk for person in created)
        enrolments = 0
        if locked.session is not None:
            people = [(p, p.existing_id or next(ids)) for p in result.rows]
            made = Enrolment.objects.bulk_create(
                [
                    Enrolment(session=locked.session, person_id=pk, role=p.row.role)
                    for p, pk in people
                    if not p.already_enrolled
                ]
            )
            enrolments = len(made)
        where = f" into session #{locked.session.pk}" if locked.session else ""
        audit(
            locked.programme,
            AuditEntry.Kind.IMPORT,
            f"Imported a list of {len(result.rows)} row(s){where}: {len(created)} new, "
            f"{result.linked} already registered, {enrolments} enrolment(s)",
            user,
        )
        locked.delete()
    return result


def _new_person(programme: Programme, row: importer.Incoming) -> Person:
    return Person(
        programme=programme,
        given_name=row.given_name,
        family_name=row.family_name,
        agency=row.agency,
        unit=row.unit,
        function=row.function,
        country=row.country,
        sex=row.sex,
        email=row.email,
        phone=row.phone,
        match_key=row.match_key,
    )
