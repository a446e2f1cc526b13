"""Everything held about one person, for their request to see it (JSON or XLSX).

This is the one place a sensitive value leaves the database next to a name: the person is
entitled to it, and only a manager may download it (each download leaves an EXPORT audit
row). XLSX goes through lib/tables, so a name typed as a formula stays text.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q
from django.utils import timezone

from caseroom.lib.tables import write_xlsx
from caseroom.programmes.learning.personal import person_tests
from caseroom.programmes.models import (
    AgendaItem,
    Enrolment,
    NotTheSamePerson,
    Person,
    Seat,
    SensitiveRecord,
)

from .builders import person_enrolments

__all__ = ["person_data", "person_json", "person_xlsx"]

PERSON_FIELDS: tuple[str, ...] = (
    "given_name",
    "family_name",
    "agency",
    "unit",
    "function",
    "country",
    "sex",
    "email",
    "phone",
    "created_at",
)


def _iso(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def person_data(person: Person) -> dict[str, Any]:
    """A plain structure of the person's record and everything that points at it."""
    sensitive = SensitiveRecord.objects.filter(person=person).first()
    decisions = NotTheSamePerson.objects.filter(Q(first=person) | Q(second=person)).count()
    return {
        "exported_at": timezone.now().isoformat(),
        "programme": person.programme.title,
        "person": {name: _iso(getattr(person, name)) for name in PERSON_FIELDS},
        "enrolments": [_enrolment(e) for e in person_enrolments(person)],
        "exercise_seats": [
            {"exercise": str(seat.participant.exercise), "name_in_exercise": seat.participant.name}
            for seat in Seat.objects.filter(person=person).select_related("participant__exercise")
        ],
        "agenda_items_taught": [
            {"session": item.session.title, "day": item.day, "title": item.title}
            for item in AgendaItem.objects.filter(trainer=person).select_related("session")
        ],
        "sensitive_record": None
        if sensitive is None
        else {
            "community": sensitive.community,
            "consent_text": sensitive.consent_text,
            "consent_given_at": sensitive.consent_given_at.isoformat(),
        },
        "marked_as_not_the_same_person_as_others": decisions,
        "tests": person_tests(person),
    }


def _enrolment(e: Enrolment) -> dict[str, Any]:
    certificate = getattr(e, "certificate", None)
    return {
        "session": e.session.title,
        "module": str(e.session.module),
        "starts_on": e.session.starts_on.isoformat(),
        "ends_on": e.session.ends_on.isoformat(),
        "place": e.session.place,
        "country": e.session.country,
        "role": e.role,
        "days_present": [a.day for a in e.attendance.all()],
        "session_days": e.session.days,
        "certificate": None
        if certificate is None
        else {
            "number": certificate.number,
            "issued_at": certificate.issued_at.isoformat(),
            "revoked_at": _iso(certificate.revoked_at),
        },
    }


def person_json(person: Person) -> bytes:
    return json.dumps(person_data(person), ensure_ascii=False, indent=2).encode("utf-8")


def person_xlsx(person: Person) -> bytes:
    """The same data as rows of (section, item, value), one sheet."""
    rows: list[tuple[str, str, object]] = []

    def walk(section: str, value: object, item: str = "") -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(section, inner, f"{item}.{key}" if item else str(key))
        elif isinstance(value, list):
            for index, inner in enumerate(value, start=1):
                walk(f"{section} {index}", inner, item)
        else:
            rows.append((section, item, value))

    for section, value in person_data(person).items():
        walk(section, value)
    return write_xlsx(rows, ["section", "item", "value"], sheet_title="Personal data")
