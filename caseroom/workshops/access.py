"""Who may see or change what in a workshop: written once, called by every view.

Staff: a workshop's facilitator is the staff member who created it (superusers act as the
facilitator of every one); what that role may do is one table (`ALLOWED`). Anyone else who is
signed in gets 404: the workshop's existence is not told. Phones: a participant has no
account; the browser's session names one participant per workshop (its key cycled when it
joins), and a phone page of another workshop is 404.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from caseroom.cooperation.access import Can as CooperationCan
from caseroom.cooperation.access import coordinations_where
from caseroom.cooperation.models import Coordination
from caseroom.lib.throttle import Limit

from .models import Card, Cluster, Participant, Recommendation, Theme, Workshop


class Role(enum.Enum):
    FACILITATOR = "facilitator"


class Can(enum.Enum):
    FACILITATE = "facilitate"  # the console: merge, cluster, voting, recommendations, report


ALLOWED: dict[Role, frozenset[Can]] = {Role.FACILITATOR: frozenset(Can)}

JOIN_CODE = Limit("caseroom.workshop-code", "30/10m")
SESSION_KEY = "workshop_participants"


def _signed_in(user: User | AnonymousUser | Any) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def workshops_visible_to(user: User | AnonymousUser | Any) -> QuerySet[Workshop]:
    if not _signed_in(user):
        return Workshop.objects.none()
    if user.is_superuser:
        return Workshop.objects.all()
    return Workshop.objects.filter(facilitator=user)


def role_in(user: User | AnonymousUser | Any, workshop: Workshop) -> Role | None:
    if not _signed_in(user):
        return None
    if user.is_superuser or workshop.facilitator_id == user.pk:
        return Role.FACILITATOR
    return None


def _check(request: HttpRequest, workshop: Workshop, need: Can) -> None:
    role = role_in(request.user, workshop)
    if role is None or need not in ALLOWED[role]:
        raise Http404


_M = TypeVar("_M")


def _guarded(
    request: HttpRequest, found: _M | None, workshop: Callable[[_M], Workshop], need: Can
) -> _M:
    """`found` (None → 404) once the user's role in its workshop allows `need`."""
    if found is None:
        raise Http404
    _check(request, workshop(found), need)
    return found


def workshop_for(request: HttpRequest, workshop_id: int, need: Can = Can.FACILITATE) -> Workshop:
    found = Workshop.objects.filter(pk=workshop_id).first()
    return _guarded(request, found, lambda w: w, need)


def theme_for(request: HttpRequest, theme_id: int, need: Can = Can.FACILITATE) -> Theme:
    found = Theme.objects.select_related("workshop").filter(pk=theme_id).first()
    return _guarded(request, found, lambda t: t.workshop, need)


def card_for(request: HttpRequest, card_id: int, need: Can = Can.FACILITATE) -> Card:
    found = Card.objects.select_related("theme__workshop").filter(pk=card_id).first()
    return _guarded(request, found, lambda c: c.theme.workshop, need)


def cluster_for(request: HttpRequest, cluster_id: int, need: Can = Can.FACILITATE) -> Cluster:
    found = Cluster.objects.select_related("theme__workshop").filter(pk=cluster_id).first()
    return _guarded(request, found, lambda c: c.theme.workshop, need)


def recommendation_for(
    request: HttpRequest, recommendation_id: int, need: Can = Can.FACILITATE
) -> Recommendation:
    found = (
        Recommendation.objects.select_related("theme__workshop")
        .filter(pk=recommendation_id)
        .first()
    )
    return _guarded(request, found, lambda r: r.theme.workshop, need)


def tracks_measures(user: User | AnonymousUser | Any, coordination: Coordination) -> bool:
    """Whether `user` may record the coordination's measures for every country (a workshop's
    measure names no questionnaire country, so a focal point would not see it): the rule of
    `cooperation.access.coordinations_where`, asked for one coordination."""
    return coordinations_where(user, CooperationCan.MEASURE).filter(pk=coordination.pk).exists()


# Phones ---------------------------------------------------------------------------------


def remember_participant(request: HttpRequest, participant: Participant) -> None:
    """This browser posts as `participant` in its workshop from now on."""
    known: dict[str, int] = dict(request.session.get(SESSION_KEY, {}))
    request.session.cycle_key()
    known[str(participant.workshop_id)] = participant.pk
    request.session[SESSION_KEY] = known


def participant_id(session: SessionBase | Any, workshop_id: int) -> int | None:
    known = session.get(SESSION_KEY, {}) if session is not None else {}
    pid = known.get(str(workshop_id)) if isinstance(known, dict) else None
    return pid if isinstance(pid, int) else None


def participant_in(request: HttpRequest, workshop_id: int) -> Participant:
    """This browser's participant in the workshop, with the workshop; 404 otherwise."""
    pid = participant_id(request.session, workshop_id)
    found = (
        Participant.objects.select_related("workshop")
        .filter(pk=pid, workshop_id=workshop_id)
        .first()
        if pid is not None
        else None
    )
    if found is None:
        raise Http404
    return found


def phone_theme(request: HttpRequest, theme_id: int) -> tuple[Participant, Theme]:
    """The theme and this browser's participant in its workshop; 404 to any other browser."""
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise Http404
    participant = participant_in(request, theme.workshop_id)
    theme.workshop = participant.workshop
    return participant, theme


def phone_cluster(request: HttpRequest, cluster_id: int) -> tuple[Participant, Cluster]:
    cluster = Cluster.objects.select_related("theme").filter(pk=cluster_id).first()
    if cluster is None:
        raise Http404
    return participant_in(request, cluster.theme.workshop_id), cluster


def cards_of(theme: Theme, ids: list[int]) -> list[Card]:
    return list(Card.objects.filter(theme=theme, pk__in=ids))


# Declarations read by tests/workshops/test_access_matrix.py -------------------------------

_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def needs(capability: Can) -> Callable[[_V], _V]:
    """A facilitator's page: signed in, and the object loaded through `<thing>_for`."""

    def declare(view: _V) -> _V:
        guarded = login_required(view)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded

    return declare


def signed_in(view: _V) -> _V:
    """A page of no workshop yet (the list, creating one)."""
    guarded = login_required(view)
    guarded.signed_in = True  # type: ignore[attr-defined]
    return guarded


def phone(view: _V) -> _V:
    """A participant's page: only the browser that joined the workshop (404 otherwise)."""
    view.phone = True  # type: ignore[attr-defined]
    return view


def public(view: _V) -> _V:
    """Anyone may open it (the join form)."""
    view.public = True  # type: ignore[attr-defined]
    return view
