"""The needs assessment's results (anyone on the programme) and its downloads: the aggregated
tables for readers, the raw responses for managers only.

The raw export is anonymous (the round is) but holds free text a respondent may have
identified themself in, so it is a manager's, as every list of individual records is.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import access
from ..access import Can
from ..models import NeedsAssessment, Programme
from ..pages import render_page
from . import exports
from .results import build_results
from .status import assessment_of

__all__ = [
    "needs_results",
    "responses_csv",
    "responses_xlsx",
    "results_csv",
    "results_xlsx",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _language() -> str:
    return translation.get_language() or ""


@access.needs(Can.READ)
@require_GET
def needs_results(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    found = assessment_of(programme)
    return render_page(
        request,
        "programmes/needs/results.html",
        programme,
        assessment=found,
        results=build_results(found, language=_language()) if found else None,
    )


def _opened(
    request: HttpRequest, programme_id: int, need: Can
) -> tuple[Programme, NeedsAssessment | None]:
    programme = access.programme_for(request, programme_id, need)
    found = assessment_of(programme)
    if found is None or found.round_id is None:
        messages.error(request, _("The needs-assessment questionnaire has not been opened yet."))
        return programme, None
    return programme, found


def _file(content: str | bytes, content_type: str, programme: Programme, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="needs-{programme.pk}-{name}"'
    return response


@access.needs(Can.READ)
@require_GET
def results_csv(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, found = _opened(request, programme_id, Can.READ)
    if found is None:
        return redirect("programmes:needs_assessment", programme_id=programme.pk)
    text = exports.aggregated_csv(build_results(found, language=_language()))
    return _file(text, "text/csv; charset=utf-8", programme, "results.csv")


@access.needs(Can.READ)
@require_GET
def results_xlsx(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, found = _opened(request, programme_id, Can.READ)
    if found is None:
        return redirect("programmes:needs_assessment", programme_id=programme.pk)
    data = exports.aggregated_xlsx(build_results(found, language=_language()))
    return _file(data, XLSX, programme, "results.xlsx")


@access.needs(Can.MANAGE)
@require_GET
def responses_csv(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, found = _opened(request, programme_id, Can.MANAGE)
    if found is None:
        return redirect("programmes:needs_assessment", programme_id=programme.pk)
    return _file(exports.raw_csv(found), "text/csv; charset=utf-8", programme, "responses.csv")


@access.needs(Can.MANAGE)
@require_GET
def responses_xlsx(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, found = _opened(request, programme_id, Can.MANAGE)
    if found is None:
        return redirect("programmes:needs_assessment", programme_id=programme.pk)
    return _file(exports.raw_xlsx(found), XLSX, programme, "responses.xlsx")
