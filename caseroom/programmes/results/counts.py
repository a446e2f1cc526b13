"""What the indicators and the donor report count, as queries: one rule per measure.

A *scope* is a programme, a date range (sessions whose first day falls in it) and optionally
one module. Within a scope each measure names its records:

- people_trained: distinct people with a completed enrolment (`counting.completed`);
- trainers: distinct people who completed a training of trainers (ToT) session;
- tot_reach: distinct people who completed a session of the training-of-trainers cascade
  that starts in the range, by the rule of `delivery.cascade.tot_reach` (a graduate's
  sessions after the ToT that qualified them);
- sessions and training_days: the sessions, and the sum of their days;
- gain_above: distinct people with a pre- and a post-test in the same session whose
  normalised gain (Hake's g on the shares of each test's maximum) reaches the scope's
  threshold; its denominator (`tested`) is everyone with both tests who had room to gain.

Breakdowns are one GROUP BY each (`people_counts`, `session_counts`), so a table costs one
query whatever the number of people. The same filters, given one cell's keys, list the
records behind that cell (`people_behind`, `sessions_behind`): the trace page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast

from ..counting import completed
from ..delivery.cascade import tot_reach
from ..models import Enrolment, Indicator, Person, Programme, Session

__all__ = [
    "DIMENSIONS",
    "PEOPLE_MEASURES",
    "SESSION_DIMENSIONS",
    "SESSION_MEASURES",
    "Key",
    "Scope",
    "counted_enrolments",
    "enrolments_behind",
    "people_behind",
    "people_counts",
    "session_counts",
    "sessions_behind",
    "sessions_in",
    "tested",
    "with_cascade",
]

Measure = Indicator.Measure
PEOPLE_MEASURES = (
    Measure.PEOPLE_TRAINED,
    Measure.TRAINERS,
    Measure.TOT_REACH,
    Measure.GAIN_ABOVE,
)
SESSION_MEASURES = (Measure.SESSIONS, Measure.TRAINING_DAYS)

# How each breakdown dimension reads on an enrolment (people) and on a session. A person's
# country is where they work; a session's country is where it was held.
DIMENSIONS = {
    "sex": "person__sex",
    "agency": "person__agency",
    "country": "person__country",
    "module": "session__module_id",
}
SESSION_DIMENSIONS = {"country": "country", "module": "module_id"}

Key = str | int  # a dimension's value: a code, an agency's name or a module's id


@dataclass(frozen=True)
class Scope:
    programme_id: int
    start: dt.date
    end: dt.date
    module_id: int | None = None
    # The training-of-trainers cascade's sessions in the range (`with_cascade`), once known.
    cascade: frozenset[int] | None = field(default=None, compare=False, repr=False)
    # gain_above only: the normalised gain a person must reach (0..1).
    threshold: Decimal | None = None


def sessions_in(scope: Scope) -> QuerySet[Session]:
    sessions = Session.objects.filter(
        module__programme_id=scope.programme_id,
        starts_on__gte=scope.start,
        starts_on__lte=scope.end,
    )
    if scope.module_id is not None:
        sessions = sessions.filter(module_id=scope.module_id)
    return sessions


def _enrolments_in(scope: Scope) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(
        session__module__programme_id=scope.programme_id,
        session__starts_on__gte=scope.start,
        session__starts_on__lte=scope.end,
    )
    if scope.module_id is not None:
        enrolments = enrolments.filter(session__module_id=scope.module_id)
    return enrolments


def with_cascade(scope: Scope) -> Scope:
    """The scope with its cascade sessions looked up once (four queries, see
    `delivery.cascade.tot_reach`), for a page that counts the reach more than once."""
    if scope.cascade is not None:
        return scope
    # tot_reach filters by the programme; an unsaved instance with its key is enough.
    reach = tot_reach(Programme(pk=scope.programme_id), scope.start, scope.end)
    return replace(scope, cascade=reach.sessions)


def tested(scope: Scope) -> QuerySet[Enrolment]:
    """Enrolments with a pre- and a post-test, annotated with each test's share of its
    maximum (two joins, no subquery per row), where the pre-test left room to gain."""
    share = FloatField()
    return (
        _enrolments_in(scope)
        .alias(
            pre=FilteredRelation("test_results", condition=Q(test_results__purpose="pre")),
            post=FilteredRelation("test_results", condition=Q(test_results__purpose="post")),
        )
        .filter(pre__isnull=False, post__isnull=False)
        .alias(
            pre_share=Cast("pre__score", share) / Cast("pre__max_score", share),
            post_share=Cast("post__score", share) / Cast("post__max_score", share),
        )
        .filter(pre_share__lt=1.0)
    )


def counted_enrolments(measure: str, scope: Scope) -> QuerySet[Enrolment]:
    """The completed enrolments whose people a people measure counts (for gain_above: the
    tested enrolments whose gain reaches the scope's threshold)."""
    if measure == Measure.GAIN_ABOVE:
        # g = (post − pre) / (1 − pre) ≥ t  ⇔  post − pre ≥ t·(1 − pre), as pre < 1.
        threshold = float(scope.threshold if scope.threshold is not None else 0)
        return tested(scope).filter(  # type: ignore[misc]  # an alias the stubs do not see
            post_share__gte=F("pre_share") + threshold * (1.0 - F("pre_share"))
        )
    done = completed(_enrolments_in(scope))
    if measure == Measure.PEOPLE_TRAINED:
        return done
    if measure == Measure.TRAINERS:
        return done.filter(session__is_tot=True)
    if measure == Measure.TOT_REACH:
        # The cascade's rule is the delivery part's (graduates train after their ToT):
        # the people reached are those who completed one of its sessions.
        cascade = with_cascade(scope).cascade
        assert cascade is not None
        return done.filter(session_id__in=sorted(cascade))
    raise ValueError(f"{measure!r} does not count people")


def _where(paths: Mapping[str, str], filters: Mapping[str, Key]) -> Q:
    return Q(**{paths[dim]: value for dim, value in filters.items()})


def people_counts(measure: str, scope: Scope, dims: Sequence[str]) -> dict[tuple[Key, ...], int]:
    """Distinct people per combination of `dims` (one query; () gives the total)."""
    enrolments = counted_enrolments(measure, scope)
    if not dims:
        total = enrolments.aggregate(n=Count("person_id", distinct=True))["n"]
        return {(): int(total or 0)}
    paths = [DIMENSIONS[dim] for dim in dims]
    rows = enrolments.values(*paths).annotate(n=Count("person_id", distinct=True)).order_by()
    return {tuple(row[path] for path in paths): int(row["n"]) for row in rows}


def session_counts(measure: str, scope: Scope, dims: Sequence[str]) -> dict[tuple[Key, ...], int]:
    """Sessions (or their training days) per combination of `dims` (one query)."""
    if measure not in SESSION_MEASURES:
        raise ValueError(f"{measure!r} does not count sessions")
    value = Count("pk") if measure == Measure.SESSIONS else Sum("days")
    sessions = sessions_in(scope)
    if not dims:
        return {(): int(sessions.aggregate(n=value)["n"] or 0)}
    paths = [SESSION_DIMENSIONS[dim] for dim in dims]
    rows = sessions.values(*paths).annotate(n=value).order_by()
    return {tuple(row[path] for path in paths): int(row["n"] or 0) for row in rows}


def people_behind(measure: str, scope: Scope, filters: Mapping[str, Key]) -> QuerySet[Person]:
    """The people one cell counts (distinct, in the registry's order)."""
    enrolments = counted_enrolments(measure, scope).filter(_where(DIMENSIONS, filters))
    return Person.objects.filter(pk__in=enrolments.values("person_id"))


def enrolments_behind(
    measure: str, scope: Scope, filters: Mapping[str, Key], people: Sequence[int]
) -> QuerySet[Enrolment]:
    """The counted enrolments of some of those people: which sessions made them count."""
    return (
        counted_enrolments(measure, scope)
        .filter(_where(DIMENSIONS, filters), person_id__in=people)
        .select_related("session__module")
        .order_by("session__starts_on", "session_id")
    )


def sessions_behind(scope: Scope, filters: Mapping[str, Key]) -> QuerySet[Session]:
    """The sessions one cell of a session measure counts."""
    return (
        sessions_in(scope)
        .filter(_where(SESSION_DIMENSIONS, filters))
        .select_related("module")
        .order_by("starts_on", "pk")
    )
