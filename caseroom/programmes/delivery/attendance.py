"""Attendance per day: the grid a trainer ticks, and the one write that stores it.

`Enrolment.days_present` is derived from the Attendance rows and kept in step here, in
the same transaction, because `counting.completed` (who counts as trained) reads only it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ..counting import has_completed
from ..models import Attendance, Enrolment, Session

__all__ = ["AttendanceGrid", "GridRow", "attendance_grid", "recount", "set_attendance"]


@dataclass(frozen=True)
class GridRow:
    enrolment_id: int
    name: str
    agency: str
    role: str
    role_label: str
    days: tuple[tuple[int, bool], ...]  # (day, present)
    days_present: int
    completed: bool


@dataclass(frozen=True)
class AttendanceGrid:
    days: tuple[int, ...]
    rows: tuple[GridRow, ...]
    rule: int

    @property
    def enrolment_ids(self) -> list[int]:
        return [row.enrolment_id for row in self.rows]


def attendance_grid(session: Session) -> AttendanceGrid:
    """Everyone enrolled (participants first, then trainers) × the session's days: 2 queries."""
    enrolments = list(
        session.enrolments.select_related("person").order_by(
            "role", "person__family_name", "person__given_name", "pk"
        )
    )
    ticked: set[tuple[int, int]] = set(
        Attendance.objects.filter(enrolment__session=session).values_list("enrolment_id", "day")
    )
    days = tuple(range(1, session.days + 1))
    rule = session.module.attendance_rule
    rows = tuple(
        GridRow(
            enrolment_id=e.pk,
            name=e.person.full_name,
            agency=e.person.agency,
            role=e.role,
            role_label=e.get_role_display(),
            days=tuple((day, (e.pk, day) in ticked) for day in days),
            days_present=e.days_present,
            completed=has_completed(e, days=session.days, rule=rule),
        )
        for e in enrolments
    )
    return AttendanceGrid(days=days, rows=rows, rule=rule)


def set_attendance(session: Session, present: Mapping[int, frozenset[int]]) -> int:
    """Make the Attendance rows of these enrolments exactly `present`; returns how many
    enrolments changed. A repeat of the same grid finds nothing to change and writes nothing.

    Queries grow with the session's days (one delete per day), never with its people.
    """
    with transaction.atomic():
        have: set[tuple[int, int]] = set(
            Attendance.objects.filter(
                enrolment__session=session, enrolment_id__in=list(present)
            ).values_list("enrolment_id", "day")
        )
        want = {(pk, day) for pk, days in present.items() for day in days}
        added, removed = want - have, have - want
        by_day: dict[int, list[int]] = {}
        for pk, day in sorted(removed):
            by_day.setdefault(day, []).append(pk)
        for day, pks in by_day.items():
            Attendance.objects.filter(enrolment_id__in=pks, day=day).delete()
        Attendance.objects.bulk_create(
            [Attendance(enrolment_id=pk, day=day) for pk, day in sorted(added)]
        )
        changed = {pk for pk, _day in added | removed}
        recount(changed)
    return len(changed)


def recount(enrolment_ids: Iterable[int]) -> None:
    """Recompute `days_present` of these enrolments from their Attendance rows (one query)."""
    ids = list(enrolment_ids)
    if not ids:
        return
    attended = (
        Attendance.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Enrolment.objects.filter(pk__in=ids).update(
        days_present=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0))
    )
