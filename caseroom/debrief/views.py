"""Thin views: check access, gather the teams, let `reports` build the context."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caseroom.exercises import access
from caseroom.exercises.models import Team

from . import exports, reports


def _whatif_index(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


@login_required
@require_GET
def team_debrief(request: HttpRequest, exercise_id: int, team_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    try:
        team = exercise.teams.select_related("exercise__scenario").get(pk=team_id)
    except Team.DoesNotExist:
        raise Http404 from None
    context = reports.team_report(team, _whatif_index(request.GET.get("whatif")))
    context["exercise"] = exercise
    return render(request, "debrief/team.html", context)


@login_required
@require_GET
def exercise_debrief(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    teams = list(exercise.teams.select_related("exercise__scenario").order_by("name"))
    context = reports.exercise_report(exercise, teams)
    context["exercise"] = exercise
    return render(request, "debrief/exercise.html", context)


@login_required
@require_GET
def export(request: HttpRequest, exercise_id: int, fmt: str) -> HttpResponse:
    """Every team's steps as a spreadsheet (CSV or XLSX) for analysis elsewhere."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    rows = exports.exercise_rows(exercise)
    name = f"caseroom-exercise-{exercise.pk}-steps.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
