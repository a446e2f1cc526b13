"""The needs assessment's questionnaire page: everyone on the programme reads it (the code and
QR code are handed out by trainers too); managers upload the form, pick the grouping
questions, open and close the round.

Bad input comes back on the page next to its field, an uploaded form's problems in a table
at their sheet, row and column, and nothing is stored.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseroom.surveys.registry import FormRejected, form_of
from caseroom.xlsform import Problem

from .. import access
from ..access import Can
from ..models import NeedsAssessment, Programme
from ..pages import render_page
from . import actions
from .forms import GROUPING_ROLES, QuestionsForm, UploadForm
from .status import assessment_of, status

__all__ = ["assessment", "close", "open_round", "qr", "questions", "upload", "use_ready"]


def _page(
    request: HttpRequest,
    programme: Programme,
    found: NeedsAssessment | None,
    *,
    upload_form: UploadForm | None = None,
    questions_form: QuestionsForm | None = None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> HttpResponse:
    if found is not None and questions_form is None:
        initial = {field: getattr(found, field) for field, _label in GROUPING_ROLES}
        questions_form = QuestionsForm(initial=initial, form=form_of(found.version))
    page = render_page(
        request,
        "programmes/needs/assessment.html",
        programme,
        assessment=found,
        status=status(request, found) if found is not None else None,
        upload_form=upload_form or UploadForm(),
        questions_form=questions_form,
        problems=problems or [],
    )
    page.status_code = status_code
    return page


def _back(programme: Programme) -> HttpResponse:
    return redirect("programmes:needs_assessment", programme_id=programme.pk)


@access.needs(Can.READ)
@require_GET
def assessment(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.READ)
    return _page(request, programme, assessment_of(programme))


@access.needs(Can.MANAGE)
@require_POST
def upload(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, programme, assessment_of(programme), upload_form=form)
    upload = form.cleaned_data["file"]
    try:
        actions.upload_form(programme, upload.read(), upload.name or "", form.cleaned_data["title"])
    except FormRejected as error:
        form.add_error("file", _("The form cannot be used: fix the problems listed below."))
        found = assessment_of(programme)
        return _page(request, programme, found, upload_form=form, problems=error.problems)
    except actions.Refused as refused:
        form.add_error("file", refused.message)
        return _page(request, programme, assessment_of(programme), upload_form=form)
    messages.success(request, _("The questionnaire was stored."))
    return _back(programme)


@access.needs(Can.MANAGE)
@require_POST
def use_ready(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    try:
        actions.use_ready_form(programme)
    except actions.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The ready-made needs-assessment form is in place."))
    return _back(programme)


@access.needs(Can.MANAGE)
@require_POST
def questions(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    found = assessment_of(programme)
    if found is None:
        messages.error(request, _("Upload a questionnaire first."))
        return _back(programme)
    form = QuestionsForm(request.POST, form=form_of(found.version))
    if not form.is_valid():
        return _page(request, programme, found, questions_form=form)
    actions.set_questions(
        found, **{field: form.cleaned_data[field] for field, _l in GROUPING_ROLES}
    )
    messages.success(request, _("The results will be broken down by these questions."))
    return _back(programme)


def _switch(
    request: HttpRequest,
    programme_id: int,
    action: Callable[[NeedsAssessment], object],
    done: str,
) -> HttpResponse:
    """Opening or closing the round: a refusal is shown as an error, success as `done`."""
    programme = access.programme_for(request, programme_id, Can.MANAGE)
    found = assessment_of(programme)
    if found is None:
        messages.error(request, _("Upload a questionnaire first."))
        return _back(programme)
    try:
        action(found)
    except actions.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return _back(programme)


@access.needs(Can.MANAGE)
@require_POST
def open_round(request: HttpRequest, programme_id: int) -> HttpResponse:
    done = _("The questionnaire is open: hand out its code or link.")
    return _switch(request, programme_id, actions.open_round, done)


@access.needs(Can.MANAGE)
@require_POST
def close(request: HttpRequest, programme_id: int) -> HttpResponse:
    done = _("The questionnaire is closed: it takes no more answers.")
    return _switch(request, programme_id, actions.close, done)


@access.needs(Can.READ)
@require_GET
def qr(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The answering link as an SVG QR code, for a slide or a printed sheet."""
    programme = access.programme_for(request, programme_id, Can.READ)
    found = assessment_of(programme)
    if found is None or found.round is None:
        return _back(programme)
    url = request.build_absolute_uri(reverse("surveys:answer", args=[found.round.code]))
    svg = io.BytesIO()
    # A standalone file (XML declaration, namespace): it is also saved and printed.
    segno.make(url, error="m").save(svg, kind="svg", scale=6, border=2)
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="needs-{found.round.code}.svg"'
    return response
