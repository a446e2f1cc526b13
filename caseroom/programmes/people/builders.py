"""What the registry's pages show, as frozen dataclasses (templates only lay them out).

None of these reads a sensitive value: the person page learns only whether a record exists
and when consent was given; `communities` reads values only to count them, through
`disclosure` with the programme's `min_cell`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseroom.programmes.counting import has_completed
from caseroom.programmes.disclosure import CountTable, count_list, count_table
from caseroom.programmes.models import (
    COUNTRIES,
    Enrolment,
    Module,
    Person,
    Programme,
    SensitiveRecord,
)

from . import lookalikes
from .forms import PAGE_SIZE
from .names import plain

__all__ = ["communities", "lookalike_page", "people_page", "person_enrolments", "person_page"]

COUNTRY_NAMES = {code: str(label) for code, label in COUNTRIES}
# Each country's name as plain words, worked out once rather than per search word.
COUNTRY_WORDS = {code: frozenset(plain(name).split()) for code, name in COUNTRY_NAMES.items()}


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


@dataclass(frozen=True)
class PersonRow:
    pk: int
    name: str
    agency: str
    unit: str
    country: str
    sessions: int


@dataclass(frozen=True)
class PeoplePage:
    rows: tuple[PersonRow, ...]
    total: int
    page: int
    pages: int
    q: str

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def search(programme: Programme, q: str) -> QuerySet[Person]:
    """People whose name (any script, any accents), agency or country matches every word."""
    people = Person.objects.filter(programme=programme)
    for word in q.split()[:8]:
        key = plain(word)
        match = Q(agency__icontains=word) | Q(unit__icontains=word) | Q(country__iexact=word)
        # "North Macedonia" is two words: each finds the countries whose name has it.
        match |= Q(country__in=[c for c, words in COUNTRY_WORDS.items() if key in words])
        if key:
            match |= Q(match_key__contains=key)
        people = people.filter(match)
    return people


def people_page(programme: Programme, q: str = "", page: int = 1) -> PeoplePage:
    """One page of the registry (two queries: the count and the page)."""
    people = search(programme, q)
    total = people.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    rows = people.annotate(sessions=Count("enrolments")).order_by("family_name", "given_name", "pk")
    return PeoplePage(
        rows=tuple(
            PersonRow(p.pk, p.full_name, p.agency, p.unit, country_name(p.country), p.sessions)
            for p in rows[start : start + PAGE_SIZE]
        ),
        total=total,
        page=page,
        pages=pages,
        q=q,
    )


@dataclass(frozen=True)
class EnrolmentRow:
    session_id: int
    session: str
    module: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    role: str
    days: tuple[int, ...]  # the days attended
    of_days: int
    completed: bool
    certificate: str  # its number, or ""
    certificate_valid: bool


@dataclass(frozen=True)
class PersonPage:
    person: Person
    country: str
    enrolments: tuple[EnrolmentRow, ...]
    consent_given_at: dt.datetime | None  # a sensitive record exists; its value is not read


def person_enrolments(person: Person) -> QuerySet[Enrolment]:
    """The person's enrolments with session, module, certificate and days (two queries);
    the person page and the personal-data export list the same ones."""
    return (
        Enrolment.objects.filter(person=person)
        .select_related("session__module", "certificate")
        .prefetch_related("attendance")
        .order_by("session__starts_on", "pk")
    )


def person_page(person: Person) -> PersonPage:
    """The person with their sessions, days and certificates (three queries)."""
    rows = []
    for e in person_enrolments(person):
        certificate = getattr(e, "certificate", None)
        rows.append(
            EnrolmentRow(
                session_id=e.session_id,
                session=e.session.title,
                module=str(e.session.module),
                starts_on=e.session.starts_on,
                ends_on=e.session.ends_on,
                place=e.session.place,
                role=e.get_role_display(),
                days=tuple(a.day for a in e.attendance.all()),
                of_days=e.session.days,
                completed=has_completed(
                    e, days=e.session.days, rule=e.session.module.attendance_rule
                ),
                certificate=certificate.number if certificate else "",
                certificate_valid=bool(certificate and certificate.valid),
            )
        )
    consent = (
        SensitiveRecord.objects.filter(person=person)
        .values_list("consent_given_at", flat=True)
        .first()
    )
    return PersonPage(person, country_name(person.country), tuple(rows), consent)


# ---------------------------------------------------------------- communities


@dataclass(frozen=True)
class Line:
    label: str
    cells: tuple[int | None, ...]  # None: hidden
    total: int | None


@dataclass(frozen=True)
class Shown:
    """A suppressed table laid out by line, as a template needs it."""

    table: CountTable
    lines: tuple[Line, ...]


def shown(table: CountTable) -> Shown:
    return Shown(
        table,
        tuple(
            Line(label, cells, total)
            for label, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
        ),
    )


# Keys no community can have: `plain` never yields a control character.
NOT_RECORDED, OTHER = "\0", "\1"


@dataclass(frozen=True)
class CommunitiesPage:
    """Only the suppressed tables: a separate "people with a record" figure would give the
    hidden "not recorded" count away by subtraction from the total."""

    by_community: Shown
    by_module: Shown


def communities(programme: Programme) -> CommunitiesPage:
    """People by self-identified community, and by community × module, for publication.

    Values are grouped without case or accents ("Roma", "roma", "Róma" are one group) and
    shown as first written by the most people. Everyone without a record is counted under
    "not recorded", so the list adds up to the programme's people; per module, a person is
    counted once in each module they were enrolled in.
    """
    people = Person.objects.filter(programme=programme)
    total = people.count()
    spelled: dict[str, dict[str, int]] = {}
    by_key: dict[str, int] = {}
    for community, n in (
        SensitiveRecord.objects.filter(person__programme=programme)
        .values_list("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    ):
        key = plain(community) or community.casefold()
        by_key[key] = by_key.get(key, 0) + n
        spelled.setdefault(key, {})[community] = n
    # A community is typed freely, so its name alone can single someone out ("Gorani of
    # Restelica"): communities of fewer than min_cell people are named only as "other".
    rare = {k for k, n in by_key.items() if n < programme.min_cell}
    keys = sorted((k for k in by_key if k not in rare), key=lambda k: (-by_key[k], k))
    labels = [max(spelled[k], key=lambda s: (spelled[k][s], s)) for k in keys]
    counts: dict[Hashable, int] = {k: by_key[k] for k in keys}
    counts[OTHER] = sum(by_key[k] for k in rare)
    counts[NOT_RECORDED] = total - sum(by_key.values())
    other = _("Other communities (fewer than %(k)d people each)") % {"k": programme.min_cell}
    row_labels = [*labels, other, _("Not recorded")]
    row_keys: list[Hashable] = [*keys, OTHER, NOT_RECORDED]
    by_community = count_list(counts, row_labels, keys=row_keys, min_cell=programme.min_cell)
    modules = list(Module.objects.filter(programme=programme).order_by("number"))
    cells: dict[tuple[Hashable, Hashable], int] = {}
    enrolled = (
        Enrolment.objects.filter(session__module__programme=programme)
        .values_list("session__module_id", "person_id", "person__sensitive__community")
        .distinct()
    )
    for module_id, _person, community in enrolled:
        key = NOT_RECORDED if community is None else (plain(community) or community.casefold())
        key = OTHER if key in rare else key
        cells[(key, module_id)] = cells.get((key, module_id), 0) + 1
    by_module = count_table(
        cells,
        row_labels,
        [str(m) for m in modules],
        row_keys=row_keys,
        column_keys=[m.pk for m in modules],
        min_cell=programme.min_cell,
    )
    return CommunitiesPage(shown(by_community), shown(by_module))


# ---------------------------------------------------------------- look-alikes


@dataclass(frozen=True)
class Side:
    pk: int
    name: str
    agency: str
    unit: str
    country: str
    email: str
    phone: str
    sessions: int


@dataclass(frozen=True)
class Pair:
    first: Side
    second: Side
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LookalikePage:
    pairs: tuple[Pair, ...]
    total: int


REASONS = {
    lookalikes.Reason.SAME_NAME: gettext_lazy("same name"),
    lookalikes.Reason.SIMILAR_NAME: gettext_lazy(
        "same family name, similar given name, same agency or country"
    ),
    lookalikes.Reason.SAME_EMAIL: gettext_lazy("same e-mail"),
    lookalikes.Reason.SAME_PHONE: gettext_lazy("same phone"),
}


def lookalike_page(programme: Programme, limit: int = 50) -> LookalikePage:
    """The best `limit` suggestions with both people (three queries)."""
    found = lookalikes.suggestions(programme)
    shown = found[:limit]
    ids = {pk for s in shown for pk in (s.first, s.second)}
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=ids).annotate(sessions=Count("enrolments"))
    }

    def side(pk: int) -> Side:
        p = people[pk]
        return Side(
            p.pk, p.full_name, p.agency, p.unit, country_name(p.country), p.email, p.phone,
            p.sessions,
        )  # fmt: skip

    return LookalikePage(
        pairs=tuple(
            Pair(
                side(s.first),
                side(s.second),
                tuple(str(REASONS[r]) for r in lookalikes.Reason if r in s.reasons),
            )
            for s in shown
        ),
        total=len(found),
    )
