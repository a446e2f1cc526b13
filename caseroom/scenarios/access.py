"""Who may use the trainers' Scenarios pages: written once, called by every view.

Trainers are staff (Django's staff flag, as `exercises.access.is_trainer`); superusers are
staff too. Scenario versions belong to no programme or exercise, so the rule is the same for
every version: a trainer may list them, upload one, read a version's report and map, and try
it. Anyone else signed in gets 403 on every page, whatever the id (so an id tells nothing);
an anonymous visitor is sent to log in.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from .models import ScenarioVersion

__all__ = ["ALLOWED", "Can", "Role", "is_trainer", "needs", "version_for", "versions_visible_to"]


class Role(enum.Enum):
    TRAINER = "trainer"


class Can(enum.Enum):
    MANAGE = "manage"  # list, upload, a version's report and map, try it


ALLOWED: dict[Role, frozenset[Can]] = {Role.TRAINER: frozenset(Can)}


def is_trainer(user: User | AnonymousUser | Any) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active and user.is_staff


def role_of(user: User | AnonymousUser | Any) -> Role | None:
    return Role.TRAINER if is_trainer(user) else None


def may(user: User | AnonymousUser | Any, need: Can) -> bool:
    role = role_of(user)
    return role is not None and need in ALLOWED[role]


def versions_visible_to(user: User | AnonymousUser | Any) -> QuerySet[ScenarioVersion]:
    """The versions a list page may show this user: every one to a trainer, none otherwise."""
    if not may(user, Can.MANAGE):
        return ScenarioVersion.objects.none()
    return ScenarioVersion.objects.select_related("registered_by")


def version_for(request: HttpRequest, version_id: int, need: Can = Can.MANAGE) -> ScenarioVersion:
    """The version for a trainer's page: 403 to anyone else (before the id is looked up, so
    it tells nothing), 404 to a trainer asking for one that does not exist."""
    if not may(request.user, need):
        raise PermissionDenied
    found = versions_visible_to(request.user).filter(pk=version_id).first()
    if found is None:
        raise Http404
    return found


# Declarations read by tests/scenarios/test_access_matrix.py -------------------------------

_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def needs(capability: Can) -> Callable[[_V], _V]:
    """A trainer's page: signed in (else the log-in page), then 403 without `capability`.

    Unlike programmes (where `<thing>_for` alone enforces a per-programme role), the rule here
    is the same for every page, so the declaration enforces it too: a page of no version (the
    list, the upload) is guarded as well as one that loads its version."""

    def declare(view: _V) -> _V:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(checked)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return declare
