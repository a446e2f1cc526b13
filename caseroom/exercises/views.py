"""Participant pages (thin: parse, check access, call an action, render).

The play page is one template whose parts (`_status`, `_scene`, `_docs`, `_feed`, `_chat`)
are fetched again by HTMX when the team changes. Each part carries the version it shows;
asked again with the same version it answers 204, so polling costs little and never
replaces a form someone is filling in for nothing.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

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
from django_htmx.middleware import HtmxDetails

from caseroom.engine import Event, FeedItem, IllegalAction, Pending, Scenario, Session
from caseroom.engine.model import Input
from caseroom.scenarios.registry import load

from . import access, actions, personal_codes, throttle, timebox
from .forms import JoinCodeForm, JoinForm, MessageForm, RefuseForm, new_key
from .models import Exercise, Message, Participant, Team
from .refusals import refusal, why_not
from .sessions import session_for
from .templatetags.caseroom_tags import case_time, scenario_text

PARTS = ("status", "scene", "docs", "feed", "chat")
IMAGE_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


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
        title = scenario_text(scenario, f"role.{role_id}.title")
        if taken.get(role_id):
            title = _("%(role)s — already taken") % {"role": title}
        choices.append((role_id, title))
    return sorted(choices, key=lambda c: bool(taken.get(c[0])))


def join(request: HtmxHttpRequest, code: str) -> HttpResponse:
    try:
        throttle.check(request, throttle.JOIN_CODE)
    except throttle.Throttled as error:
        return throttle.response(request, error)
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
    known = access.participant_id_from_session(request.session, exercise.pk)
    if known is not None and Participant.objects.filter(pk=known, exercise=exercise).exists():
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


# ---------------------------------------------------------------- what the participant sees


@dataclass
class Player:
    """This browser's participant in an exercise, with the team's session if in a team."""

    exercise: Exercise
    participant: Participant
    scenario: Scenario
    team: Team | None
    roles: list[str] = field(default_factory=list)

    @cached_property
    def session(self) -> Session | None:
        """Read when a page needs it: a command reads it under the team's lock instead."""
        return session_for(self.team) if self.team is not None else None

    @cached_property
    def last_message(self) -> int:
        if self.team is None:
            return 0
        last = Message.objects.filter(team=self.team).order_by("-pk").values_list("pk", flat=True)
        return last.first() or 0

    def version(self, part: str) -> str:
        """`who~what`: a different `who` reloads the page, a different `what` the part.

        `what` names what the part shows, so that a part whose content did not change
        answers 204 instead of being rendered again: every action nudges every page of
        the team, and most actions change only the scene and the feed.
        """
        team, session = self.team, self.session
        who = f"{team.pk if team else 0}-{'.'.join(self.roles)}"
        what = str(self.exercise.status)
        if part == "status":
            state = session.state if session else None
            what += f"-{state.clock if state else 0}-{state.phase if state else ''}"
            what += f"-{timebox.version(self.exercise)}"
        elif part == "docs":
            visible = (
                {d for r in self.roles for d in session.visible_documents(r)} if session else ()
            )
            what += "-" + ".".join(sorted(visible))
        elif part == "chat":
            what += f"-{self.last_message}"
        else:
            what += f"-{team.event_count if team else 0}"
        return f"{who}~{what}"


def _player(request: HttpRequest, exercise_id: int) -> Player:
    participant = access.participant_in(request, exercise_id)
    exercise = participant.exercise
    team = participant.team
    if team is not None:
        team.exercise = exercise  # already loaded: spare session_for a query
    scenario = load(exercise.scenario)
    roles = [r for r in participant.roles or [] if r in scenario.roles]
    return Player(exercise, participant, scenario, team, roles)


@dataclass
class ActionView:
    id: str
    role: str
    enabled: bool
    reason: str
    input: Input | None
    cost: int
    approval_role: str | None
    request_to: str | None
    key: str = field(default_factory=new_key)


@dataclass
class ApprovalView:
    pending: Pending
    role: str
    reasons: list[str]
    answer: str
    who: str
    key: str = field(default_factory=new_key)
    refuse_key: str = field(default_factory=new_key)


@dataclass
class FeedView:
    item: FeedItem
    label: str
    title: str
    body: str
    who: str
    highlight: bool


def _action_views(player: Player) -> list[ActionView]:
    assert player.session is not None
    chosen: dict[str, tuple[str, Any]] = {}
    for role in player.roles:
        for option in player.session.options(role):
            current = chosen.get(option.action)
            if current is None or (option.enabled and not current[1].enabled):
                chosen[option.action] = (role, option)
    views = []
    for action_id, (role, option) in chosen.items():
        action = player.scenario.actions[action_id]
        views.append(
            ActionView(
                id=action_id,
                role=role,
                enabled=option.enabled,
                reason=""
                if option.enabled
                else why_not(player.scenario, action_id, option.code, option.reason),
                input=action.input,
                cost=action.cost,
                approval_role=action.approval.role if action.approval else None,
                request_to=action.request.to if action.request else None,
            )
        )
    # Enabled first: on a phone what can be done now should not scroll away.
    return sorted(views, key=lambda v: not v.enabled)


def _answer_text(scenario: Scenario, action_id: str, answer: Any) -> str:
    if answer is None:
        return ""
    if isinstance(answer, list):
        return "; ".join(
            scenario_text(scenario, f"action.{action_id}.input.items.{item}.text") or str(item)
            for item in answer
        )
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    action = scenario.actions.get(action_id)
    unit = action.input.unit if action and action.input else ""
    return f"{answer} {unit}".strip()


def _approval_views(player: Player) -> list[ApprovalView]:
    assert player.session is not None
    views = []
    for role in player.roles:
        for pending in player.session.awaiting(role):
            action = player.scenario.actions[pending.action]
            count = len(action.approval.reasons) if action.approval else 0
            reasons = [
                scenario_text(player.scenario, f"action.{pending.action}.approval.reasons.{i}")
                for i in range(count)
            ]
            answer = _answer_text(player.scenario, pending.action, pending.answer)
            who = _who(player.scenario, pending.actor, pending.role)
            views.append(ApprovalView(pending, role, reasons, answer, who))
    return views


def _role_title(scenario: Scenario, role: str | None) -> str:
    return scenario_text(scenario, f"role.{role}.title") if role else ""


def _who(scenario: Scenario, actor: str | None, role: str | None) -> str:
    title = _role_title(scenario, role)
    if actor and title:
        return f"{actor} ({title})"
    return actor or title


def _feed_views(player: Player) -> list[FeedView]:
    assert player.session is not None
    sc = player.scenario
    seen: set[int] = set()
    items: list[FeedItem] = []
    for role in player.roles:
        for item in player.session.feed_for(role):
            if id(item) not in seen:
                seen.add(id(item))
                items.append(item)
    # feed_for keeps the log's order; a stable sort by case time merges the roles' feeds.
    order = {id(item): i for i, item in enumerate(player.session.state.feed)}
    items.sort(key=lambda item: order.get(id(item), 0))
    views = []
    for item in reversed(items):
        body = scenario_text(sc, item.key)
        who = _who(sc, item.actor, item.role)
        ref_text = ""
        label = ""
        title = ""
        if item.kind == "scene":
            label, title, body = _("Scene"), body, ""
        elif item.kind == "document":
            label, title, body = _("New document"), body, ""
        elif item.kind == "inject":
            label, title = _("News"), scenario_text(sc, f"inject.{item.ref}.title")
        elif item.kind == "feedback":
            label = _("Feedback")
            ref_text = scenario_text(sc, f"action.{item.ref}.text")
            title = ref_text
        elif item.kind == "approval":
            label = _("Approval requested")
            title = scenario_text(sc, f"action.{item.ref}.text")
        elif item.kind == "request":
            label = _("Request sent")
            action = sc.actions.get(item.ref)
            channel = action.request.channel if action and action.request else ""
            title = channel
        elif item.kind == "reply":
            label = _("Reply received")
            title = scenario_text(sc, f"action.{item.ref}.text")
        elif item.kind == "approved":
            label = _("Approved")
            title = scenario_text(sc, f"action.{item.ref}.text")
            body = ""
        elif item.kind == "refusal":
            label = _("Refused")
            title = scenario_text(sc, f"action.{item.ref}.text")
            body = ""
        elif item.kind == "ending":
            label, title = _("The case ends"), scenario_text(sc, f"ending.{item.ref}.title")
        views.append(
            FeedView(item, label, title, body, who, item.kind in ("feedback", "reply", "inject"))
        )
    return views


def _documents(player: Player) -> list[str]:
    assert player.session is not None
    found: list[str] = []
    for role in player.roles:
        for doc in player.session.visible_documents(role):
            if doc not in found:
                found.append(doc)
    return found


def _score(player: Player) -> dict[str, Any]:
    assert player.session is not None
    score = player.session.score()
    sc = player.scenario
    return {
        "total": score["total"],
        "rubric": [
            (scenario_text(sc, f"rubric.{d}.title") or d, points)
            for d, points in score["rubric"].items()
        ],
        "objectives": [
            (scenario_text(sc, f"objective.{o}.text"), value)
            for o, value in score["objectives"].items()
            if value is not None
        ],
    }


def _messages(team: Team, channel: str, limit: int = 60) -> list[Message]:
    found = (
        Message.objects.filter(team=team, channel=channel)
        .select_related("participant", "user")
        .order_by("-pk")[:limit]
    )
    return list(reversed(found))


def _message_rows(scenario: Scenario, found: list[Message]) -> list[dict[str, Any]]:
    rows = []
    for message in found:
        role = scenario.roles.get(message.role)
        if message.participant is not None:
            name = message.participant.name
            country = message.participant.country or (role.country if role else "") or ""
        else:
            name = _("Facilitator")
            country = ""
        rows.append(
            {
                "message": message,
                "name": name,
                "role": _role_title(scenario, message.role) if role else "",
                "country": country,
            }
        )
    return rows


def _context(player: Player, part: str | None, **extra: Any) -> dict[str, Any]:
    """What a part (or, with None, the whole page) needs; each part pays only for itself."""
    sc, session = player.scenario, player.session
    ctx: dict[str, Any] = {
        "player": player,
        "exercise": player.exercise,
        "participant": player.participant,
        "scenario": sc,
        "team": player.team,
        "session": session,
        "seq": player.team.event_count if player.team else 0,
        "role_titles": [_role_title(sc, r) for r in player.roles],
        "running": player.exercise.status == Exercise.Status.RUNNING,
        "parts": {p: player.version(p) for p in PARTS} if part is None else {},
    }
    if part is not None:
        ctx["parts"][part] = player.version(part)
    if part in (None, "status"):
        ctx["timebox"] = timebox.of(player.exercise)
    if session is None:
        return {**ctx, **extra}
    state = session.state
    if part in (None, "status"):
        ctx["clock"] = case_time(sc, state.clock)
        ctx["phase_key"] = f"phase.{state.phase}.title"
    if part in (None, "scene"):
        scene = sc.scenes.get(state.scene) if state.scene else None
        ctx["scene"] = scene
        ctx["scene_visible"] = scene is not None and (
            scene.roles is None or any(r in scene.roles for r in player.roles)
        )
        ctx["actions"] = _action_views(player) if player.roles else []
        ctx["approvals"] = _approval_views(player)
        ctx["can_wait"] = session.can_wait() and bool(player.roles)
        ctx["wait_key"] = new_key()
        ctx["pending"] = [
            p for p in state.pending if p.role in player.roles or p.to in player.roles
        ]
        if session.outcome is not None:
            ending = sc.endings[session.outcome]
            ctx["ending"] = ending
            ctx["outcome_label"] = {
                "success": _("Success"),
                "partial": _("Partial success"),
                "failure": _("Failure"),
            }[ending.outcome]
        if session.ended or player.exercise.status == Exercise.Status.ENDED:
            ctx["score"] = _score(player)
    if part in (None, "docs"):
        ctx["documents"] = [(d, sc.documents[d]) for d in _documents(player)]
    if part in (None, "feed"):
        ctx["feed"] = _feed_views(player)
    if part is None:
        assert player.team is not None
        for channel in Message.Channel:
            ctx[f"{channel.name.lower()}_messages"] = _message_rows(
                sc, _messages(player.team, channel)
            )
    elif part == "chat":
        assert player.team is not None
        channel = extra.get("channel", Message.Channel.TEAM)
        ctx["rows"] = _message_rows(sc, _messages(player.team, channel))
    if part is None:
        ctx["briefings"] = [(r, f"role.{r}.briefing") for r in player.roles]
        ctx["team_form"] = MessageForm(initial={"key": new_key()})
        ctx["cross_form"] = MessageForm(initial={"key": new_key()})
    return {**ctx, **extra}


@require_GET
def play(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = _player(request, exercise_id)
    code = access.personal_code_in(request, exercise_id)
    return render(request, "exercises/play.html", _context(player, None, personal_code=code))


@require_GET
def play_part(request: HtmxHttpRequest, exercise_id: int, part: str) -> HttpResponse:
    channel = request.GET.get("channel", "")
    if part not in PARTS or (part == "chat" and channel not in Message.Channel.values):
        raise Http404
    player = _player(request, exercise_id)
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
    player = _player(request, exercise_id)
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
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def _render_part(
    request: HttpRequest, player: Player, part: str, channel: str, *, oob: bool = False
) -> str:
    extra = {"channel": channel} if part == "chat" else {}
    context = {**_context(player, part, **extra), "oob": oob}
    return render_to_string(f"exercises/play/_{part}.html", context, request)


# ---------------------------------------------------------------- documents


def _visible_document(player: Player, doc_id: str) -> str:
    if player.session is None or doc_id not in _documents(player):
        raise Http404
    return doc_id


@require_GET
def document(request: HtmxHttpRequest, exercise_id: int, doc_id: str) -> HttpResponse:
    player = _player(request, exercise_id)
    _visible_document(player, doc_id)
    doc = player.scenario.documents[doc_id]
    context = _context(player, "docs")
    context.update(
        {
            "doc": doc,
            "table": _table(player.scenario, doc_id),
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
    player = _player(request, exercise_id)
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
    player = _player(request, exercise_id)
    if player.team is None:
        raise Http404
    return player


def _forbidden() -> HttpResponse:
    return HttpResponseForbidden(_("You do not hold this role."))


def _parse_answer(action_input: Input | None, post: Any) -> Any:
    """The answer from the form's fields, in the engine's form (it checks the rest)."""
    if action_input is None:
        return None
    kind = action_input.type
    if kind == "multi":
        return list(post.getlist("item"))
    if kind == "order":
        positions: dict[str, int] = {}
        for item in action_input.items:
            raw = post.get(f"order-{item.id}", "")
            try:
                positions[item.id] = int(raw)
            except ValueError:
                raise ValueError(_("Give every item a position.")) from None
        if len(set(positions.values())) != len(positions):
            raise ValueError(_("Give each item a different position."))
        return sorted(positions, key=positions.__getitem__)
    if kind == "numeric":
        try:
            number = float(str(post.get("value", "")).strip())
        except ValueError:
            raise ValueError(_("Enter a number.")) from None
        return int(number) if number.is_integer() else number
    answer = str(post.get("text", "")).strip()
    if not answer:
        raise ValueError(_("Write your answer first."))
    return answer


def _after_command(
    request: HtmxHttpRequest, player: Player, error: str = "", *, refused: bool = False
) -> HttpResponse:
    """HTMX: the refreshed scene part (and a nudge to the other parts); plain: redirect."""
    if request.htmx:
        player = _player(request, player.exercise.pk)  # the state after the command
        response = render(
            request, "exercises/play/_scene.html", _context(player, "scene", error=error)
        )
        response["HX-Trigger-After-Settle"] = "caseroom:refresh"
        return response
    if error:
        context = _context(_player(request, player.exercise.pk), None, error=error)
        return render(request, "exercises/play.html", context, status=409)
    return HttpResponseRedirect(reverse("play", args=[player.exercise.pk]) + "#scene")


def _run(request: HtmxHttpRequest, player: Player, event: Event) -> HttpResponse:
    assert player.team is not None
    try:
        actions.command(player.team, event, participant=player.participant)
    except IllegalAction as error:
        return _after_command(request, player, refusal(error, player.scenario, event.ref))
    except actions.ExerciseClosed:
        return _after_command(request, player, _closed_message(player.exercise))
    return _after_command(request, player)


def _closed_message(exercise: Exercise) -> str:
    exercise.refresh_from_db(fields=["status"])
    return {
        Exercise.Status.DRAFT: _("The exercise has not started yet."),
        Exercise.Status.PAUSED: _("The exercise is paused. Wait for the facilitator."),
        Exercise.Status.ENDED: _("The exercise has ended."),
    }.get(Exercise.Status(exercise.status), _("The exercise is not running."))


def _key(request: HttpRequest) -> str | None:
    key = str(request.POST.get("key", "")).strip()[:80]
    return key or None


@require_POST
def act(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    role = str(request.POST.get("role", ""))
    player = _command_player(request, exercise_id)
    if role not in player.roles:
        return _forbidden()
    action_id = str(request.POST.get("action", ""))
    action = player.scenario.actions.get(action_id)
    if action is None:
        return _after_command(request, player, _("That action does not exist."))
    try:
        answer = _parse_answer(action.input, request.POST)
    except ValueError as error:
        return _after_command(request, player, str(error))
    event = Event(
        "act",
        role=role,
        actor=player.participant.name,
        ref=action_id,
        input=answer,
        key=_key(request),
    )
    return _run(request, player, event)


@require_POST
def approve(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    role = str(request.POST.get("role", ""))
    player = _command_player(request, exercise_id)
    if role not in player.roles:
        return _forbidden()
    assert player.team is not None
    ref = str(request.POST.get("action", ""))
    try:
        actions.check_approver(player.team, ref, player.participant)
    except actions.SamePerson as error:
        return _after_command(request, player, str(error))
    event = Event(
        "approve",
        role=role,
        actor=player.participant.name,
        ref=ref,
        key=_key(request),
    )
    return _run(request, player, event)


@require_POST
def refuse(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    form = RefuseForm(request.POST)
    player = _command_player(request, exercise_id)
    if str(request.POST.get("role", "")) not in player.roles:
        return _forbidden()
    if not form.is_valid():
        return _after_command(request, player, " ".join(str(e) for e in form.non_field_errors()))
    data = form.cleaned_data
    event = Event(
        "refuse",
        role=data["role"],
        actor=player.participant.name,
        ref=data["action"],
        reason=data["reason"],
        key=data["key"] or None,
    )
    return _run(request, player, event)


@require_POST
def wait(request: HtmxHttpRequest, exercise_id: int) -> HttpResponse:
    player = _command_player(request, exercise_id)
    if not player.roles:
        return _forbidden()
    event = Event("wait", role=player.roles[0], actor=player.participant.name, key=_key(request))
    return _run(request, player, event)


@require_POST
def message(request: HtmxHttpRequest, exercise_id: int, channel: str) -> HttpResponse:
    if channel not in (Message.Channel.TEAM, Message.Channel.CROSS_BORDER):
        raise Http404
    player = _command_player(request, exercise_id)
    assert player.team is not None
    form = MessageForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"] or (player.roles[0] if player.roles else "")
        if role and role not in player.roles:
            return _forbidden()
        try:
            actions.send_message(
                player.team,
                form.cleaned_data["body"],
                channel=channel,
                participant=player.participant,
                role=role,
                key=form.cleaned_data["key"] or None,
            )
        except (ValueError, actions.ExerciseClosed) as error:
            form.add_error("body", str(error))
        else:
            if not request.htmx:
                return HttpResponseRedirect(
                    reverse("play", args=[exercise_id]) + f"#chat-{channel}"
                )
            form = MessageForm(initial={"key": new_key()})
    elif not request.htmx:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(reverse("play", args=[exercise_id]) + f"#chat-{channel}")
    context = {"form": form, "channel": channel, "exercise": player.exercise, "player": player}
    response = render(request, "exercises/play/_message_form.html", context)
    if not form.errors:
        response["HX-Trigger-After-Settle"] = "caseroom:refresh"
    return response
