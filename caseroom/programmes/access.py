"""Who may see or change what in a programme: written once, called by every view and export.

A programme's staff have one role each (`Membership`); superusers act as managers of every
programme. What a role may do is one table (`ALLOWED`), so a page asks for a capability,
never for a role: a stranger gets 404 (the programme's existence is not told), a member
whose role lacks the capability gets 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from .models import (
    Enrolment,
    Finding,
    Indicator,
    Meeting,
    Membership,
    Module,
    Person,
    Programme,
    Session,
)

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
    known: dict[int, Role | None] | None = getattr(user, "_programme_roles", None)
    if known is not None and programme_id in known:
        return known[programme_id]
    role = _role_in(user, programme_id)
    if _signed_in(user):
        # Asked again by the page that renders (pages.render_page): one query per request.
        user.__dict__.setdefault("_programme_roles", {})[programme_id] = role
    return role


def _role_in(user: User | AnonymousUser | Any, programme_id: int) -> Role | None:
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


def enrolment_for(request: HttpRequest, enrolment_id: int, need: Can = Can.SEE_PEOPLE) -> Enrolment:
    """An enrolment with its session, module, programme, person and certificate (one query)."""
    enrolment = (
        Enrolment.objects.select_related("session__module__programme", "person", "certificate")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise Http404
    _check(request, enrolment.session.module.programme_id, need)
    return enrolment


def indicator_for(request: HttpRequest, indicator_id: int, need: Can = Can.READ) -> Indicator:
    indicator = (
        Indicator.objects.select_related("output__outcome__programme")
        .filter(pk=indicator_id)
        .first()
    )
    if indicator is None:
        raise Http404
    _check(request, indicator.output.outcome.programme_id, need)
    return indicator


def finding_for(request: HttpRequest, finding_id: int, need: Can = Can.READ) -> Finding:
    finding = Finding.objects.select_related("programme").filter(pk=finding_id).first()
    if finding is None:
        raise Http404
    _check(request, finding.programme_id, need)
    return finding


def meeting_for(request: HttpRequest, meeting_id: int, need: Can = Can.READ) -> Meeting:
    meeting = Meeting.objects.select_related("programme").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    _check(request, meeting.programme_id, need)
    return meeting


_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def needs(capability: Can) -> Callable[[_V], _V]:
    """Declares a staff page's capability: signed-in only, and listed in the access matrix.

    The view still loads its object through a `<thing>_for(request, pk, capability)` above,
    which is what enforces the rule; tests/programmes/test_access_matrix.py requests every
    URL of the app as each role and checks the answer matches this declaration.
    """

    def declare(view: _V) -> _V:
        guarded = login_required(view)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded

    return declare


def signed_in(view: _V) -> _V:
    """Declares a page of no programme yet (the list, creating one): any signed-in user;
    what it shows or allows is decided inside (programmes_visible_to, is_staff)."""
    guarded = login_required(view)
    guarded.signed_in = True  # type: ignore[attr-defined]
    return guarded


def public(view: _V) -> _V:
    """Declares a page anyone may open (a certificate check, a session code form)."""
    view.public = True  # type: ignore[attr-defined]
    return view
