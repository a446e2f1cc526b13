"""Who may see or change what in the JIT expert network: written once, called by every view
and export.

Every network page needs a signed-in user whose session is verified by a second factor
(django-otp: `request.user.is_verified()`, set by OTPMiddleware from a TOTP device). A
signed-in user who is not verified is sent to the verify page (or to enrol a device first).
What a person may do follows from what they are in the network, one table (`ALLOWED`):
a confirmed member searches the directory and sees contact details; a national coordinator
proposes experts of their country; the network coordinator confirms and reads the audit.
A page asks for a capability, never for a standing: without it, 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .models import Expert, NetworkRole, Request


class Standing(enum.Enum):
    MEMBER = "member"  # a confirmed expert
    NATIONAL = "national"  # a country's national coordinator
    NETWORK = "network"  # the network coordinator


class Can(enum.Enum):
    SEARCH = "search"  # the directory: profiles without contact details
    CONTACT = "contact"  # an expert's e-mail and phone (every view audited)
    PROPOSE = "propose"  # propose an expert of one's own country
    CONFIRM = "confirm"  # confirm a proposed expert
    AUDIT = "audit"  # read and export the contact-view log
    BOARD = "board"  # the request board: post, read, answer privately


ALLOWED: dict[Standing, frozenset[Can]] = {
    Standing.MEMBER: frozenset({Can.SEARCH, Can.CONTACT, Can.BOARD}),
    Standing.NATIONAL: frozenset({Can.SEARCH, Can.PROPOSE}),
    Standing.NETWORK: frozenset({Can.SEARCH, Can.CONFIRM, Can.AUDIT}),
}


def _signed_in(user: User | AnonymousUser | Any) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a page behind `needs`, `verified_only` or `signed_in`."""
    assert isinstance(request.user, User)
    return request.user


def verified(user: User | AnonymousUser | Any) -> bool:
    """Signed in and past the second factor in this session (django-otp)."""
    return _signed_in(user) and bool(getattr(user, "is_verified", lambda: False)())


def standings_of(user: User | AnonymousUser | Any) -> frozenset[Standing]:
    """What the user is in the network (two queries, once per request)."""
    known: frozenset[Standing] | None = getattr(user, "_jit_standings", None)
    if known is not None:
        return known
    found: set[Standing] = set()
    if _signed_in(user):
        role = NetworkRole.objects.filter(user=user).values_list("role", flat=True).first()
        if role == NetworkRole.Role.NETWORK_COORDINATOR:
            found.add(Standing.NETWORK)
        elif role == NetworkRole.Role.NATIONAL_COORDINATOR:
            found.add(Standing.NATIONAL)
        if Expert.objects.filter(user=user, state=Expert.State.CONFIRMED).exists():
            found.add(Standing.MEMBER)
        user.__dict__["_jit_standings"] = frozenset(found)
    return frozenset(found)


def capabilities_of(user: User | AnonymousUser | Any) -> frozenset[Can]:
    caps: set[Can] = set()
    for standing in standings_of(user):
        caps |= ALLOWED[standing]
    return frozenset(caps)


def may(user: User | AnonymousUser | Any, need: Can) -> bool:
    return need in capabilities_of(user)


def check(request: HttpRequest, need: Can) -> None:
    if not may(request.user, need):
        raise PermissionDenied


def coordinated_country(user: User | AnonymousUser | Any) -> str:
    """The country a national coordinator coordinates, or ""."""
    if not _signed_in(user):
        return ""
    return (
        NetworkRole.objects.filter(user=user, role=NetworkRole.Role.NATIONAL_COORDINATOR)
        .values_list("country", flat=True)
        .first()
        or ""
    )


def expert_for(request: HttpRequest, expert_id: int, need: Can = Can.SEARCH) -> Expert:
    """A confirmed expert with their account, to a visitor with the capability: 403 without
    it, 404 for one who is proposed, has left or does not exist."""
    check(request, need)
    expert = (
        Expert.objects.select_related("user")
        .filter(pk=expert_id, state=Expert.State.CONFIRMED)
        .first()
    )
    if expert is None:
        raise Http404
    return expert


def proposal_for(request: HttpRequest, expert_id: int) -> Expert:
    """A proposed expert, to the network coordinator who may confirm them."""
    check(request, Can.CONFIRM)
    expert = (
        Expert.objects.select_related("user")
        .filter(pk=expert_id, state=Expert.State.PROPOSED)
        .first()
    )
    if expert is None:
        raise Http404
    return expert


def request_for(request: HttpRequest, request_id: int) -> Request:
    """A board request (open or closed) with its author, to a member of the board."""
    check(request, Can.BOARD)
    found = Request.objects.select_related("author").filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def own_profile_or_none(request: HttpRequest) -> Expert | None:
    """The signed-in user's own profile (proposed or confirmed), if they have one."""
    user = request.user
    if not _signed_in(user):
        return None
    return (
        Expert.objects.select_related("user")
        .filter(user=user)
        .exclude(state=Expert.State.LEFT)
        .first()
    )


def own_profile(request: HttpRequest) -> Expert:
    """The signed-in user's own profile; 404 if they have none."""
    expert = own_profile_or_none(request)
    if expert is None:
        raise Http404
    return expert


def _to_second_factor(request: HttpRequest) -> HttpResponse:
    from django_otp import user_has_device

    page = "jitnetwork:verify" if user_has_device(request.user) else "jitnetwork:enrol"
    return HttpResponseRedirect(reverse(page) + "?" + urlencode({"next": request.get_full_path()}))


_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def _verified_only(view: _V) -> _V:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not verified(request.user):
            return _to_second_factor(request)
        return view(request, *args, **kwargs)

    return login_required(guarded)  # type: ignore[return-value]


def needs(capability: Can) -> Callable[[_V], _V]:
    """Declares a network page's capability: signed in, second factor verified, and listed in
    the access matrix (tests/jitnetwork/test_access_matrix.py). The view still calls
    `check` or a `<thing>_for`, which is what enforces the capability."""

    def declare(view: _V) -> _V:
        guarded = _verified_only(view)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded

    return declare


def verified_only(view: _V) -> _V:
    """Declares a network page open to every verified user (the network's home, one's own
    profile); what it shows is decided inside."""
    guarded = _verified_only(view)
    guarded.verified_only = True  # type: ignore[attr-defined]
    return guarded


def signed_in(view: _V) -> _V:
    """Declares a page of the second factor itself (enrol, verify): signed in only."""
    guarded = login_required(view)
    guarded.signed_in = True  # type: ignore[attr-defined]
    return guarded
