"""Every write of the JIT expert network, each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .models import Answer, ContactView, Expert, Expertise, Request


class Refused(Exception):
    """A write the rules do not allow; `code` is stable, the words are the view's."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def propose(
    *,
    user: User,
    country: str,
    institution: str,
    function: str,
    languages: str,
    areas: Iterable[str],
    jits_count: int,
    jit_years: str,
    email: str,
    phone: str,
    by: User,
) -> Expert:
    """A national coordinator proposes an account as an expert of their country. Proposing
    the same person again (a double submit) returns the existing proposal unchanged; one who
    left may be proposed anew."""
    with transaction.atomic():
        existing = Expert.objects.select_for_update().filter(user=user).first()
        if existing is not None and existing.state != Expert.State.LEFT:
            if existing.country != country:
                raise Refused("another_country")
            return existing
        expert = existing or Expert(user=user)
        expert.country = country
        _fill(expert, institution, function, languages, jits_count, jit_years, email, phone)
        expert.state = Expert.State.PROPOSED
        expert.proposed_by = by
        expert.confirmed_by = None
        expert.confirmed_at = None
        expert.left_at = None
        expert.save()
        _set_areas(expert, areas)
        return expert


def update_profile(
    expert: Expert,
    *,
    institution: str,
    function: str,
    languages: str,
    areas: Iterable[str],
    jits_count: int,
    jit_years: str,
    email: str,
    phone: str,
) -> Expert:
    """The expert keeps their profile current; saving (even unchanged) says it is."""
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        if locked.state == Expert.State.LEFT:
            raise Refused("left")
        _fill(locked, institution, function, languages, jits_count, jit_years, email, phone)
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=[*PROFILE_FIELDS, "reviewed_at"])
        _set_areas(locked, areas)
        return locked


# What the expert (or the coordinator proposing them) writes of a profile, areas aside.
PROFILE_FIELDS = (
    "institution",
    "function",
    "languages",
    "jits_count",
    "jit_years",
    "email",
    "phone",
)


def _fill(
    expert: Expert,
    institution: str,
    function: str,
    languages: str,
    jits_count: int,
    jit_years: str,
    email: str,
    phone: str,
) -> None:
    """The profile's fields, in one place for a proposal and an update alike."""
    values = (institution, function, languages, jits_count, jit_years, email, phone)
    for name, value in zip(PROFILE_FIELDS, values, strict=True):
        setattr(expert, name, value)


def _set_areas(expert: Expert, areas: Iterable[str]) -> None:
    """The expert's areas become exactly `areas`: the others deleted, the missing added."""
    wanted = set(areas)
    expert.areas.exclude(area__in=wanted).delete()
    have = set(expert.areas.values_list("area", flat=True))
    Expertise.objects.bulk_create(Expertise(expert=expert, area=a) for a in sorted(wanted - have))


def confirm(expert: Expert, *, by: User) -> Expert:
    """The network coordinator confirms a proposed expert (once; again is a no-op)."""
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        if locked.state == Expert.State.PROPOSED:
            locked.state = Expert.State.CONFIRMED
            locked.confirmed_by = by
            locked.confirmed_at = timezone.now()
            locked.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        return locked


def leave(expert: Expert) -> Expert:
    """The expert leaves: contact details are deleted at once; the row stays, so the audit's
    ids keep meaning someone, but it shows nowhere (pages list confirmed experts only)."""
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        locked.state = Expert.State.LEFT
        locked.email = ""
        locked.phone = ""
        locked.left_at = timezone.now()
        locked.save(update_fields=["state", "email", "phone", "left_at"])
        # Their open requests leave the board with them (the texts hold no contact details).
        Request.objects.filter(author_id=locked.user_id, closed=False).update(closed=True)
        return locked


def record_contact_view(*, viewer: User, expert: Expert) -> ContactView:
    """One view of an expert's contact details, written before they are shown."""
    with transaction.atomic():
        return ContactView.objects.create(viewer_id=viewer.pk, expert_id=expert.pk)


def post_request(*, author: User, country: str, area: str, text: str, key: str) -> Request:
    """A request on the board; the same key from the same author posts it once."""
    with transaction.atomic():
        if key:
            existing = Request.objects.filter(author=author, key=key).first()
            if existing is not None:
                return existing
        return Request.objects.create(author=author, country=country, area=area, text=text, key=key)


def answer(request: Request, *, author: User, text: str, key: str) -> Answer:
    """A private answer to a request; the same key from the same author answers once."""
    with transaction.atomic():
        if key:
            existing = Answer.objects.filter(author=author, key=key).first()
            if existing is not None:
                return existing
        return Answer.objects.create(request=request, author=author, text=text, key=key)


def close_request(request: Request) -> Request:
    """The author takes a request off the board (found a counterpart, or no longer needed)."""
    with transaction.atomic():
        Request.objects.filter(pk=request.pk).update(closed=True)
        request.closed = True
        return request
