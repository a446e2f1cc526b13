"""The training-of-trainers cascade: ToT session → its graduates → the later national
sessions each trains → the people those sessions reached. Four queries whatever the size.

Rules, written once here (the donor report imports `tot_reach`):
- a *graduate* completed (counting.completed) a ToT session of the programme; they belong to
  the first ToT they completed (by its last day), the one that qualified them;
- their *cascade sessions* are the programme's non-ToT sessions where they are a trainer
  (Enrolment role=trainer) that start after that ToT's last day;
- *people reached* are the participants who completed a cascade session, each person
  counted once however many sessions or trainers reached them;
- multipliers: per trainer, people reached (÷ 1); per ToT, its graduates' reach ÷ its
  graduates; per country, people reached there (a person in the country of the first
  cascade session they completed) ÷ the graduates from that country. The per-country counts
  go through `disclosure.count_list` with the programme's `min_cell`, as every breakdown of
  people does; a multiplier is shown only where both its counts are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ..counting import completed
from ..disclosure import CountTable, count_list
from ..models import COUNTRIES, Enrolment, Programme, Session

__all__ = ["Cascade", "CountryLine", "Graduate", "Reach", "TotNode", "cascade", "tot_reach"]


@dataclass(frozen=True)
class Reach:
    """What the donor report counts: the ids behind each number, so each cell can link to
    the records it counts. Sessions and graduation are filtered by the date range."""

    people: frozenset[int]  # persons reached by cascade sessions starting in the range
    trainers: frozenset[int]  # graduates who trained at least one of those sessions
    graduates: frozenset[int]  # persons whose qualifying ToT ended in the range
    sessions: frozenset[int]  # the cascade sessions starting in the range

    @property
    def multiplier(self) -> float | None:
        """People reached per trainer who trained (None when nobody trained)."""
        return len(self.people) / len(self.trainers) if self.trainers else None


@dataclass(frozen=True)
class TrainedSession:
    pk: int
    title: str
    starts_on: dt.date
    country: str
    reached: int


@dataclass(frozen=True)
class Graduate:
    label: str  # the name, or "Trainer 3" for a reader who may not see names
    person_id: int | None  # None without names
    sessions: tuple[TrainedSession, ...]
    reached: int  # also the trainer's multiplier (people reached per one trainer)


@dataclass(frozen=True)
class TotNode:
    pk: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    country: str
    graduates: tuple[Graduate, ...]
    reached: int
    multiplier: float | None  # reached ÷ graduates


@dataclass(frozen=True)
class CountryLine:
    code: str
    label: str
    reached: int | None  # None: suppressed (small cell)
    graduates: int | None
    multiplier: float | None


@dataclass(frozen=True)
class Cascade:
    tots: tuple[TotNode, ...]
    reached: int
    graduates: int
    trainers: int  # graduates who trained at least one cascade session
    multiplier: float | None  # reached ÷ graduates, the programme's whole cascade
    countries: tuple[CountryLine, ...]
    reached_by_country: CountTable
    graduates_by_country: CountTable
    with_names: bool


@dataclass(frozen=True)
class _Rows:
    tots: list[Session]
    first_tot: dict[int, int]  # graduate → the ToT session that qualified them
    graduate: dict[int, tuple[str, str]]  # graduate → (name, country)
    taught: dict[int, list[int]]  # graduate → cascade session ids, in date order
    sessions: dict[int, Session]  # cascade sessions
    reached: dict[int, list[int]]  # cascade session → persons who completed it


def _load(programme: Programme, start: dt.date | None, end: dt.date | None) -> _Rows:
    """The four queries; everything else is arithmetic on their rows."""
    tots = list(
        Session.objects.filter(module__programme=programme, is_tot=True)
        .order_by("ends_on", "starts_on", "pk")
        .only("pk", "title", "starts_on", "ends_on", "place", "country")
    )
    ends = {t.pk: t.ends_on for t in tots}
    graduations = _graduations(programme).values_list(
        "person_id", "session_id", "person__given_name", "person__family_name", "person__country"
    )
    first_tot: dict[int, int] = {}
    graduate: dict[int, tuple[str, str]] = {}
    for person_id, tot_id, given, family, country in graduations:
        if person_id not in first_tot:  # rows come in ToT order: the first one qualified them
            first_tot[person_id] = tot_id
            graduate[person_id] = (f"{given} {family}", country)
    trainer_of = Q(
        session__module__programme=programme,
        session__is_tot=False,
        role=Enrolment.Role.TRAINER,
        person_id__in=_graduations(programme).values("person_id"),
    )
    if start is not None:
        trainer_of &= Q(session__starts_on__gte=start)
    if end is not None:
        trainer_of &= Q(session__starts_on__lte=end)
    taught: dict[int, list[int]] = {}
    sessions: dict[int, Session] = {}
    for enrolment in (
        Enrolment.objects.filter(trainer_of)
        .select_related("session")
        .only("person_id", "session__title", "session__starts_on", "session__country")
        .order_by("session__starts_on", "session_id")
    ):
        tot = first_tot.get(enrolment.person_id)
        if tot is None or enrolment.session.starts_on <= ends[tot]:
            continue  # trained before graduating: not part of the cascade
        taught.setdefault(enrolment.person_id, []).append(enrolment.session_id)
        sessions[enrolment.session_id] = enrolment.session
    reached: dict[int, list[int]] = {}
    for session_id, person_id in (
        completed(Enrolment.objects.filter(session_id__in=list(sessions)))
        .order_by("session__starts_on", "session_id", "person_id")
        .values_list("session_id", "person_id")
    ):
        reached.setdefault(session_id, []).append(person_id)
    return _Rows(tots, first_tot, graduate, taught, sessions, reached)


def _graduations(programme: Programme) -> QuerySet[Enrolment]:
    """Completed ToT enrolments of the programme, the earliest ToT first."""
    return completed(
        Enrolment.objects.filter(session__module__programme=programme, session__is_tot=True)
    ).order_by("session__ends_on", "session__starts_on", "session_id")


def _people(rows: _Rows, session_ids: Iterable[int]) -> set[int]:
    return {p for pk in session_ids for p in rows.reached.get(pk, [])}


def tot_reach(
    programme: Programme, start: dt.date | None = None, end: dt.date | None = None
) -> Reach:
    """The cascade's reach in a date range (both ends included; None: unbounded): cascade
    sessions that start in it, the people they reached and who trained them, and the
    graduates of ToTs that ended in it. Four queries."""
    rows = _load(programme, start, end)
    ends = {t.pk: t.ends_on for t in rows.tots}
    return Reach(
        people=frozenset(_people(rows, rows.sessions)),
        trainers=frozenset(rows.taught),
        graduates=frozenset(
            person for person, tot in rows.first_tot.items() if _within(ends[tot], start, end)
        ),
        sessions=frozenset(rows.sessions),
    )


def _within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _ratio(top: int | None, bottom: int | None) -> float | None:
    return round(top / bottom, 2) if top is not None and bottom else None


def cascade(programme: Programme, *, with_names: bool) -> Cascade:
    """The whole tree for the cascade page; names only `with_names` (Can.SEE_PEOPLE)."""
    rows = _load(programme, None, None)
    by_tot: dict[int, list[int]] = {}
    for person, tot_id in rows.first_tot.items():
        by_tot.setdefault(tot_id, []).append(person)
    numbered = 0
    nodes = []
    for tot in rows.tots:
        graduates = []
        members = sorted(by_tot.get(tot.pk, []), key=lambda p: (rows.graduate[p][0], p))
        for person in members:
            numbered += 1
            taught = rows.taught.get(person, [])
            graduates.append(
                Graduate(
                    label=rows.graduate[person][0]
                    if with_names
                    else _("Trainer %(n)d") % {"n": numbered},
                    person_id=person if with_names else None,
                    sessions=tuple(_trained(rows, pk) for pk in taught),
                    reached=len(_people(rows, taught)),
                )
            )
        reached = len(_people(rows, (pk for p in members for pk in rows.taught.get(p, []))))
        nodes.append(
            TotNode(
                pk=tot.pk,
                title=tot.title,
                starts_on=tot.starts_on,
                ends_on=tot.ends_on,
                place=tot.place,
                country=tot.country,
                graduates=tuple(graduates),
                reached=reached,
                multiplier=_ratio(reached, len(members)),
            )
        )
    reached_all = _people(rows, rows.sessions)
    reached_table, graduates_table = _by_country(programme, rows)
    countries = tuple(
        CountryLine(
            code=code,
            label=label,
            reached=reached,
            graduates=graduates,
            multiplier=_ratio(reached, graduates),
        )
        for code, label, (reached,), (graduates,) in zip(
            _codes(rows),
            reached_table.rows,
            reached_table.cells,
            graduates_table.cells,
            strict=True,
        )
    )
    return Cascade(
        tots=tuple(nodes),
        reached=len(reached_all),
        graduates=len(rows.first_tot),
        trainers=len(rows.taught),
        multiplier=_ratio(len(reached_all), len(rows.first_tot)),
        countries=countries,
        reached_by_country=reached_table,
        graduates_by_country=graduates_table,
        with_names=with_names,
    )


def _trained(rows: _Rows, pk: int) -> TrainedSession:
    session = rows.sessions[pk]
    return TrainedSession(
        pk=pk,
        title=session.title,
        starts_on=session.starts_on,
        country=session.country,
        reached=len(rows.reached.get(pk, [])),
    )


def _reached_where(rows: _Rows) -> dict[int, str]:
    """Each person reached, in the country of the first cascade session they completed."""
    where: dict[int, str] = {}
    for pk in sorted(rows.sessions, key=lambda pk: (rows.sessions[pk].starts_on, pk)):
        for person in rows.reached.get(pk, []):
            where.setdefault(person, rows.sessions[pk].country)
    return where


def _codes(rows: _Rows) -> list[str]:
    found = set(_reached_where(rows).values()) | {c for _n, c in rows.graduate.values()}
    order = [code for code, _label in COUNTRIES]
    return sorted(found, key=lambda c: (order.index(c) if c in order else len(order), c))


def _by_country(programme: Programme, rows: _Rows) -> tuple[CountTable, CountTable]:
    codes = _codes(rows)
    names = dict(COUNTRIES)
    labels = [str(names.get(code, code)) for code in codes]
    reached: dict[Hashable, int] = {}
    for country in _reached_where(rows).values():
        reached[country] = reached.get(country, 0) + 1
    graduates: dict[Hashable, int] = {}
    for _name, country in rows.graduate.values():
        graduates[country] = graduates.get(country, 0) + 1
    return (
        count_list(reached, labels, keys=codes, min_cell=programme.min_cell),
        count_list(graduates, labels, keys=codes, min_cell=programme.min_cell),
    )
