"""Who may see or change what in a coordination: written once, called by every view and export.

Roles live in one table (`Membership`); superusers act as coordinators of every
coordination. What a role may do is `ALLOWED`; a page asks for a capability, never for a
role. A stranger gets 404, a member whose role lacks the capability 403. A country focal
point is also scoped to one country (`Scope.country`): the builders show them their own
country's cells, answers and measures, and other countries only as the regional aggregate.
Respondents have no account: surveys binds their answers to a personal link or a round code.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from caseroom.surveys.models import Invitation

from .models import Coordination, Measure, Membership, Round

__all__ = [
    "ALLOWED",
    "Can",
    "Role",
    "Scope",
    "coordination_for",
    "coordinations_visible_to",
    "coordinations_where",
    "invitation_for",
    "may",
    "measure_for",
    "measures_visible",
    "needs",
    "public",
    "round_for",
    "scope_in",
    "signed_in",
]

Role = Membership.Role


class Can(enum.Enum):
    READ = "read"  # heatmap, rates, difficulties (suppressed), measures, reports: in scope
    SEE_ANSWERS = "see_answers"  # the raw answers of the scope (a focal point: their country)
    MEASURE = "measure"  # record and follow measures (a focal point: their country's)
    MANAGE = "manage"  # questionnaire, rounds, invitations, members, settings


ALLOWED: dict[Role, frozenset[Can]] = {
    Role.COORDINATOR: frozenset(Can),
    Role.FOCAL_POINT: frozenset({Can.READ, Can.SEE_ANSWERS, Can.MEASURE}),
    Role.OBSERVER: frozenset({Can.READ}),
}


@dataclass(frozen=True)
class Scope:
    """A member's seat: their role, and the one country a focal point is limited to."""

    role: Role
    country: str = ""  # "" = every country

    def may(self, need: Can) -> bool:
        return need in ALLOWED[self.role]

    def sees_country(self, country: str) -> bool:
        return not self.country or self.country == country


def _signed_in(user: User | AnonymousUser | Any) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def coordinations_visible_to(user: User | AnonymousUser | Any) -> QuerySet[Coordination]:
    if not _signed_in(user):
        return Coordination.objects.none()
    if user.is_superuser:
        return Coordination.objects.all()
    return Coordination.objects.filter(memberships__user=user)


def coordinations_where(user: User | AnonymousUser | Any, need: Can) -> QuerySet[Coordination]:
    """The coordinations where the user may do `need` for every country (no focal point's
    one-country seat), in one query: what a page offering "track it in…" lists."""
    if not _signed_in(user):
        return Coordination.objects.none()
    if user.is_superuser:
        return Coordination.objects.all()
    roles = [role for role, allowed in ALLOWED.items() if need in allowed]
    return Coordination.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=roles, country="").values(
            "coordination_id"
        )
    )


def scope_in(user: User | AnonymousUser | Any, coordination_id: int) -> Scope | None:
    """The user's seat in the coordination (a coordinator's for a superuser), or None;
    asked again by the page that renders, so kept on the user for the request."""
    known: dict[int, Scope | None] | None = getattr(user, "_cooperation_scopes", None)
    if known is not None and coordination_id in known:
        return known[coordination_id]
    scope = _scope_in(user, coordination_id)
    if _signed_in(user):
        user.__dict__.setdefault("_cooperation_scopes", {})[coordination_id] = scope
    return scope


def _scope_in(user: User | AnonymousUser | Any, coordination_id: int) -> Scope | None:
    if not _signed_in(user):
        return None
    if user.is_superuser:
        return Scope(Role.COORDINATOR)
    row = (
        Membership.objects.filter(user=user, coordination_id=coordination_id)
        .values_list("role", "country")
        .first()
    )
    return Scope(Role(row[0]), row[1]) if row else None


def may(scope: Scope | None, need: Can) -> bool:
    return scope is not None and scope.may(need)


def _check(request: HttpRequest, coordination_id: int, need: Can) -> Scope:
    scope = scope_in(request.user, coordination_id)
    if scope is None:
        raise Http404
    if not scope.may(need):
        raise PermissionDenied
    return scope


def coordination_for(
    request: HttpRequest, coordination_id: int, need: Can = Can.READ
) -> Coordination:
    _check(request, coordination_id, need)
    found = Coordination.objects.filter(pk=coordination_id).first()
    if found is None:
        raise Http404
    return found


def round_for(request: HttpRequest, round_id: int, need: Can = Can.READ) -> Round:
    """A round with its coordination, surveys round and version (not its source file), and
    the round it is compared with: one query."""
    found = (
        Round.objects.select_related("coordination", "survey__version", "previous__survey__version")
        .defer("survey__version__source", "previous__survey__version__source")
        .filter(pk=round_id)
        .first()
    )
    if found is None:
        raise Http404
    _check(request, found.coordination_id, need)
    return found


def invitation_for(request: HttpRequest, invitation_id: int, need: Can = Can.MANAGE) -> Invitation:
    """A personal link of a coordination's round, with that round, its coordination and the
    link's response (not its answers: only whether it was sent), in one query; 404 for a
    link of a round no coordination owns (a programme's)."""
    found = (
        Invitation.objects.select_related("round__cooperation_round__coordination", "response")
        .defer("response__answers")
        .filter(pk=invitation_id, round__cooperation_round__isnull=False)
        .first()
    )
    if found is None:
        raise Http404
    _check(request, found.round.cooperation_round.coordination_id, need)
    return found


def measures_visible(coordination: Coordination, scope: Scope) -> QuerySet[Measure]:
    """A coordination's measures a member sees: a focal point their country's and the
    regional ones (no country)."""
    found = Measure.objects.filter(coordination=coordination)
    if scope.country:
        found = found.filter(Q(country=scope.country) | Q(country=""))
    return found


def measure_for(request: HttpRequest, measure_id: int, need: Can = Can.READ) -> Measure:
    """404 for another country's measure of a focal point; 403 when they may read it but
    not change it (a regional measure is the coordinators')."""
    found = Measure.objects.select_related("coordination", "round").filter(pk=measure_id).first()
    if found is None:
        raise Http404
    scope = _check(request, found.coordination_id, Can.READ)
    if not scope.sees_country(found.country) and found.country:
        raise Http404
    if not scope.may(need) or (need == Can.MEASURE and scope.country != "" and not found.country):
        raise PermissionDenied
    return found


_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def needs(capability: Can) -> Callable[[_V], _V]:
    """Declares a page's capability: signed-in only, and listed in the access matrix
    (tests/cooperation/test_access_matrix.py). The `<thing>_for` call inside enforces it."""

    def declare(view: _V) -> _V:
        guarded = login_required(view)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded

    return declare


def signed_in(view: _V) -> _V:
    """Declares a page of no coordination yet (the list, a new one): any signed-in user."""
    guarded = login_required(view)
    guarded.signed_in = True  # type: ignore[attr-defined]
    return guarded


def public(view: _V) -> _V:
    view.public = True  # type: ignore[attr-defined]
    return view
