"""Look-alikes (the same person twice: merge, or mark as different) and the community counts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Person, Programme
from caseroom.programmes.pages import render_page

from . import actions, builders, merge
from .forms import PairForm

T = "programmes/people/"
SHOWN = 50


@access.needs(Can.MANAGE)
def lookalikes(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    return render_page(
        request, T + "lookalikes.html", programme, page=builders.lookalike_page(programme, SHOWN)
    )


def _pair(programme: Programme, form: PairForm) -> tuple[Person, Person] | None:
    """Both people of the posted pair, only if both are the programme's."""
    if not form.is_valid():
        return None
    ids = (form.cleaned_data["first"], form.cleaned_data["second"])
    found = {p.pk: p for p in Person.objects.filter(programme=programme, pk__in=ids)}
    if len(found) != 2:
        return None
    return found[ids[0]], found[ids[1]]


def _back(programme: Programme) -> HttpResponse:
    return redirect(reverse("programmes:lookalikes", args=[programme.pk]))


@access.needs(Can.MANAGE)
@require_POST
def lookalikes_merge(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Same person: `first` is kept, `second` moves into it and is deleted."""
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    pair = _pair(programme, PairForm(request.POST))
    if pair is None:
        messages.error(request, _("Those two people are not in this programme's registry."))
        return _back(programme)
    try:
        merged = merge.merge(pair[0], pair[1], request.user)
    except actions.Refused as refused:
        messages.error(request, str(refused))
        return _back(programme)
    messages.success(
        request,
        _("Merged into %(name)s: %(moved)d enrolment(s) moved.")
        % {"name": pair[0].full_name, "moved": merged.enrolments_moved},
    )
    return _back(programme)


@access.needs(Can.MANAGE)
@require_POST
def lookalikes_different(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    pair = _pair(programme, PairForm(request.POST))
    if pair is None:
        messages.error(request, _("Those two people are not in this programme's registry."))
        return _back(programme)
    actions.mark_different(pair[0], pair[1], request.user)
    messages.success(request, _("Noted: they are different people."))
    return _back(programme)


@access.needs(Can.READ)
def communities(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    return render_page(
        request, T + "communities.html", programme, page=builders.communities(programme)
    )
