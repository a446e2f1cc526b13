"""The needs assessment's written findings: everyone on the programme reads, managers write.

The questionnaire half of the needs assessment arrives with the questionnaire engine
(caseroom/xlsform + caseroom/surveys); the page keeps a marked place for its results.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.programmes import access
from caseroom.programmes.access import Can
from caseroom.programmes.models import Finding, Programme
from caseroom.programmes.pages import render_page

from . import actions_design
from .findings import findings as build_findings
from .forms_design import FindingForm


def _page(request: HttpRequest, programme: Programme, form: FindingForm | None) -> HttpResponse:
    return render_page(
        request,
        "programmes/setup/needs.html",
        programme,
        findings=build_findings(programme),
        form=form or FindingForm(programme=programme),
    )


@access.needs(Can.READ)
@require_GET
def needs(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    return _page(request, programme, None)


@access.needs(Can.MANAGE)
@require_POST
def finding_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = FindingForm(request.POST, programme=programme)
    if not form.is_valid():
        return _page(request, programme, form)
    actions_design.save_finding(programme, None, **form.cleaned_data)
    messages.success(request, _("The finding was added."))
    return redirect("programmes:needs", programme_id=programme.pk)


@access.needs(Can.MANAGE)
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = access.finding_for(request, finding_id, Can.MANAGE)
    programme = finding.programme
    form = FindingForm(request.POST or None, programme=programme, instance=copy.copy(finding))
    if request.method == "POST" and form.is_valid():
        actions_design.save_finding(programme, finding, **form.cleaned_data)
        messages.success(request, _("The finding was saved."))
        return redirect("programmes:needs", programme_id=programme.pk)
    return render_page(
        request, "programmes/setup/finding.html", programme, form=form, finding=finding
    )


@access.needs(Can.MANAGE)
@require_POST
def finding_delete(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding: Finding = access.finding_for(request, finding_id, Can.MANAGE)
    actions_design.delete_finding(finding)
    messages.success(request, _("The finding was removed."))
    return redirect("programmes:needs", programme_id=finding.programme_id)
