"""The counting rules every page, report and certificate shares, written once.

A participant *completed* a session (counts as trained, may get a certificate) when they
attended at least the module's share of its days: days_present × 100 ≥ attendance_rule ×
session.days. `Enrolment.days_present` is kept in step with the Attendance rows by the
delivery actions, so the rule is one filter with no join to Attendance.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import Enrolment


def completed(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """The participants' enrolments that meet their module's attendance rule (whole numbers
    on both sides, so SQLite and PostgreSQL agree to the day)."""
    return enrolments.alias(
        attended_pct=F("days_present") * 100,
        needed_pct=F("session__module__attendance_rule") * F("session__days"),
    ).filter(
        role=Enrolment.Role.PARTICIPANT, days_present__gte=1, attended_pct__gte=F("needed_pct")
    )


def has_completed(enrolment: Enrolment, *, days: int, rule: int) -> bool:
    """The same rule for one enrolment already loaded (no query)."""
    return (
        enrolment.role == Enrolment.Role.PARTICIPANT
        and enrolment.days_present >= 1
        and enrolment.days_present * 100 >= rule * days
    )
