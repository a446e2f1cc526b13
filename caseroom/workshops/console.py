"""The facilitator's pages: the list and a new workshop, a workshop's code and themes, and
each theme's console (merge, cluster, voting, results, recommendations)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseroom.cooperation.access import coordinations_visible_to
from caseroom.cooperation.models import Coordination
from caseroom.lib import codes
from caseroom.lib.forms import new_key
from caseroom.lib.pdf import ReportUnavailable

from . import access, actions, report
from .access import Can
from .board import board_of
from .forms import (
    ClusterForm,
    MergeForm,
    RecommendationForm,
    ThemeForm,
    VotingForm,
    WorkshopForm,
)
from .models import Card, Cluster, Theme


@access.signed_in
def workshops(request: HttpRequest) -> HttpResponse:
    form = WorkshopForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_staff:
            raise PermissionDenied
        if form.is_valid():
            assert request.user.is_authenticated
            data = form.cleaned_data
            workshop = actions.create_workshop(
                request.user,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                place=data["place"],
                votes_per_theme=data["votes_per_theme"],
            )
            return redirect("workshops:manage", workshop.pk)
    listed = access.workshops_visible_to(request.user)
    return render(request, "workshops/list.html", {"workshops": listed, "form": form})


@access.needs(Can.FACILITATE)
def manage(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    context = {
        "workshop": workshop,
        "code": codes.pretty(workshop.code),
        "themes": workshop.themes.all(),
        "participants": workshop.participants.count(),
        "theme_form": ThemeForm(),
    }
    return render(request, "workshops/manage.html", context)


@access.needs(Can.FACILITATE)
@require_POST
def theme_add(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    form = ThemeForm(request.POST)
    try:
        if not form.is_valid():
            raise actions.Refused(_("Give the theme a title."), code="no_title")
        actions.add_theme(workshop, form.cleaned_data["title"])
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return redirect("workshops:manage", workshop.pk)


@access.needs(Can.FACILITATE)
@require_POST
def theme_rename(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    form = ThemeForm(request.POST)
    try:
        if not form.is_valid():
            raise actions.Refused(_("Give the theme a title."), code="no_title")
        actions.rename_theme(theme, form.cleaned_data["title"])
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return redirect("workshops:manage", theme.workshop_id)


def _coordinations(request: HttpRequest) -> list[Coordination]:
    """The facilitator's coordinations where they may record measures for every country
    (a workshop's measure names no questionnaire country, so a focal point would not see it)."""
    return [
        coordination
        for coordination in coordinations_visible_to(request.user)
        if access.tracks_measures(request.user, coordination)
    ]


def _console(
    request: HttpRequest, theme: Theme, recommendation: RecommendationForm | None = None
) -> HttpResponse:
    board = board_of(theme)
    choices = [(card.pk, card.text[:80]) for card in board.unclustered]
    originals = [*board.gaps, *board.practices]
    allowed = _coordinations(request)
    context = {
        "theme": theme,
        "workshop": theme.workshop,
        "board": board,
        "merge": MergeForm(
            card_choices=[(card.pk, f"#{card.pk} {card.text[:80]}") for card in originals]
        ),
        "cluster": ClusterForm(card_choices=choices),
        "recommendation": recommendation
        or RecommendationForm(
            initial={"key": new_key(), "due_on": theme.workshop.ends_on + dt.timedelta(days=365)},
            clusters=theme.clusters.all(),
            coordinations=Coordination.objects.filter(pk__in=[c.pk for c in allowed]),
        ),
        "recommendations": theme.recommendations.prefetch_related("clusters"),
    }
    return render(request, "workshops/console.html", context)


@access.needs(Can.FACILITATE)
def console(request: HttpRequest, theme_id: int) -> HttpResponse:
    return _console(request, access.theme_for(request, theme_id))


@access.needs(Can.FACILITATE)
@require_POST
def merge(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    ids = list(Card.objects.filter(theme=theme).values_list("pk", flat=True))
    form = MergeForm(request.POST, card_choices=[(pk, str(pk)) for pk in ids])
    if not form.is_valid():
        messages.error(request, _("Choose two cards of this theme."))
        return redirect("workshops:console", theme.pk)
    found = {card.pk: card for card in access.cards_of(theme, list(form.cleaned_data.values()))}
    try:
        actions.merge_cards(found[form.cleaned_data["duplicate"]], found[form.cleaned_data["into"]])
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return redirect("workshops:console", theme.pk)


@access.needs(Can.FACILITATE)
@require_POST
def cluster(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    ids = list(Card.objects.filter(theme=theme).values_list("pk", flat=True))
    form = ClusterForm(request.POST, card_choices=[(pk, str(pk)) for pk in ids])
    if form.is_valid():
        cards = access.cards_of(theme, form.cleaned_data["cards"])
        actions.cluster_cards(theme, form.cleaned_data["title"], cards)
    else:
        messages.error(request, _("Give the cluster a title and choose its cards."))
    return redirect("workshops:console", theme.pk)


@access.needs(Can.FACILITATE)
@require_POST
def voting(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    form = VotingForm(request.POST)
    if form.is_valid():
        actions.set_voting(theme, form.cleaned_data["open"])
    return redirect("workshops:console", theme.pk)


@access.needs(Can.FACILITATE)
@require_POST
def recommend(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    allowed = [c.pk for c in _coordinations(request)]
    form = RecommendationForm(
        request.POST,
        clusters=Cluster.objects.filter(theme=theme),
        coordinations=Coordination.objects.filter(pk__in=allowed),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.draft_recommendation(
                theme,
                text=data["text"],
                institution=data["institution"],
                country=data["country"],
                priority=data["priority"],
                timeframe=data["timeframe"],
                clusters=list(data["clusters"]),
                coordination=data["coordination"],
                due_on=data["due_on"],
                citation=data["citation"],
                key=data["key"],
                by=request.user if request.user.is_authenticated else None,
            )
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The recommendation is drafted and tracked as a measure."))
            return redirect("workshops:console", theme.pk)
    return _console(request, theme, form)


def _download(body: bytes, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access.needs(Can.FACILITATE)
@require_GET
def report_pdf(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    try:
        body = report.render_pdf(report.build(workshop))
    except ReportUnavailable as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    return _download(body, "application/pdf", f"workshop-report-{workshop.pk}.pdf")


@access.needs(Can.FACILITATE)
@require_GET
def report_docx(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    try:
        body = report.render_docx(report.build(workshop))
    except ReportUnavailable as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(body, kind, f"workshop-report-{workshop.pk}.docx")
