"""What an import would do: which rows are people already in the registry, which are new.

A row is the same person as an existing row of the programme when both have the same
`match_key` (names compared without case, accents or script) and the same country and agency
(compared the same way), or the same e-mail address. A match is linked, never duplicated:
the existing record is kept as it is and, with a target session, enrolled. Anything less
certain (a similar given name, another agency) is left to the look-alikes page, where a
manager decides. Three queries whatever the file's size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from caseroom.programmes.models import Enrolment, Person, Programme, Session

from .importer import Checked, Incoming, Problem
from .names import email_key, plain

__all__ = ["Plan", "PlannedRow", "plan"]


@dataclass(frozen=True)
class PlannedRow:
    row: Incoming
    existing_id: int | None  # the registry's person this row is, or None for a new person
    existing_name: str
    how: str  # "name" or "email": why it is the same person
    already_enrolled: bool  # only with a target session

    @property
    def is_new(self) -> bool:
        return self.existing_id is None


@dataclass(frozen=True)
class Plan:
    rows: tuple[PlannedRow, ...]
    session_id: int | None
    # Two rows of the file that are the same registered person (one by name, one by
    # e-mail): the file must say which is right before anything is written.
    problems: tuple[Problem, ...] = ()

    @property
    def new(self) -> int:
        return sum(row.is_new for row in self.rows)

    @property
    def linked(self) -> int:
        return len(self.rows) - self.new

    @property
    def enrolments(self) -> int:
        if self.session_id is None:
            return 0
        return sum(not row.already_enrolled for row in self.rows)

    @property
    def digest(self) -> str:
        """Changes when a confirmation would write something else than the preview showed."""
        text = "|".join(f"{r.row.row}:{r.existing_id}:{r.already_enrolled}" for r in self.rows)
        return hashlib.sha256(f"{self.session_id}|{text}".encode()).hexdigest()[:32]


def plan(programme: Programme, checked: Checked, session: Session | None = None) -> Plan:
    rows = checked.rows
    keys = {row.match_key for row in rows}
    emails = {email_key(row.email) for row in rows if row.email}
    people = Person.objects.filter(programme=programme)
    by_key: dict[tuple[str, str, str], Person] = {}
    for known in people.filter(match_key__in=keys).order_by("pk"):
        by_key.setdefault((known.match_key, known.country, plain(known.agency)), known)
    by_email: dict[str, Person] = {}
    if emails:
        with_email = people.annotate(email_key=Lower("email")).filter(email_key__in=emails)
        for known in with_email.order_by("pk"):
            by_email.setdefault(email_key(known.email), known)
    found: list[tuple[Incoming, Person | None, str]] = []
    claimed: dict[int, int] = {}
    problems: list[Problem] = []
    for row in rows:
        person = by_key.get((row.match_key, row.country, plain(row.agency)))
        how = "name"
        if person is None and row.email:
            person, how = by_email.get(email_key(row.email)), "email"
        if person is not None:
            earlier = claimed.setdefault(person.pk, row.row)
            if earlier != row.row:
                message = _("row %(n)d is already this registered person (%(name)s)")
                problems.append(
                    Problem(row.row, "", message % {"n": earlier, "name": person.full_name})
                )
        found.append((row, person, how if person else ""))
    enrolled: set[int] = set()
    if session is not None:
        ids = [person.pk for _row, person, _how in found if person is not None]
        enrolled = set(
            Enrolment.objects.filter(session=session, person_id__in=ids).values_list(
                "person_id", flat=True
            )
        )
    return Plan(
        rows=tuple(
            PlannedRow(
                row=row,
                existing_id=person.pk if person else None,
                existing_name=person.full_name if person else "",
                how=how,
                already_enrolled=person is not None and person.pk in enrolled,
            )
            for row, person, how in found
        ),
        session_id=session.pk if session else None,
        problems=tuple(problems),
    )
