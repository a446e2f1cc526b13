"""Who may see or change what in a programme: written once, called by every view and export.

A programme's staff have one role each (`Membership`); superusers act as managers of every
programme. What a role may do is one table (`ALLOWED`), so a page asks for a capability,
never for a role: a stranger gets 404 (the programme's existence is not told), a member
whose role lacks the capability gets 403.
"""

from __future__ import annotations

import enum
from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from .models import Membership, Module, Person, Programme, Session

Role = Membership.Role


class Can(enum.Enum):
    READ = "read"  # dashboards, aggregates, the donor report: no person by name
    SEE_PEOPLE = "see_people"  # names, enrolments, one person's scores
    DELIVER = "deliver"  # sessions, agendas, attendance, enrolments, tests
    MANAGE = "manage"  # the programme, logframe, staff, imports, merges, erasure, revocation


ALLOWED: dict[Role, frozenset[Can]] = {
    Role.MANAGER: frozenset(Can),
    Role.TRAINER: frozenset({Can.READ, Can.SEE_PEOPLE, Can.DELIVER}),
    Role.OBSERVER: frozenset({Can.READ}),
}


def _signed_in(user: User | AnonymousUser | Any) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def programmes_visible_to(user: User | AnonymousUser | Any) -> QuerySet[Programme]:
    """The programmes a list page may show this user."""
    if not _signed_in(user):
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(memberships__user=user)


def role_in(user: User | AnonymousUser | Any, programme_id: int) -> Role | None:
    """The user's role in the programme (managers' rights for a superuser), or None."""
    if not _signed_in(user):
        return None
    if user.is_superuser:
        return Role.MANAGER
    role = (
        Membership.objects.filter(user=user, programme_id=programme_id)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else None


def may(role: Role | None, need: Can) -> bool:
    return role is not None and need in ALLOWED[role]


def _check(request: HttpRequest, programme_id: int, need: Can) -> Role:
    role = role_in(request.user, programme_id)
    if role is None:
        raise Http404
    if need not in ALLOWED[role]:
        raise PermissionDenied
    return role


def programme_for(request: HttpRequest, programme_id: int, need: Can = Can.READ) -> Programme:
    _check(request, programme_id, need)
    try:
        return Programme.objects.get(pk=programme_id)
    except Programme.DoesNotExist:
        raise Http404 from None


def module_for(request: HttpRequest, module_id: int, need: Can = Can.READ) -> Module:
    module = Module.objects.select_related("programme").filter(pk=module_id).first()
    if module is None:
        raise Http404
    _check(request, module.programme_id, need)
    return module


def session_for(request: HttpRequest, session_id: int, need: Can = Can.READ) -> Session:
    session = Session.objects.select_related("module__programme").filter(pk=session_id).first()
    if session is None:
        raise Http404
    _check(request, session.module.programme_id, need)
    return session


def person_for(request: HttpRequest, person_id: int, need: Can = Can.SEE_PEOPLE) -> Person:
    person = Person.objects.select_related("programme").filter(pk=person_id).first()
    if person is None:
        raise Http404
    _check(request, person.programme_id, need)
    return person
