"""The personal links of a round as the coordinator follows them: each link's status (surveys'
`status_of`), filtered by country, agency and status, a page at a time, and the links per
country × status as a count table (programmes.disclosure, like every count of people here).

A fixed number of queries whatever the number of links: the table (one grouped query), the
number of links the filters match, and the page's links with their responses' state.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, QuerySet, Value, When

from caseroom.programmes.disclosure import CountTable, count_table
from caseroom.surveys.invitations import status_of
from caseroom.surveys.models import Invitation

from .forms import LINK_STATUSES
from .models import Round
from .scoring import Scoring

__all__ = ["PAGE_SIZE", "LinkList", "LinkRow", "link_list", "status_expression"]

PAGE_SIZE = 50


def status_expression() -> Case:
    """surveys.invitations.status_of in SQL, to filter and count by it: answers sent first
    (a link withdrawn afterwards keeps them), then withdrawn, then a draft saved."""
    return Case(
        When(response__submitted_at__isnull=False, then=Value("submitted")),
        When(revoked_at__isnull=False, then=Value("revoked")),
        When(response__isnull=False, then=Value("draft")),
        default=Value("not_started"),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class LinkRow:
    pk: int
    label: str
    country: str  # the form's label for it
    agency: str
    status: str  # status_of's code
    status_label: str
    created_at: dt.datetime

    @property
    def may_withdraw(self) -> bool:
        return self.status != "revoked"


@dataclass(frozen=True)
class LinkList:
    rows: tuple[LinkRow, ...]
    matching: int  # links the filters match
    page: int
    pages: int
    counts: CountTable  # every link of the round, per country × status

    @property
    def count_lines(self) -> tuple[tuple[str, tuple[int | None, ...], int | None], ...]:
        table = self.counts
        return tuple(zip(table.rows, table.cells, table.row_totals, strict=True))

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _filtered(round_: Round, *, country: str, agency: str, status: str) -> QuerySet[Invitation]:
    found = Invitation.objects.filter(round_id=round_.survey_id)
    if country:
        found = found.filter(country=country)
    if agency:
        found = found.filter(agency=agency)
    if status:
        found = found.alias(status=status_expression()).filter(status=status)
    return found


def _counts(round_: Round, scoring: Scoring, min_cell: int) -> CountTable:
    grouped = (
        Invitation.objects.filter(round_id=round_.survey_id)
        .annotate(status=status_expression())
        .order_by()
        .values_list("country", "status")
        .annotate(n=Count("pk"))
    )
    counts: Counter[tuple[str, str]] = Counter()
    known = {code for code, _label in scoring.countries}
    for country, status, n in grouped:
        counts[(country if country in known else "*", status)] += n
    rows = list(scoring.countries)
    if any(country == "*" for country, _s in counts):
        rows.append(("*", "—"))
    return count_table(
        counts,
        [label for _c, label in rows],
        [str(label) for _s, label in LINK_STATUSES],
        min_cell=min_cell,
        row_keys=[code for code, _l in rows],
        column_keys=[code for code, _l in LINK_STATUSES],
    )


def link_list(
    round_: Round,
    scoring: Scoring,
    *,
    country: str = "",
    agency: str = "",
    status: str = "",
    page: int = 1,
) -> LinkList:
    """The round's links as `scoring`'s labels name them (three queries)."""
    found = _filtered(round_, country=country, agency=agency, status=status)
    matching = found.count()
    pages = max(1, -(-matching // PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    invitations = (
        found.select_related("response")
        .only(
            "pk", "label", "country", "agency", "created_at", "revoked_at",
            "response__id", "response__submitted_at", "response__invitation",
        )
        .order_by("pk")[start : start + PAGE_SIZE]
    )  # fmt: skip
    countries, agencies = dict(scoring.countries), dict(scoring.agencies)
    rows = []
    for invitation in invitations:
        state = status_of(invitation)
        rows.append(
            LinkRow(
                pk=invitation.pk,
                label=invitation.label,
                country=countries.get(invitation.country, invitation.country),
                agency=agencies.get(invitation.agency, invitation.agency),
                status=state.code,
                status_label=state.label,
                created_at=invitation.created_at,
            )
        )
    return LinkList(
        rows=tuple(rows),
        matching=matching,
        page=page,
        pages=pages,
        counts=_counts(round_, scoring, round_.coordination.min_cell),
    )
