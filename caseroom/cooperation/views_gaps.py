"""A round's gap analysis: the page, the heatmap as PNG, the raw answers (XLSX/CSV) and the
gap report (DOCX/PDF). Every one of them is built from `analysis.analyse` for the reader's
seat, so a focal point's report holds what their page shows, and nothing more."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from caseroom.lib.forms import new_key
from caseroom.lib.pdf import ReportUnavailable
from caseroom.surveys import exports
from caseroom.surveys.models import Response

from . import access, report
from .access import Can, Scope
from .analysis import GapAnalysis, analyse
from .chart import heatmap_png
from .forms import InviteForm
from .models import Round
from .pages import language, render_page
from .scoring import COUNTRY
from .tally import response_fields, scoring_for
from .views import answer_url

__all__ = ["answers_csv", "answers_xlsx", "gap_analysis", "heatmap", "report_docx", "report_pdf"]


def _analysis(request: HttpRequest, round_id: int, need: Can) -> tuple[GapAnalysis, Scope]:
    found = access.round_for(request, round_id, need)
    scope = access.scope_in(request.user, found.coordination_id)
    assert scope is not None  # round_for let the reader in
    return analyse(found, scope, language=language()), scope


@access.needs(Can.READ)
@require_GET
def gap_analysis(request: HttpRequest, round_id: int) -> HttpResponse:
    result, scope = _analysis(request, round_id, Can.READ)
    round_ = result.round
    scoring = scoring_for(round_.survey.version, language())
    return render_page(
        request,
        "cooperation/round.html",
        round_.coordination,
        round=round_,
        result=result,
        state=round_.survey.state(),
        answer_url=answer_url(request, round_),
        invite_form=InviteForm(countries=scoring.countries, agencies=scoring.agencies),
        measure_key=new_key(),
        today=timezone.localdate(),
    )


@access.needs(Can.READ)
@require_GET
def heatmap(request: HttpRequest, round_id: int) -> HttpResponse:
    result, _scope = _analysis(request, round_id, Can.READ)
    try:
        png = heatmap_png(result).png
    except ReportUnavailable as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="heatmap-{result.round.pk}.png"'
    return response


def _answers(round_: Round, scope: Scope) -> QuerySet[Response]:
    """The round's responses in the reader's scope (a focal point: their country's)."""
    found = Response.objects.filter(round_id=round_.survey_id, submitted_at__isnull=False)
    if scope.country:
        own = Q(**{f"answers__{COUNTRY}": scope.country})
        if COUNTRY in response_fields():
            own = Q(**{COUNTRY: scope.country}) | (Q(**{COUNTRY: ""}) & own)
        found = found.filter(own)
    return found


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access.needs(Can.SEE_ANSWERS)
@require_GET
def answers_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.round_for(request, round_id, Can.SEE_ANSWERS)
    scope = access.scope_in(request.user, round_.coordination_id)
    assert scope is not None
    # With the place: imported answers and personal links carry the country and agency.
    body = exports.responses_xlsx(
        round_.survey.version, _answers(round_, scope), include_place=True
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, kind, f"answers-{round_.pk}.xlsx")


@access.needs(Can.SEE_ANSWERS)
@require_GET
def answers_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.round_for(request, round_id, Can.SEE_ANSWERS)
    scope = access.scope_in(request.user, round_.coordination_id)
    assert scope is not None
    body = exports.responses_csv(round_.survey.version, _answers(round_, scope), include_place=True)
    return _download(body, "text/csv; charset=utf-8", f"answers-{round_.pk}.csv")


@access.needs(Can.READ)
@require_GET
def report_docx(request: HttpRequest, round_id: int) -> HttpResponse:
    result, _scope = _analysis(request, round_id, Can.READ)
    try:
        body = report.render_docx(result)
    except ReportUnavailable as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(body, kind, f"gap-report-{result.round.pk}.docx")


@access.needs(Can.READ)
@require_GET
def report_pdf(request: HttpRequest, round_id: int) -> HttpResponse:
    result, _scope = _analysis(request, round_id, Can.READ)
    try:
        body = report.render_pdf(result)
    except ReportUnavailable as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    return _download(body, "application/pdf", f"gap-report-{result.round.pk}.pdf")
