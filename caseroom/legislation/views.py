"""The legislation pages: the list, the heatmap, a cell with its history, its edit form,
its recommendation made a measure, and the XLSX export. Parse, check access, call an action
or a builder, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.lib.downloads import DOCX, PDF, XLSX, download, rendered_download

from . import access, actions, exports, pages, report
from .access import Can
from .forms import AssessmentForm, CriterionForm, MakeMeasureForm, MatrixForm
from .models import COUNTRIES, Assessment, Criterion, Matrix

__all__ = [
    "cell", "edit", "export_xlsx", "heatmap", "make_measure", "matrices", "new_criterion",
    "new_matrix", "report_docx", "report_pdf",
]  # fmt: skip

COUNTRY_CODES = frozenset(code for code, _label in COUNTRIES)


def _render(request: HttpRequest, template: str, matrix: Matrix, **context: object) -> HttpResponse:
    role = access.role_in(request.user, matrix.coordination_id)
    return render(
        request,
        template,
        {"matrix": matrix, "can_assess": access.may(role, Can.ASSESS), **context},
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the views are @login_required
    return request.user


def _cell(request: HttpRequest, criterion_id: int, country: str, need: Can) -> Criterion:
    if country not in COUNTRY_CODES:
        raise Http404
    return access.criterion_for(request, criterion_id, need)


@access.signed_in
@require_GET
def matrices(request: HttpRequest) -> HttpResponse:
    found = access.matrices_visible_to(request.user)
    coordinations = access.coordinations_assessable_by(request.user)
    return render(
        request, "legislation/list.html", {"matrices": found, "coordinations": coordinations}
    )


@access.needs(Can.ASSESS)
@require_http_methods(["GET", "POST"])
def new_matrix(request: HttpRequest, coordination_id: int) -> HttpResponse:
    coordination = access.coordination_for(request, coordination_id, Can.ASSESS)
    form = MatrixForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        matrix = actions.create_matrix(coordination, form.cleaned_data["title"])
        return redirect("legislation:heatmap", matrix.pk)
    return render(request, "legislation/new.html", {"coordination": coordination, "form": form})


@access.needs(Can.ASSESS)
@require_http_methods(["GET", "POST"])
def new_criterion(request: HttpRequest, matrix_id: int) -> HttpResponse:
    """A criterion added, or one of the same code reworded (its assessments stay)."""
    matrix = access.matrix_for(request, matrix_id, Can.ASSESS)
    form = CriterionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        actions.add_criterion(matrix, **form.cleaned_data)
        messages.success(request, _("The criterion is saved."))
        return redirect("legislation:heatmap", matrix.pk)
    return _render(request, "legislation/criterion.html", matrix, form=form)


@access.needs(Can.READ)
@require_GET
def heatmap(request: HttpRequest, matrix_id: int) -> HttpResponse:
    matrix = access.matrix_for(request, matrix_id)
    return _render(request, "legislation/heatmap.html", matrix, map=pages.heatmap(matrix))


@access.needs(Can.READ)
@require_GET
def cell(request: HttpRequest, criterion_id: int, country: str) -> HttpResponse:
    criterion = _cell(request, criterion_id, country, Can.READ)
    page = pages.cell_page(criterion, country)
    return _render(
        request,
        "legislation/cell.html",
        criterion.matrix,
        page=page,
        measure_form=MakeMeasureForm(),
    )


@access.needs(Can.ASSESS)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, criterion_id: int, country: str) -> HttpResponse:
    criterion = _cell(request, criterion_id, country, Can.ASSESS)
    found = Assessment.objects.filter(criterion=criterion, country=country).first()
    conflict: list[tuple[object, str, str, str, object]] = []
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            values = {name: str(form.cleaned_data[name]) for name in actions.ASSESSED_FIELDS}
            try:
                _assessment, changes = actions.assess(
                    criterion, country, values, by=_user(request), seen=form.cleaned_data["seen"]
                )
            except actions.Conflict as clash:
                labels = {name: field.label for name, field in form.fields.items()}
                conflict = [
                    (
                        labels.get(change.field, change.field),
                        change.before,
                        change.after,
                        change.by.get_username() if change.by else "?",
                        change.at,
                    )
                    for change in clash.changes
                ]
                form.add_error(None, clash.message)
                # Saving again now is a deliberate choice over the change just shown.
                data = request.POST.copy()
                data["seen"] = str(actions.last_change(criterion, country))
                form.data = data
            else:
                if changes:
                    messages.success(
                        request, _("The assessment is saved; its history keeps the change.")
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("legislation:cell", criterion.pk, country)
    else:
        initial: dict[str, object] = (
            {name: getattr(found, name) for name in actions.ASSESSED_FIELDS} if found else {}
        )
        initial["seen"] = actions.last_change(criterion, country)
        form = AssessmentForm(initial=initial)
    page = pages.cell_page(criterion, country)
    return _render(
        request, "legislation/edit.html", criterion.matrix, page=page, form=form, conflict=conflict
    )


@access.needs(Can.ASSESS)
@require_POST
def make_measure(request: HttpRequest, criterion_id: int, country: str) -> HttpResponse:
    criterion = _cell(request, criterion_id, country, Can.ASSESS)
    found = Assessment.objects.filter(criterion=criterion, country=country).first()
    form = MakeMeasureForm(request.POST)
    if found is None or not form.is_valid():
        page = pages.cell_page(criterion, country)
        return _render(
            request, "legislation/cell.html", criterion.matrix, page=page, measure_form=form
        )
    try:
        actions.make_measure(
            found,
            institution=form.cleaned_data["institution"],
            responsible=form.cleaned_data["responsible"],
            due_on=form.cleaned_data["due_on"],
            by=_user(request),
        )
    except actions.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The recommendation is a measure of the coordination now."))
    return redirect("legislation:cell", criterion.pk, country)


@access.needs(Can.READ)
@require_GET
def export_xlsx(request: HttpRequest, matrix_id: int) -> HttpResponse:
    matrix = access.matrix_for(request, matrix_id)
    return download(exports.matrix_xlsx(matrix), XLSX, f"legislation-{matrix.pk}.xlsx")


@access.needs(Can.READ)
@require_GET
def report_pdf(request: HttpRequest, matrix_id: int) -> HttpResponse:
    matrix = access.matrix_for(request, matrix_id)
    return rendered_download(
        lambda: report.render_pdf(report.build(matrix), matrix.pk),
        PDF,
        f"legislation-{matrix.pk}.pdf",
    )


@access.needs(Can.READ)
@require_GET
def report_docx(request: HttpRequest, matrix_id: int) -> HttpResponse:
    matrix = access.matrix_for(request, matrix_id)
    return rendered_download(
        lambda: report.render_docx(report.build(matrix)),
        DOCX,
        f"legislation-{matrix.pk}.docx",
    )
