"""A round's answers from elsewhere and its personal links, for its coordinators: importing a
KoboToolbox/ODK export (the report row by row when anything is wrong, nothing stored then),
the links with their status, and withdrawing one (after a confirmation page: no script).

Thin: parse with a form, check access, call an action or the builder (links.py), render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from caseroom.surveys.imports import ImportReport
from caseroom.surveys.invitations import status_of

from . import access, actions
from .access import Can
from .forms import ImportForm, InviteForm, LinkFilter
from .links import link_list
from .models import Round
from .pages import language, render_page
from .tally import scoring_for

__all__ = ["import_answers", "links", "withdraw_link"]


def _import_page(
    request: HttpRequest,
    round_: Round,
    form: ImportForm,
    report: ImportReport | None = None,
) -> HttpResponse:
    scoring = scoring_for(round_.survey.version, language())
    page = render_page(
        request,
        "cooperation/import.html",
        round_.coordination,
        round=round_,
        form=form,
        report=report,
        countries=scoring.countries,
        agencies=scoring.agencies,
    )
    page.status_code = 400 if form.errors or (report is not None and not report.ok) else 200
    return page


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def import_answers(request: HttpRequest, round_id: int) -> HttpResponse:
    found = access.round_for(request, round_id, Can.MANAGE)
    if request.method != "POST":
        return _import_page(request, found, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, found, form)
    upload = form.cleaned_data["file"]
    report = actions.import_answers(found, upload.read(), upload.name or "")
    if not report.ok:
        return _import_page(request, found, ImportForm(), report)
    messages.success(request, _imported(report))
    return redirect("cooperation:round", round_id=found.pk)


def _imported(report: ImportReport) -> str:
    stored = ngettext("%(n)s response imported.", "%(n)s responses imported.", report.created) % {
        "n": report.created
    }
    if not report.already:
        return stored
    again = ngettext(
        "%(n)s was imported before and is not stored twice.",
        "%(n)s were imported before and are not stored twice.",
        report.already,
    ) % {"n": report.already}
    return f"{stored} {again}"


@access.needs(Can.MANAGE)
@require_GET
def links(request: HttpRequest, round_id: int) -> HttpResponse:
    found = access.round_for(request, round_id, Can.MANAGE)
    scoring = scoring_for(found.survey.version, language())
    filters = LinkFilter(request.GET, countries=scoring.countries, agencies=scoring.agencies)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    listing = link_list(
        found,
        scoring,
        country=wanted.get("country") or "",
        agency=wanted.get("agency") or "",
        status=wanted.get("status") or "",
        page=wanted.get("page") or 1,
    )
    # The filters without the page: the pager's links add their own.
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "cooperation/links.html",
        found.coordination,
        round=found,
        listing=listing,
        filters=filters,
        query=query.urlencode(),
        state=found.survey.state(),
        invite_form=InviteForm(countries=scoring.countries, agencies=scoring.agencies),
    )


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def withdraw_link(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access.invitation_for(request, invitation_id, Can.MANAGE)
    round_ = invitation.round.cooperation_round
    status = status_of(invitation)
    if request.method == "POST" and status.code != "revoked":
        actions.revoke_link(invitation)
        message = _("The link “%(label)s” is withdrawn: it no longer opens.")
        messages.success(request, message % {"label": invitation.label})
        return redirect("cooperation:links", round_id=round_.pk)
    if request.method == "POST":
        messages.info(request, _("This link was already withdrawn."))
        return redirect("cooperation:links", round_id=round_.pk)
    return render_page(
        request,
        "cooperation/link_withdraw.html",
        round_.coordination,
        round=round_,
        invitation=invitation,
        status=status,
    )
