"""The facilitator's pages: my exercises, and the live console of one exercise."""

from __future__ import annotations

from typing import Any, Literal

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from caseroom.engine import Event, IllegalAction, Scenario
from caseroom.lib.forms import new_key
from caseroom.lib.htmx import HtmxHttpRequest
from caseroom.scenarios.registry import load
from caseroom.scenarios.texts import scenario_text

from . import access, actions, timebox
from .console_links import links_of
from .forms import (
    CountForm,
    EndForm,
    ExerciseForm,
    FacilitatorMessageForm,
    GradeForm,
    InjectForm,
    JumpForm,
    RolesForm,
    StatusForm,
    TimeBoxForm,
)
from .models import Exercise, Message, Participant, Team
from .player import message_rows, messages_of, role_title
from .refusals import refusal
from .teamcards import cards_of, inject_menu

MINUTE_CHOICES = (5, 10, 15)  # the console's "+N min" buttons


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guards every view here
    return user


# ---------------------------------------------------------------- my exercises


@login_required
def exercises(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    found = (
        access.exercises_visible_to(user)
        .annotate(
            team_count=Count("teams", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-date", "-created_at")
    )
    form = ExerciseForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if not access.is_trainer(user):
            return HttpResponseForbidden(_("Only trainers can create exercises."))
        if form.is_valid():
            exercise = actions.create_exercise(_user(request), **form.cleaned_data)
            return redirect("console", exercise_id=exercise.pk)
    context = {"exercises": found, "form": form, "can_create": access.is_trainer(user)}
    return render(request, "exercises/facilitate/list.html", context)


# ---------------------------------------------------------------- the console


def _console_context(request: HttpRequest, exercise: Exercise) -> dict[str, Any]:
    scenario = load(exercise.scenario)
    cards = cards_of(exercise, scenario)
    return {
        "exercise": exercise,
        "scenario": scenario,
        "cards": cards,
        # An ended exercise's console shows the result, not the controls of live play.
        "ended": exercise.status == Exercise.Status.ENDED,
        "unassigned": list(exercise.participants.filter(team=None).order_by("name")),
        "role_choices": [(r, role_title(scenario, r)) for r in scenario.roles],
        "injects": inject_menu(scenario, cards),
        "endings": [(e, scenario_text(scenario, f"ending.{e}.title")) for e in scenario.endings],
        "scenes": [
            (
                s.id,
                f"{scenario_text(scenario, f'phase.{s.phase}.title')} — "
                f"{scenario_text(scenario, f'scene.{s.id}.title')}",
            )
            for s in sorted(scenario.scenes.values(), key=lambda s: scenario.phase_order[s.phase])
        ],
        "key": new_key,
        "timebox": timebox.of(exercise),
        "timebox_version": timebox.version(exercise),
        "minute_choices": MINUTE_CHOICES,
    }


@login_required
@require_GET
def console(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    join_url = request.build_absolute_uri(reverse("join", args=[exercise.join_code]))
    qr = segno.make(join_url).svg_inline(scale=5)
    context = _console_context(request, exercise)
    context.update(
        {
            "join_url": join_url,
            # segno's own SVG of our URL (code from a fixed alphabet): nothing from users.
            "qr": mark_safe(qr),  # noqa: S308
            "statuses": _status_buttons(exercise),
            "participants": list(
                exercise.participants.select_related("team").order_by("team__name", "name")
            ),
            "teams": [c.team for c in context["cards"]],
            "links": links_of([c.team for c in context["cards"]]),
        }
    )
    return render(request, "exercises/facilitate/console.html", context)


@login_required
@require_GET
def teams_part(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    return render(request, "exercises/facilitate/_teams.html", _console_context(request, exercise))


@login_required
@require_GET
def timebox_part(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    """The time box as it stands: a co-facilitator's extension shows on every console."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    if request.GET.get("v") == timebox.version(exercise):
        return HttpResponse(status=204)  # every team's action nudges the console: mostly this
    context = {
        "exercise": exercise,
        "timebox": timebox.of(exercise),
        "timebox_version": timebox.version(exercise),
        "minute_choices": MINUTE_CHOICES,
        "key": new_key,
    }
    return render(request, "exercises/facilitate/_timebox.html", context)


def _status_buttons(exercise: Exercise) -> list[tuple[str, str]]:
    S = Exercise.Status
    nexts = {
        S.DRAFT: [(S.RUNNING, _("Start"))],
        S.RUNNING: [(S.PAUSED, _("Pause")), (S.ENDED, _("End exercise"))],
        S.PAUSED: [(S.RUNNING, _("Resume")), (S.ENDED, _("End exercise"))],
        S.ENDED: [(S.RUNNING, _("Reopen"))],
    }
    return [(str(s), label) for s, label in nexts[S(exercise.status)]]


def _back(exercise: Exercise, anchor: str = "") -> HttpResponse:
    return redirect(reverse("console", args=[exercise.pk]) + anchor)


def _team(exercise: Exercise, raw: object) -> Team:
    try:
        return exercise.teams.select_related("exercise__scenario").get(pk=int(str(raw)))
    except (ValueError, Team.DoesNotExist):
        raise Http404 from None


def _targets(exercise: Exercise, raw: str) -> list[Team]:
    if raw == "all":
        return list(exercise.teams.select_related("exercise__scenario").order_by("name"))
    return [_team(exercise, raw)]


@login_required
@require_POST
def status(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.set_status(exercise, form.cleaned_data["status"])
        messages.success(
            request, _("The exercise is now: %(s)s") % {"s": exercise.get_status_display()}
        )
    return _back(exercise)


@login_required
@require_POST
def create_teams(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = CountForm(request.POST)
    if form.is_valid():
        made = actions.create_teams(exercise, form.cleaned_data["count"])
        messages.success(
            request,
            ngettext("%(n)d team created.", "%(n)d teams created.", len(made)) % {"n": len(made)},
        )
    else:
        messages.error(request, _("Give a number of teams between 1 and 30."))
    return _back(exercise, "#teams")


@login_required
@require_POST
def balance(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    try:
        actions.balance_teams(exercise)
    except actions.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Participants were spread over the teams and given roles."))
    return _back(exercise, "#participants")


@login_required
@require_POST
def roles(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    scenario = load(exercise.scenario)
    form = RolesForm(request.POST, roles=[(r, r) for r in scenario.roles])
    if not form.is_valid():
        messages.error(request, _("Choose known roles."))
        return _back(exercise, "#participants")
    try:
        participant = exercise.participants.get(pk=form.cleaned_data["participant"])
    except Participant.DoesNotExist:
        raise Http404 from None
    team_id = form.cleaned_data["team"]
    team = _team(exercise, team_id) if team_id else None
    actions.place_participant(participant, team=team, roles=list(form.cleaned_data["roles"]))
    messages.success(request, _("%(name)s updated.") % {"name": participant.name})
    return _back(exercise, "#participants")


@login_required
@require_POST
def inject(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = InjectForm(request.POST)
    scenario = load(exercise.scenario)
    if not form.is_valid() or form.cleaned_data["inject"] not in scenario.injects:
        messages.error(request, _("Choose an inject."))
        return _back(exercise, "#teams")
    result = _command_teams(
        request, exercise, scenario, form, "inject", form.cleaned_data["inject"]
    )[1]
    if result.applied:
        title = scenario_text(scenario, f"inject.{form.cleaned_data['inject']}.title")
        messages.success(
            request,
            _("“%(inject)s” fired for: %(teams)s")
            % {"inject": title, "teams": ", ".join(t.name for t in result.applied)},
        )
    return _back(exercise, "#teams")


@login_required
@require_POST
def message(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = FacilitatorMessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message first."))
        return _back(exercise, "#teams")
    teams = _targets(exercise, form.cleaned_data["team"])
    actions.broadcast_message(
        teams, form.cleaned_data["body"], user=_user(request), key=form.cleaned_data["key"]
    )
    messages.success(
        request, _("Message sent to: %(teams)s") % {"teams": ", ".join(t.name for t in teams)}
    )
    return _back(exercise, "#teams")


@login_required
@require_POST
def grade(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    scenario = load(exercise.scenario)
    form = GradeForm(request.POST, dimensions=[d.id for d in scenario.doc.rubric])
    if not form.is_valid():
        if form.has_error("team"):
            raise Http404
        messages.error(request, _("Points must be whole numbers."))
        return _back(exercise, "#teams")
    data = form.cleaned_data
    team = _team(exercise, data["team"])
    event = Event(
        "grade",
        step=data["step"],
        points=data["points"],
        reason=data["comment"],
        actor=_user(request).get_username(),
        key=data["key"] or None,
    )
    try:
        actions.command(team, event, user=_user(request), require_running=False)
    except IllegalAction as error:
        messages.error(request, f"{team.name}: {refusal(error, scenario, kind='grade')}")
    else:
        messages.success(request, _("%(team)s: answer graded.") % {"team": team.name})
    return _back(exercise, f"#team-{team.pk}")


@login_required
@require_POST
def end_case(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """End a team's case with the ending the facilitator chose."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = EndForm(request.POST)
    scenario = load(exercise.scenario)
    if not form.is_valid():
        messages.error(request, _("Choose an ending."))
        return _back(exercise, "#teams")
    targets, result = _command_teams(
        request, exercise, scenario, form, "end", form.cleaned_data["ending"]
    )
    for team in result.applied:
        messages.success(request, _("%(team)s: the case has ended.") % {"team": team.name})
    return _back(exercise, f"#team-{targets[0].pk}")


@login_required
@require_POST
def jump(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Move a team, or every team, to a scene: skip a phase that runs long (when its time
    box is over, say), or replay one that went wrong."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = JumpForm(request.POST)
    scenario = load(exercise.scenario)
    if not form.is_valid() or form.cleaned_data["scene"] not in scenario.scenes:
        messages.error(request, _("Choose a scene."))
        return _back(exercise, "#teams")
    targets, result = _command_teams(
        request, exercise, scenario, form, "jump", form.cleaned_data["scene"]
    )
    for team in result.applied:
        messages.success(request, _("%(team)s moved on.") % {"team": team.name})
    return _back(exercise, f"#team-{targets[0].pk}" if len(targets) == 1 else "#teams")


def _command_teams(
    request: HttpRequest,
    exercise: Exercise,
    scenario: Scenario,
    form: forms.Form,
    kind: Literal["inject", "end", "jump"],
    ref: str,
) -> tuple[list[Team], actions.Broadcast]:
    """The facilitator's command to the form's team, or to every team ("all"); it applies
    even while the exercise is paused, and each team that refuses it is named."""
    user = _user(request)
    key = form.cleaned_data["key"] or None
    event = Event(kind, ref=ref, actor=user.get_username(), key=key)
    targets = _targets(exercise, str(form.cleaned_data["team"]))
    result = actions.broadcast_command(targets, event, user=user)
    for team, error in result.refused:
        messages.warning(request, f"{team.name}: {refusal(error, scenario, kind=kind)}")
    return targets, result


@login_required
@require_POST
def time_box(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """Give the room minutes for a phase, add minutes, or take the time box away."""
    exercise = access.exercise_for_facilitator(request, exercise_id)
    form = TimeBoxForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.non_field_errors()) or _("Check the time box.")
        )
        return _back(exercise, "#timebox")
    data, key = form.cleaned_data, form.cleaned_data["key"]
    if data["do"] == "start":
        timebox.start(exercise, data["minutes"], data["label"], key=key)
        messages.success(request, _("Time box set."))
    elif data["do"] == "extend":
        timebox.extend(exercise, data["minutes"], key=key)
        messages.success(request, _("Time box extended."))
    else:
        timebox.clear(exercise, key=key)
        messages.success(request, _("Time box removed."))
    return _back(exercise, "#timebox")


@login_required
@require_GET
def team_chat(request: HtmxHttpRequest, exercise_id: int, team_id: int) -> HttpResponse:
    exercise = access.exercise_for_facilitator(request, exercise_id)
    team = _team(exercise, team_id)
    scenario = load(exercise.scenario)
    context = {
        "exercise": exercise,
        "team": team,
        "channels": [
            (label, message_rows(scenario, messages_of(team, channel, 200)))
            for channel, label in Message.Channel.choices
        ],
    }
    template = "exercises/facilitate/chat.html"
    if request.htmx:
        template = "exercises/facilitate/_chat.html"
    return render(request, template, context)
