"""Who may see or change a legislation assessment: written once, called by every view and export.

A matrix belongs to a cooperation `Coordination` and reuses its seats (cooperation.Membership)
rather than a table of its own: the recommendations become that coordination's measures, so
the people who follow those measures are the ones who read the assessment, and a second
member list would drift from the first. Its coordinators (and superusers) assess and turn
recommendations into measures; focal points and observers read the whole matrix (national
law is public; no person is counted here). A stranger gets 404, a reader who asks to write 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from caseroom.cooperation import access as cooperation
from caseroom.cooperation.models import Coordination

from .models import Criterion, Matrix

__all__ = [
    "ALLOWED",
    "Can",
    "Role",
    "coordination_for",
    "criterion_for",
    "coordinations_assessable_by",
    "matrices_visible_to",
    "matrix_for",
    "may",
    "needs",
    "public",
    "role_in",
    "signed_in",
]

Role = cooperation.Role


class Can(enum.Enum):
    READ = "read"  # the heatmap, a cell with its history, the exports
    ASSESS = "assess"  # criteria, assessments, recommendations made measures


ALLOWED: dict[Role, frozenset[Can]] = {
    Role.COORDINATOR: frozenset(Can),
    Role.FOCAL_POINT: frozenset({Can.READ}),
    Role.OBSERVER: frozenset({Can.READ}),
}


def role_in(user: User | AnonymousUser | Any, coordination_id: int) -> Role | None:
    scope = cooperation.scope_in(user, coordination_id)
    return None if scope is None else scope.role


def may(role: Role | None, need: Can) -> bool:
    return role is not None and need in ALLOWED[role]


def matrices_visible_to(user: User | AnonymousUser | Any) -> QuerySet[Matrix]:
    return Matrix.objects.filter(
        coordination__in=cooperation.coordinations_visible_to(user)
    ).select_related("coordination")


def coordinations_assessable_by(user: User | AnonymousUser | Any) -> QuerySet[Coordination]:
    """The coordinations whose seat lets `user` assess (make a matrix), in one query rather
    than a `role_in` per coordination."""
    if not isinstance(user, User) or not user.is_active or user.is_superuser:
        return cooperation.coordinations_visible_to(user)  # none, or all (a coordinator's seat)
    roles = [role for role, allowed in ALLOWED.items() if Can.ASSESS in allowed]
    return Coordination.objects.filter(memberships__user=user, memberships__role__in=roles)


def _check(request: HttpRequest, coordination_id: int, need: Can) -> Role:
    role = role_in(request.user, coordination_id)
    if role is None:
        raise Http404
    if need not in ALLOWED[role]:
        raise PermissionDenied
    return role


def coordination_for(
    request: HttpRequest, coordination_id: int, need: Can = Can.ASSESS
) -> Coordination:
    """The coordination a new matrix is made in (its coordinators only)."""
    _check(request, coordination_id, need)
    found = Coordination.objects.filter(pk=coordination_id).first()
    if found is None:
        raise Http404
    return found


def matrix_for(request: HttpRequest, matrix_id: int, need: Can = Can.READ) -> Matrix:
    """A matrix with its coordination (one query)."""
    found = Matrix.objects.select_related("coordination").filter(pk=matrix_id).first()
    if found is None:
        raise Http404
    _check(request, found.coordination_id, need)
    return found


def criterion_for(request: HttpRequest, criterion_id: int, need: Can = Can.READ) -> Criterion:
    """A criterion with its matrix and coordination (one query)."""
    found = Criterion.objects.select_related("matrix__coordination").filter(pk=criterion_id).first()
    if found is None:
        raise Http404
    _check(request, found.matrix.coordination_id, need)
    return found


_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def needs(capability: Can) -> Callable[[_V], _V]:
    """Declares a page's capability: signed-in only, and listed in the access matrix
    (tests/legislation/test_access_matrix.py). The `<thing>_for` call inside enforces it."""

    def declare(view: _V) -> _V:
        guarded = login_required(view)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded

    return declare


def signed_in(view: _V) -> _V:
    """Declares a page of no matrix yet (the list): any signed-in user."""
    guarded = login_required(view)
    guarded.signed_in = True  # type: ignore[attr-defined]
    return guarded


def public(view: _V) -> _V:
    view.public = True  # type: ignore[attr-defined]
    return view
