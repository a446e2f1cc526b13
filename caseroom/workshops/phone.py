"""Participants' pages on their phones: join with the code, a theme's board, post, vote."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseroom.lib import throttle
from caseroom.lib.forms import new_key

from . import access, actions
from .board import personal_html, shared_html, votes_left
from .forms import CardForm, JoinForm, VoteForm
from .models import Participant, Theme, Workshop


@access.public
@throttle.guard(access.JOIN_CODE)
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = Workshop.objects.filter(code=form.cleaned_data["code"]).first()
        if workshop is None:
            throttle.count_failure(request, access.JOIN_CODE)
            form.add_error("code", _("No workshop has this code. Check it on the screen."))
        else:
            participant = actions.join(
                workshop,
                name=form.cleaned_data["name"],
                country=form.cleaned_data["country"],
                agency=form.cleaned_data["agency"],
                language=get_language() or "",
            )
            access.remember_participant(request, participant)
            return redirect("workshops:home", workshop.pk)
    return render(request, "workshops/join.html", {"form": form})


@access.phone
def home(request: HttpRequest, workshop_id: int) -> HttpResponse:
    participant = access.participant_in(request, workshop_id)
    workshop = participant.workshop
    return render(
        request,
        "workshops/home.html",
        {"participant": participant, "workshop": workshop, "themes": workshop.themes.all()},
    )


def _board_page(
    request: HttpRequest, participant: Participant, theme: Theme, form: CardForm | None = None
) -> HttpResponse:
    form = form or CardForm(initial={"key": new_key(), "kind": "gap"})
    context = {"participant": participant, "theme": theme, "form": form}
    return render(
        request, "workshops/board.html", {**context, **_part(request, participant, theme)}
    )


def _part(request: HttpRequest, participant: Participant, theme: Theme) -> dict[str, object]:
    left = votes_left(theme, participant)
    shared = personal_html(shared_html(theme), get_token(request), left)
    return {"theme": theme, "shared": shared, "votes_left": left}


@access.phone
def board(request: HttpRequest, theme_id: int) -> HttpResponse:
    participant, theme = access.phone_theme(request, theme_id)
    return _board_page(request, participant, theme)


@access.phone
def board_part(request: HttpRequest, theme_id: int) -> HttpResponse:
    """The board alone, re-fetched on a nudge; 204 when it has not changed since `v`."""
    participant, theme = access.phone_theme(request, theme_id)
    if request.GET.get("v") == str(theme.version):
        return HttpResponse(status=204)
    return render(request, "workshops/board/_part.html", _part(request, participant, theme))


@access.phone
@require_POST
def post(request: HttpRequest, theme_id: int) -> HttpResponse:
    participant, theme = access.phone_theme(request, theme_id)
    form = CardForm(request.POST)
    if form.is_valid():
        try:
            actions.post_card(
                participant,
                theme,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                language=get_language() or "",
                key=form.cleaned_data["key"],
            )
        except actions.Refused as refused:
            form.add_error("text", refused.message)
        else:
            messages.success(request, _("Your card is on the board."))
            return redirect("workshops:board", theme.pk)
    return _board_page(request, participant, theme, form)


@access.phone
@require_POST
def vote(request: HttpRequest, cluster_id: int) -> HttpResponse:
    participant, cluster = access.phone_cluster(request, cluster_id)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            actions.vote(participant, cluster, key=form.cleaned_data["key"])
        except actions.Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your vote is counted."))
    return redirect("workshops:board", cluster.theme_id)
