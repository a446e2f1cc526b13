"""Pages of a session's exercises: link and unlink, run one with teams, the printable team
list, and matching players to the session's people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseroom.exercises.access import is_trainer

from .. import access
from ..access import Can, session_for
from ..models import Person
from ..pages import render_page
from . import exercises, seating
from .forms_exercises import LinkExerciseForm, RunExerciseForm, SeatForm, UnlinkExerciseForm
from .views import T, session_page


@access.needs(Can.DELIVER)
@require_POST
def session_exercise_link(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    form = LinkExerciseForm(request.POST, user=request.user)
    if not form.is_valid():
        return session_page(request, found, link_form=form)
    exercises.link_exercise(found, form.cleaned_data["exercise"])
    messages.success(request, _("The exercise now counts as run in this session."))
    return redirect(reverse("programmes:session", args=[found.pk]) + "#exercises")


@access.needs(Can.DELIVER)
@require_POST
def session_exercise_unlink(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    form = UnlinkExerciseForm(request.POST, session=found)
    if form.is_valid():
        exercises.unlink_exercise(found, form.cleaned_data["exercise"])
        messages.success(request, _("The exercise no longer counts for this session."))
    else:
        messages.error(request, _("That exercise is not linked to this session."))
    return redirect(reverse("programmes:session", args=[found.pk]) + "#exercises")


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_exercise_run(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    data = request.POST if request.method == "POST" else None
    form = RunExerciseForm(data, initial={"title": found.title, "teams": 3})
    user = request.user
    if form.is_valid():
        if isinstance(user, User) and is_trainer(user):
            made = exercises.run_exercise(
                found,
                user,
                scenario=form.cleaned_data["scenario"],
                title=form.cleaned_data["title"],
                teams=form.cleaned_data["teams"],
            )
            messages.success(
                request, _("Exercise created with join code %(code)s.") % {"code": made.join_code}
            )
            return redirect("programmes:session_teams", session_id=found.pk)
        form.add_error(None, _("Only trainers may create exercises: ask an administrator."))
    return render_page(
        request, T + "run_exercise.html", found.module.programme, session=found, form=form
    )


@access.needs(Can.DELIVER)
@require_GET
def session_teams(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    return render_page(
        request,
        T + "teams.html",
        found.module.programme,
        session=found,
        lists=exercises.team_lists(found),
    )


@access.needs(Can.DELIVER)
@require_http_methods(["GET", "POST"])
def session_seats(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    failed: SeatForm | None = None
    if request.method == "POST":
        form = SeatForm(request.POST, session=found)
        if form.is_valid():
            seating.seat(form.cleaned_data["person"], form.cleaned_data["participant"])
            messages.success(request, _("Player matched."))
            return redirect("programmes:session_seats", session_id=found.pk)
        failed = form
    # One list of people for every row's select box (a form per row would query per row).
    people = list(
        Person.objects.filter(enrolments__session=found)
        .order_by("family_name", "given_name", "pk")
        .values_list("pk", "given_name", "family_name", "agency")
    )
    return render_page(
        request,
        T + "seats.html",
        found.module.programme,
        session=found,
        page=seating.seating_page(found),
        people=[(pk, f"{given} {family} ({agency})") for pk, given, family, agency in people],
        failed=failed,
    )


@access.needs(Can.DELIVER)
@require_POST
def session_seat_match(request: HttpRequest, session_id: int) -> HttpResponse:
    found = session_for(request, session_id, Can.DELIVER)
    result = seating.seat_participants(found)
    messages.success(
        request,
        _("%(matched)d players matched to people; %(left)d left to match by hand.")
        % {"matched": result.matched, "left": result.unmatched},
    )
    return redirect("programmes:session_seats", session_id=found.pk)
