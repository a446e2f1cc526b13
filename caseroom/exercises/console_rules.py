"""The facilitator's rules of play and participants' personal codes (console views).

Apart from console.py because they change who may do what, not the course of the case.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions
from .forms import ParticipantForm, RulesForm
from .models import Participant


@login_required
@require_POST
def rules(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = RulesForm(request.POST)
    if form.is_valid():
        actions.set_rules(exercise, **form.cleaned_data)
        messages.success(request, _("Rules of play saved."))
    return redirect(reverse("console", args=[exercise.pk]) + "#rules")


@login_required
@require_POST
def personal_code(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """A new personal code for a participant who lost theirs, shown to the facilitator once."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        participant = exercise.participants.get(pk=form.cleaned_data["participant"])
    except Participant.DoesNotExist:
        raise Http404 from None
    code = actions.new_personal_code(participant)
    messages.success(
        request,
        _(
            "New personal code for %(name)s: %(code)s. Give it to them in person; "
            "the old one no longer works."
        )
        % {"name": participant.name, "code": code},
    )
    return redirect(reverse("console", args=[exercise.pk]) + "#participants")
