"""Participant pages (thin: parse, check access, call an action, render).

The play page is one template whose parts (`_status`, `_scene`, `_docs`, `_feed`, `_chat`)
are fetched again by HTMX when the team changes. Each part carries the version it shows;
asked again with the same version it answers 204, so polling costs little and never
replaces a form someone is filling in for nothing.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django import forms
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from caseroom.engine import Event, IllegalAction, Scenario
from caseroom.engine.documents import document_date
from caseroom.engine.textmoments import text_moments
from caseroom.lib.forms import new_key
from caseroom.lib.htmx import HtmxHttpRequest
from caseroom.lib.markdown import plain_text
from caseroom.scenarios.registry import load
from caseroom.scenarios.texts import scenario_text

from . import access, actions, personal_codes, throttle
from .forms import (
    ActForm,
    AnswerForm,
    ApproveForm,
    JoinCodeForm,
    JoinForm,
    MessageForm,
    RefuseForm,
    WaitForm,
)
from .models import Exercise, Message, Participant, Team
from .player import PARTS, Player, documents_of, play_context, player_for
from .refusals import refusal

IMAGE_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


# ---------------------------------------------------------------- home and join


def home(request: HtmxHttpRequest) -> HttpResponse:
    form = JoinCodeForm(request.POST or (request.GET if "code" in request.GET else None))
    status = 200
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            throttle.check(request, throttle.JOIN_CODE)
        except throttle.Throttled as error:
            return throttle.response(request, error)
        if access.exercise_by_code(code) is not None:
            return redirect("join", code=code)
        throttle.count_failure(request, throttle.JOIN_CODE)
        form.add_error("code", _("No exercise has this code. Check it with your facilitator."))
        status = 404
    return render(request, "exercises/home.html", {"form": form}, status=status)


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: the load benchmark's baseline and a liveness probe."""
    return JsonResponse({"ok": True})


def _role_choices(
    scenario: Scenario, exercise: Exercise, team: Team | None
) -> list[tuple[str, str]]:
    """Roles not yet taken in the team first; taken ones say so (a role may be shared)."""
    taken: dict[str, int] = {}
    if team is not None:
        for roles in Participant.objects.filter(team=team).values_list("roles", flat=True):
            for role in roles or []:
                taken[role] = taken.get(role, 0) + 1
    choices = []
    for role_id in scenario.roles:
        if team is not None and team.plays and role_id not in team.plays:
            continue  # a linked team's other side is the other team's (linking.py)
        title = scenario_text(scenario, f"role.{role_id}.title")
        if taken.get(role_id):
            title = _("%(role)s — already taken") % {"role": title}
        choices.append((role_id, title))
    return sorted(choices, key=lambda c: bool(taken.get(c[0])))


@throttle.guard(throttle.JOIN_CODE)
def join(request: HtmxHttpRequest, code: str) -> HttpResponse:
    exercise = access.exercise_by_code(code)
    if exercise is None:
        throttle.count_failure(request, throttle.JOIN_CODE)
        code_form = JoinCodeForm({"code": code})
        if code_form.is_valid():
            code_form.add_error(
                "code", _("No exercise has this code. Check it with your facilitator.")
            )
        return render(request, "exercises/home.html", {"form": code_form}, status=404)
    if exercise.status == Exercise.Status.ENDED:
        return render(request, "exercises/join.html", {"exercise": exercise, "ended": True})
    if access.joined_here(request, exercise):
        return redirect("play", exercise_id=exercise.pk)
    scenario = load(exercise.scenario)
    teams = list(exercise.teams.order_by("name"))
    data = request.POST if request.method == "POST" else None
    chosen = _chosen_team(teams, (data or request.GET).get("team"))
    form = JoinForm(
        data,
        exercise=exercise,
        roles=_role_choices(scenario, exercise, chosen),
        initial={"team": chosen.pk if chosen else None},
    )
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        personal_code = personal_codes.new()
        try:
            participant = actions.join(
                exercise,
                name=cleaned["name"],
                agency=cleaned.get("agency", ""),
                country=cleaned.get("country", ""),
                roles=cleaned.get("roles") or [],
                team=cleaned.get("team"),
                personal_code=personal_code,
            )
        except actions.ExerciseClosed as error:
            form.add_error(None, str(error))
        else:
            access.remember_participant(request, participant, personal_code)
            return redirect("play", exercise_id=exercise.pk)
    context = {
        "exercise": exercise,
        "scenario": scenario,
        "form": form,
        "no_teams": exercise.roles_chosen_by_participants and not teams,
    }
    return render(request, "exercises/join.html", context, status=400 if form.errors else 200)


def _chosen_team(teams: list[Team], raw: str | None) -> Team | None:
    for team in teams:
        if str(team.pk) == raw:
            return team
    return teams[0] if teams else None


@require_GET
def play(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = player_for(request, exercise_id)
    code = access.personal_code_in(request, exercise_id)
    return render(request, "exercises/play.html", play_context(player, None, personal_code=code))


@require_GET
def play_part(request: HtmxHttpRequest, exercise_id: int, part: str) -> HttpResponse:
    channel = request.GET.get("channel", "")
    if part not in PARTS or (part == "chat" and channel not in Message.Channel.values):
        raise Http404
    player = player_for(request, exercise_id)
    shown = request.GET.get("v")
    changed = _changed(player, part, shown) if shown else True
    if changed is None:
        return _reload()
    if not changed or (player.session is None and part != "status"):
        return HttpResponse(status=204)
    return HttpResponse(_render_part(request, player, part, channel))


@require_GET
def play_changes(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    """Every part of the page that changed, in one answer (htmx swaps them out of band).

    After a nudge the page asks once with the version of each part it shows (`p`:
    `part:channel:version`, a part being typed in is left out) instead of once per part:
    a page has seven parts and every action nudges every page of the team, so this is
    most of a running exercise's requests. `X-Caseroom-Seq` tells the page which event
    count its unchanged parts are current with.
    """
    player = player_for(request, exercise_id)
    shown: list[tuple[str, str, str]] = []
    for raw in request.GET.getlist("p")[:12]:
        part, _sep, rest = str(raw).partition(":")
        channel, _sep, version = rest.partition(":")
        if part not in PARTS or (part == "chat") != (channel in Message.Channel.values):
            return HttpResponseBadRequest(_("Unknown part of the page: %(part)s") % {"part": raw})
        shown.append((part, channel, version))
    html: list[str] = []
    for part, channel, version in shown:
        changed = _changed(player, part, version)
        if changed is None:
            return _reload()
        if changed and (player.session is not None or part == "status"):
            html.append(_render_part(request, player, part, channel, oob=True))
    response = HttpResponse("".join(html), status=200 if html else 204)
    response["X-Caseroom-Seq"] = str(player.team.event_count if player.team else 0)
    return response


def _changed(player: Player, part: str, shown: str) -> bool | None:
    """Whether the part differs from the version the page shows; None when the page
    shows another team or other roles (its briefing and socket are wrong too)."""
    current = player.version(part)
    if shown.split("~")[0] != current.split("~")[0]:
        return None
    return shown != current


def _reload() -> HttpResponse:
    return HttpResponseClientRefresh()


def _render_part(
    request: HttpRequest, player: Player, part: str, channel: str, *, oob: bool = False
) -> str:
    extra = {"channel": channel} if part == "chat" else {}
    context = {**play_context(player, part, **extra), "oob": oob}
    return render_to_string(f"exercises/play/_{part}.html", context, request)


# ---------------------------------------------------------------- documents


def _visible_document(player: Player, doc_id: str) -> str:
    if player.session is None or doc_id not in documents_of(player):
        raise Http404
    return doc_id


@require_GET
def document(request: HtmxHttpRequest, exercise_id: int, doc_id: str) -> HttpResponse:
    player = player_for(request, exercise_id)
    _visible_document(player, doc_id)
    doc = player.scenario.documents[doc_id]
    context = play_context(player, "docs")
    context.update(
        {
            "doc": doc,
            "doc_date": document_date(
                player.scenario,
                doc_id,
                player.session.state.unlocked.get(doc_id) if player.session else None,
            ),
            "table": _table(player.scenario, doc_id),
            # A document reads the state of the moment it was unlocked (engine.textmoments).
            "doc_state": text_moments(player.session).documents.get(doc_id)
            if player.session is not None
            else None,
        }
    )
    return render(request, "exercises/document.html", context)


def _table(scenario: Scenario, doc_id: str) -> dict[str, Any] | None:
    table = scenario.documents[doc_id].table
    if table is None:
        return None
    base = f"document.{doc_id}.table"
    columns = [scenario_text(scenario, f"{base}.columns.{i}") for i in range(len(table.columns))]
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            translated = scenario_text(scenario, f"{base}.{r}.{c}") if isinstance(cell, str) else ""
            cells.append(translated or ("" if cell is None else str(cell)))
        rows.append(cells)
    return {"columns": columns, "rows": rows}


@require_GET
def document_image(request: HttpRequest, exercise_id: int, doc_id: str) -> FileResponse:
    """The image of a document the participant may see; nothing else of the folder."""
    player = player_for(request, exercise_id)
    _visible_document(player, doc_id)
    image = player.scenario.documents[doc_id].image
    if not image:
        raise Http404
    root = player.exercise.scenario.folder.resolve()
    path = (root / image).resolve()
    if not path.is_relative_to(root) or path.suffix.lower() not in IMAGE_TYPES:
        raise Http404
    if not path.is_file():
        raise Http404
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=content_type)
    # An SVG opened on its own would run script in our origin: forbid everything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------- commands


def _command_player(request: HttpRequest, exercise_id: int) -> Player:
    player = player_for(request, exercise_id)
    if player.team is None:
        raise Http404
    return player


def _forbidden() -> HttpResponse:
    return HttpResponseForbidden(_("You do not hold this role."))


def _after_command(
    request: HtmxHttpRequest, player: Player, error: str = "", *, target: str = "", done: str = ""
) -> HttpResponse:
    """HTMX: the refreshed scene part (and a nudge to the other parts); plain: redirect.

    `target` names the form that was used (`action:<id>`, `approve:<id>`, `refuse:<id>`,
    `wait`): an error is shown beside it, not at the top of the scene. `done` says what
    happened, on the scene's status line, where the page moves focus when the button that
    was pressed is gone.
    """
    if request.htmx:
        player = player_for(request, player.exercise.pk)  # the state after the command
        context = play_context(player, "scene", error=error, error_for=target, done=done)
        response = render(request, "exercises/play/_scene.html", context)
        trigger_client_event(response, "caseroom:refresh", after="settle")
        return response
    if error:
        context = play_context(
            player_for(request, player.exercise.pk), None, error=error, error_for=target
        )
        return render(request, "exercises/play.html", context, status=409)
    return HttpResponseRedirect(reverse("play", args=[player.exercise.pk]) + "#scene")


def _run(
    request: HtmxHttpRequest, player: Player, event: Event, target: str, done: str
) -> HttpResponse:
    assert player.team is not None
    try:
        actions.command(player.team, event, participant=player.participant)
    except IllegalAction as error:
        why = refusal(error, player.scenario, event.ref)
        return _after_command(request, player, why, target=target)
    except actions.ExerciseClosed:
        return _after_command(request, player, _closed_message(player.exercise), target=target)
    except actions.Refused as error:  # e.g. approving one's own request where two are needed
        return _after_command(request, player, str(error), target=target)
    return _after_command(request, player, done=done)


def _done(player: Player, template: str, action_id: str) -> str:
    """ "Done: <the action's text>" for the status line (plain text: it is read aloud)."""
    text = plain_text(scenario_text(player.scenario, f"action.{action_id}.text"))
    return template % {"action": text}


def _closed_message(exercise: Exercise) -> str:
    exercise.refresh_from_db(fields=["status"])
    return {
        Exercise.Status.DRAFT: _("The exercise has not started yet."),
        Exercise.Status.PAUSED: _("The exercise is paused. Wait for the facilitator."),
        Exercise.Status.ENDED: _("The exercise has ended."),
    }.get(Exercise.Status(exercise.status), _("The exercise is not running."))


def _form_error(form: forms.Form) -> str:
    """The first thing wrong with a command's form, for the scene part."""
    return next((str(e) for errors in form.errors.values() for e in errors), "")


@require_POST
def act(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = _command_player(request, exercise_id)
    form = ActForm(request.POST, roles=player.roles, actions=player.scenario.actions)
    if form.role_not_held:
        return _forbidden()
    target = _target("action", request)
    if not form.is_valid():
        return _after_command(request, player, _form_error(form), target=target)
    data = form.cleaned_data
    event = Event(
        "act",
        role=data["role"],
        actor=player.participant.name,
        ref=data["action"],
        input=data["answer"],
        key=data["key"] or None,
    )
    return _run(
        request, player, event, target, _done(player, _("Done: %(action)s"), data["action"])
    )


@require_POST
def approve(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = _command_player(request, exercise_id)
    form = ApproveForm(request.POST, roles=player.roles)
    if form.role_not_held:
        return _forbidden()
    target = _target("approve", request)
    if not form.is_valid():
        return _after_command(request, player, _form_error(form), target=target)
    data = form.cleaned_data
    event = Event(
        "approve",
        role=data["role"],
        actor=player.participant.name,
        ref=data["action"],
        key=data["key"] or None,
    )
    done = _done(player, _("You approved: %(action)s"), data["action"])
    return _run(request, player, event, target, done)


@require_POST
def refuse(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = _command_player(request, exercise_id)
    form = RefuseForm(request.POST, roles=player.roles)
    if form.role_not_held:
        return _forbidden()
    target = _target("refuse", request)
    if not form.is_valid():
        return _after_command(request, player, _form_error(form), target=target)
    data = form.cleaned_data
    event = Event(
        "refuse",
        role=data["role"],
        actor=player.participant.name,
        ref=data["action"],
        reason=data["reason"],
        key=data["key"] or None,
    )
    done = _done(player, _("You refused: %(action)s"), data["action"])
    return _run(request, player, event, target, done)


@require_POST
def answer(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    """A person answers the linked team's request (linking.py): the reply travels back."""
    player = _command_player(request, exercise_id)
    form = AnswerForm(request.POST, roles=player.roles)
    if form.role_not_held:
        return _forbidden()
    target = _target("answer", request)
    if not form.is_valid():
        return _after_command(request, player, _form_error(form), target=target)
    data = form.cleaned_data
    event = Event(
        "answer",
        role=data["role"],
        actor=player.participant.name,
        ref=data["action"],
        input=data["reply"],
        reason=data["reason"] or None,
        key=data["key"] or None,
    )
    template = (
        _("You answered: %(action)s") if data["reply"] is not None else _("You refused: %(action)s")
    )
    return _run(request, player, event, target, _done(player, template, data["action"]))


@require_POST
def wait(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = _command_player(request, exercise_id)
    if not player.roles:
        return _forbidden()
    form = WaitForm(request.POST)
    key = form.cleaned_data["key"] if form.is_valid() else ""
    event = Event("wait", role=player.roles[0], actor=player.participant.name, key=key or None)
    return _run(request, player, event, "wait", _("Case time moved on."))


def _target(kind: str, request: HttpRequest) -> str:
    """Which form a command came from, to show its error beside it."""
    return f"{kind}:{str(request.POST.get('action', ''))[:80]}"


@require_POST
def message(request: HtmxHttpRequest, exercise_id: int, channel: str) -> HttpResponse:
    if channel not in (Message.Channel.TEAM, Message.Channel.CROSS_BORDER):
        raise Http404
    player = _command_player(request, exercise_id)
    assert player.team is not None
    form = MessageForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"] or (player.roles[0] if len(player.roles) == 1 else "")
        if role and role not in player.roles:
            return _forbidden()
        if not role and len(player.roles) > 1:
            # Never a guess: a message once went out as the other country's prosecutor.
            form.add_error("role", _("Choose the role you write as."))
    if form.is_valid():
        try:
            actions.send_message(
                player.team,
                form.cleaned_data["body"],
                channel=channel,
                participant=player.participant,
                role=role,
                key=form.cleaned_data["key"] or None,
            )
        except actions.Refused as error:
            form.add_error("body", str(error))
        else:
            if not request.htmx:
                return HttpResponseRedirect(
                    reverse("play", args=[exercise_id]) + f"#chat-{channel}"
                )
            form = MessageForm(initial={"key": new_key(), "role": role})
    elif not request.htmx:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(reverse("play", args=[exercise_id]) + f"#chat-{channel}")
    context = {"form": form, "channel": channel, "exercise": player.exercise, "player": player}
    response = render(request, "exercises/play/_message_form.html", context)
    if not form.errors:
        trigger_client_event(response, "caseroom:refresh", after="settle")
    return response
