"""The facilitator's pages: the list and a new workshop, a workshop's code, participants and
themes, each theme's console (its board is curated in curation.py, its recommendations in
recommendations.py), voting, and the report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from caseroom.lib import codes
from caseroom.lib.downloads import DOCX, PDF, rendered_download

from . import access, actions, curation, page, report
from .access import Can
from .forms import ThemeForm, VotingForm, WorkshopForm


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
    people = report.people_of(workshop)
    header, rows = people.people_table
    context = {
        "workshop": workshop,
        "code": codes.pretty(workshop.code),
        "themes": workshop.themes.all(),
        "participants": workshop.participants.annotate(n_cards=Count("cards")),
        "people_header": header,
        "people_rows": rows,
        "people_note": people.note,
        "theme_form": ThemeForm(),
    }
    return render(request, "workshops/manage.html", context)


def _title(request: HttpRequest) -> str:
    form = ThemeForm(request.POST)
    return str(form.cleaned_data["title"]) if form.is_valid() else ""


@access.needs(Can.FACILITATE)
@require_POST
def theme_add(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    try:
        # An empty or missing title is the action's refusal ("Give the theme a title.").
        actions.add_theme(workshop, _title(request))
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return redirect("workshops:manage", workshop.pk)


@access.needs(Can.FACILITATE)
@require_POST
def theme_rename(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    try:
        # An empty or missing title is the action's refusal ("Give the theme a title.").
        actions.rename_theme(theme, _title(request))
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return redirect("workshops:manage", theme.workshop_id)


@access.needs(Can.FACILITATE)
def console(request: HttpRequest, theme_id: int) -> HttpResponse:
    return page.render_console(request, access.theme_for(request, theme_id))


@access.needs(Can.FACILITATE)
def console_part(request: HttpRequest, theme_id: int) -> HttpResponse:
    """The console's board (clusters, cards, merged duplicates), re-fetched on a nudge as the
    phones' board is; 204 when it has not changed since `v`. Not refreshed while the
    facilitator is choosing or typing in it (app.js leaves a busy part alone)."""
    theme = access.theme_for(request, theme_id)
    if request.GET.get("v") == str(theme.version):
        return HttpResponse(status=204)
    context = {"theme": theme, **curation.board_context(theme)}
    return render(request, "workshops/console/_board.html", context)


@access.needs(Can.FACILITATE)
@require_POST
def voting(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = access.theme_for(request, theme_id)
    form = VotingForm(request.POST)
    if form.is_valid():
        actions.set_voting(theme, form.cleaned_data["open"])
    return redirect("workshops:console", theme.pk)


@access.needs(Can.FACILITATE)
@require_GET
def report_pdf(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    return rendered_download(
        lambda: report.render_pdf(report.build(workshop)),
        PDF,
        f"workshop-report-{workshop.pk}.pdf",
    )


@access.needs(Can.FACILITATE)
@require_GET
def report_docx(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = access.workshop_for(request, workshop_id)
    return rendered_download(
        lambda: report.render_docx(report.build(workshop)),
        DOCX,
        f"workshop-report-{workshop.pk}.docx",
    )
