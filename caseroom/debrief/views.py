"""Thin views: check access, parse the form, call `notes` or let `reports` build the context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.exercises import access, personal_codes, throttle
from caseroom.exercises.models import Exercise, Team
from caseroom.exercises.sessions import teams_of
from caseroom.lib.forms import new_key
from caseroom.lib.htmx import HtmxHttpRequest
from caseroom.scenarios.registry import load

from . import aar, analysis, exports, lrs, notes, reports, xapi
from .forms import AnalysisFilterForm, AnnotationForm, FindMyTeamForm, NotesForm, ReleaseForm
from .linked import linked_timeline
from .models import Annotation, read_debrief


def _int_param(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def _team_of(exercise: Exercise, team_id: int) -> Team:
    try:
        return exercise.teams.select_related("exercise__scenario").get(pk=team_id)
    except Team.DoesNotExist:
        raise Http404 from None


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_GET
def team_debrief(request: HttpRequest, exercise_id: int, team_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    team = _team_of(exercise, team_id)
    report = reports.team_report(team, _int_param(request.GET.get("whatif")))
    context = reports.as_context(report)
    context.update(exercise=exercise, facilitator=True, kinds=Annotation.Kind.choices)
    context["linked"] = linked_timeline(team, report)  # both sides of a linked pair
    return render(request, "debrief/team.html", context)


def _marks_context(exercise: Exercise, team: Team, step: int, **extra: Any) -> dict[str, Any]:
    scenario = load(exercise.scenario)
    found = team.annotations.filter(step=step).select_related("author")
    return {
        "exercise": exercise,
        "team": team,
        "step_index": step,
        "marks": [reports.mark_view(scenario, a) for a in found],
        "misconception_choices": reports.misconception_choices(scenario),
        "kinds": Annotation.Kind.choices,
        "facilitator": True,
        "key": new_key(),
        **extra,
    }


@login_required
@require_POST
def annotate(request: HtmxHttpRequest, exercise_id: int, team_id: int) -> HttpResponse:
    """Mark a step: comment, good practice or misconception (during or after the exercise)."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    team = _team_of(exercise, team_id)
    scenario = load(exercise.scenario)
    form = AnnotationForm(request.POST, misconceptions=reports.misconception_choices(scenario))
    step = min(max(_int_param(request.POST.get("step")) or 0, 0), 2**31 - 1)
    if form.is_valid():
        step = form.cleaned_data["step"]
        notes.add_annotation(
            team,
            step=step,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            misconception=form.cleaned_data["misconception"],
            author=_user(request),
            key=form.cleaned_data["key"] or None,
        )
        errors: list[str] = []
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    if request.htmx:
        # 200 even with errors: htmx swaps only 2xx answers by default, and the errors
        # belong next to the form the facilitator just used.
        return render(
            request, "debrief/_marks.html", _marks_context(exercise, team, step, errors=errors)
        )
    for error in errors:
        messages.error(request, error)
    url = reverse("debrief_team", args=[exercise.pk, team.pk])
    return redirect(f"{url}#step-{step}")


@login_required
@require_POST
def delete_annotation(request: HtmxHttpRequest, exercise_id: int, pk: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    annotation = get_object_or_404(
        Annotation.objects.select_related("team"), pk=pk, team__exercise=exercise
    )
    team, step = annotation.team, annotation.step
    notes.delete_annotation(annotation)
    if request.htmx:
        return render(request, "debrief/_marks.html", _marks_context(exercise, team, step))
    url = reverse("debrief_team", args=[exercise.pk, team.pk])
    return redirect(f"{url}#step-{step}")


@login_required
@require_GET
def exercise_debrief(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    context = reports.as_context(reports.exercise_report(exercise, teams_of(exercise)))
    debrief = read_debrief(exercise)
    context.update(
        exercise=exercise,
        debrief=debrief,
        lrs_configured=bool(settings.LRS_URL),
        notes_form=NotesForm(
            initial={"notes": debrief.notes, "recommendations": debrief.recommendations}
        ),
    )
    return render(request, "debrief/exercise.html", context)


@login_required
@require_POST
def save_notes(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        notes.save_notes(exercise, **form.cleaned_data)
        messages.success(request, _("Notes saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(reverse("debrief_exercise", args=[exercise.pk]) + "#notes")


@login_required
@require_POST
def release(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = ReleaseForm(request.POST)
    released = form.is_valid() and bool(form.cleaned_data["released"])
    try:
        notes.release(exercise, released)
    except notes.NotEnded:
        messages.error(
            request,
            _(
                "End the exercise before releasing its debrief: the debrief shows the expert "
                "path, which would give the answers away to teams still playing."
            ),
        )
        return redirect(reverse("debrief_exercise", args=[exercise.pk]) + "#release")
    if released:
        messages.success(
            request,
            _("Participants can now open their team's debrief with the join code %(code)s.")
            % {"code": exercise.join_code},
        )
    else:
        messages.success(request, _("The debrief is no longer visible to participants."))
    return redirect(reverse("debrief_exercise", args=[exercise.pk]) + "#release")


def _names_shown(request: HttpRequest) -> bool:
    return request.GET.get("names") == "1"


@login_required
@require_GET
def exercise_projector(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Large, uncluttered, one screen at a time; names of people never appear here."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    report = reports.exercise_report(exercise, teams_of(exercise))
    slides = reports.projector_slides(exercise, report)
    index = min(max(_int_param(request.GET.get("slide")) or 0, 0), len(slides) - 1)
    context = {
        "exercise": exercise,
        "slide": slides[index],
        "index": index,
        "count": len(slides),
        "previous": index - 1 if index > 0 else None,
        "next": index + 1 if index + 1 < len(slides) else None,
        "exit_url": reverse("debrief_exercise", args=[exercise.pk]),
    }
    return render(request, "debrief/projector.html", context)


@login_required
@require_GET
def team_projector(request: HttpRequest, exercise_id: int, team_id: int) -> HttpResponse:
    """A team's trajectory revealed step by step; who did what is hidden unless asked."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    team = _team_of(exercise, team_id)
    report = reports.team_report(team)
    steps = report.steps
    last = len(steps) - 1
    index = min(max(_int_param(request.GET.get("step")) or 0, 0), max(last, 0))
    names = _names_shown(request)
    context = {
        **reports.as_context(report),
        "exercise": exercise,
        "current": steps[index] if steps else None,
        "earlier": steps[max(0, index - 4) : index],
        "index": index,
        "count": len(steps),
        "previous": index - 1 if index > 0 else None,
        "next": index + 1 if index < last else None,
        "names": names,
        "names_param": "&names=1" if names else "",
        "exit_url": reverse("debrief_team", args=[exercise.pk, team.pk]),
    }
    return render(request, "debrief/team_projector.html", context)


@require_GET
def participant_debrief(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """The participant's own team's debrief, once the facilitator has released it."""
    participant = access.reader_in(request, exercise_id)
    exercise = participant.exercise
    if participant.team is None:
        raise Http404
    if not read_debrief(exercise).released:
        return render(request, "debrief/not_released.html", {"exercise": exercise}, status=403)
    report = reports.team_report(participant.team, _int_param(request.GET.get("whatif")))
    context = reports.as_context(report)
    context.update(exercise=exercise, facilitator=False, participant=participant)
    context["linked"] = linked_timeline(participant.team, report)
    return render(request, "debrief/team.html", context)


@require_http_methods(["GET", "POST"])
@throttle.guard(throttle.PERSONAL_CODE)
def find_my_debrief(request: HttpRequest, code: str) -> HttpResponse:
    """From another device: the join code, the name and the personal code of the participant.

    It lets this browser read that participant's released team debrief and nothing more: no
    play session, so no acting, chatting or reading a role's documents (`remember_reader`).
    Every failure reads the same, so the form tells no one who joined.
    """
    exercise = access.exercise_by_code(code)
    if exercise is None:
        throttle.count_failure(request, throttle.PERSONAL_CODE)
        raise Http404
    if access.joined_here(request, exercise):
        return redirect("debrief_participant", exercise_id=exercise.pk)
    if not read_debrief(exercise).released:
        return render(request, "debrief/not_released.html", {"exercise": exercise}, status=403)
    form = FindMyTeamForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        name = form.cleaned_data["name"].strip()
        matches = [
            person
            for person in exercise.participants.filter(name__iexact=name, team__isnull=False)[:20]
            if personal_codes.matches(person, form.cleaned_data["personal_code"])
        ]
        if len(matches) == 1:
            access.remember_reader(request, matches[0])
            return redirect("debrief_participant", exercise_id=exercise.pk)
        throttle.count_failure(request, throttle.PERSONAL_CODE)
        form.add_error(
            None,
            _(
                "This name and personal code do not match anyone in this exercise. Check the "
                "code you were shown when you joined, or ask your facilitator for a new one."
            ),
        )
    status = 400 if form.errors else 200
    return render(request, "debrief/find.html", {"exercise": exercise, "form": form}, status=status)


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


@login_required
@require_GET
def analysis_index(request: HttpRequest) -> HttpResponse:
    """The scenarios this user ran, to compare their exercises."""
    return render(
        request, "debrief/analysis_index.html", {"scenarios": analysis.scenarios_of(request.user)}
    )


@login_required
@require_GET
def scenario_analysis(request: HttpRequest, slug: str) -> HttpResponse:
    """Every exercise of a scenario, filtered by country, agency and date; repeat runs."""
    choices = analysis.filter_choices(request.user, slug)
    form = AnalysisFilterForm(request.GET or None, **choices)
    filters = analysis.Filters()
    if form.is_bound and form.is_valid():
        filters = analysis.Filters(
            country=form.cleaned_data["country"],
            agency=form.cleaned_data["agency"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    result = analysis.analyse(request.user, slug, filters)
    if result is None:
        raise Http404
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "debrief/analysis.html", {"form": form, "a": result}, status=status)


REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


@login_required
@require_GET
def report(request: HttpRequest, exercise_id: int, fmt: str) -> HttpResponse:
    """The after-action report: HTML to read in the browser, PDF or DOCX to attach."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    try:
        data = aar.render(aar.build_report(exercise), fmt)
    except aar.ReportUnavailable as error:
        messages.error(request, str(error))
        return redirect(reverse("debrief_exercise", args=[exercise.pk]))
    response = HttpResponse(data, content_type=REPORT_TYPES[fmt])
    if fmt != "html" or request.GET.get("download"):
        name = f"caseroom-after-action-report-{exercise.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def xapi_statements(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Every team's xAPI statements as one JSON file, checked against the data model."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    try:
        statements = xapi.checked_statements(exercise)
    except (xapi.InvalidStatement, RuntimeError) as error:
        messages.error(
            request, _("The xAPI statements are not valid: %(error)s") % {"error": error}
        )
        return redirect(reverse("debrief_exercise", args=[exercise.pk]))
    response = JsonResponse(statements, safe=False, json_dumps_params={"indent": 1})
    name = f"caseroom-exercise-{exercise.pk}-xapi.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def xapi_send(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Send the statements to the Learning Record Store configured by LRS_URL."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    back = redirect(reverse("debrief_exercise", args=[exercise.pk]) + "#data")
    client = lrs.client_from_settings()
    if client is None:
        messages.error(request, _("No Learning Record Store is configured (LRS_URL)."))
        return back
    try:
        result = client.send(xapi.checked_statements(exercise))
    except (xapi.InvalidStatement, RuntimeError, lrs.LrsError) as error:
        messages.error(request, str(error))
        return back
    messages.success(
        request,
        # Counts after colons: the number never changes the words around it (plurals).
        _(
            "Sent to the Learning Record Store. Stored: %(stored)d; already there: "
            "%(unchanged)d; kept as first sent: %(conflicts)d."
        )
        % {
            "stored": len(result.stored),
            "unchanged": len(result.unchanged),
            "conflicts": len(result.conflicts),
        },
    )
    return back
