"""The directory's search and the audit page's rows: plain functions returning frozen
dataclasses, so templates only lay out strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Area, ContactView, Expert

RESULTS = 200  # the page shows at most this many; a search narrows further
AUDIT_ROWS = 500


@dataclass(frozen=True)
class Entry:
    pk: int
    name: str
    country: str
    institution: str
    function: str
    languages: str
    areas: tuple[str, ...]
    jits_count: int
    jit_years: str


def _confirmed() -> QuerySet[Expert]:
    return Expert.objects.filter(state=Expert.State.CONFIRMED)


def search(criteria: Mapping[str, str]) -> list[Entry]:
    """Confirmed experts matching every given criterion; two queries whatever the count."""
    found = _confirmed()
    if criteria.get("country"):
        found = found.filter(country=criteria["country"])
    if criteria.get("area"):
        found = found.filter(areas__area=criteria["area"])
    if criteria.get("language"):
        found = found.filter(languages__icontains=criteria["language"].strip())
    if criteria.get("function"):
        found = found.filter(function__icontains=criteria["function"].strip())
    experts = (
        found.select_related("user")
        .prefetch_related("areas")
        .order_by("country", "user__last_name", "pk")[:RESULTS]
    )
    return [entry(expert) for expert in experts]


def entry(expert: Expert) -> Entry:
    labels = dict(Area.choices)
    return Entry(
        pk=expert.pk,
        name=expert.user.get_full_name() or expert.user.get_username(),
        country=expert.get_country_display(),
        institution=expert.institution,
        function=expert.function,
        languages=expert.languages,
        areas=tuple(str(labels[a.area]) for a in expert.areas.all()),
        jits_count=expert.jits_count,
        jit_years=expert.jit_years,
    )


@dataclass(frozen=True)
class AuditRow:
    viewer_id: int
    expert_id: int
    at: dt.datetime


def audit_rows(limit: int | None = AUDIT_ROWS) -> list[AuditRow]:
    """The contact-view log, newest first: ids and times only."""
    rows = ContactView.objects.order_by("-at", "-pk").values_list("viewer_id", "expert_id", "at")
    if limit is not None:
        rows = rows[:limit]
    return [AuditRow(v, e, at) for v, e, at in rows]
