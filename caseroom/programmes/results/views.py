"""The donor report (web page and its XLSX, DOCX and PDF) and the trace behind each number.

The four renderings lay out one `DonorReport` built for the period the form gives. A trace
lists people by name, so it needs SEE_PEOPLE: an observer reads every count but gets 403
from its link.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from caseroom.lib.pdf import ReportUnavailable

from .. import access
from ..access import Can
from ..models import Programme
from ..pages import render_page
from .breakdowns import suppression_note
from .charts import charts_for
from .counts import Scope
from .forms import PeriodForm, TraceForm
from .report import DonorReport, build_report
from .report_docx import render_docx
from .report_html import chart_images, render_pdf
from .report_xlsx import render_xlsx
from .trace import trace_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _period_form(request: HttpRequest, programme: Programme) -> PeriodForm:
    data = request.GET if ("start" in request.GET or "end" in request.GET) else None
    return PeriodForm(data, programme=programme)


@access.needs(Can.READ)
@require_GET
def report(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    form = _period_form(request, programme)
    built: DonorReport | None = None
    if not form.is_bound or form.is_valid():
        built = build_report(programme, *form.period())
    return render_page(
        request,
        "programmes/results/report.html",
        programme,
        form=form,
        report=built,
        charts=chart_images(charts_for(built)) if built else [],
        suppression_note=suppression_note(programme.min_cell),
        query=_query(built),
        links=True,
        trace_url=reverse("programmes:trace", args=[programme.pk]),
    )


def _query(built: DonorReport | None) -> str:
    if built is None:
        return ""
    return f"start={built.start.isoformat()}&end={built.end.isoformat()}"


def _download(
    request: HttpRequest,
    programme_id: int,
    render: Callable[[DonorReport], bytes],
    content_type: str,
    suffix: str,
) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    form = _period_form(request, programme)
    back = reverse("programmes:report", args=[programme.pk])
    if form.is_bound and not form.is_valid():
        # The page shows the form's messages next to its fields.
        return redirect(f"{back}?{request.GET.urlencode()}")
    built = build_report(programme, *form.period())
    try:
        data = render(built)
    except ReportUnavailable as error:
        messages.error(request, str(error))
        return redirect(f"{back}?{_query(built)}")
    response = HttpResponse(data, content_type=content_type)
    name = f"caseroom-donor-report-{programme.pk}-{built.start}-{built.end}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access.needs(Can.READ)
@require_GET
def report_xlsx(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _download(request, programme_id, render_xlsx, XLSX, "xlsx")


@access.needs(Can.READ)
@require_GET
def report_docx(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _download(request, programme_id, render_docx, DOCX, "docx")


@access.needs(Can.READ)
@require_GET
def report_pdf(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _download(request, programme_id, render_pdf, "application/pdf", "pdf")


@access.needs(Can.SEE_PEOPLE)
@require_GET
def trace(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The people or sessions one number of the report counts."""
    programme = access.programme_for(request, programme_id, Can.SEE_PEOPLE)
    form = TraceForm(request.GET)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        page = trace_page(
            programme,
            data["measure"],
            Scope(
                programme.pk,
                data["start"],
                data["end"],
                data["in_module"],
                threshold=data["threshold"],
            ),
            form.filters(),
            data["page"] or 1,
        )
    other = request.GET.copy()
    other.pop("page", None)
    return render_page(
        request,
        "programmes/results/trace.html",
        programme,
        form=form,
        trace=page,
        query=other.urlencode(),
        report_url=reverse("programmes:report", args=[programme.pk]),
    )
