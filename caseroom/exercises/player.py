"""What a participant sees: this browser's `Player` and the frozen views a page lays out.

Plain functions that read the team's session and resolve scenario texts; the views in
`views.py` only handle the request. The console reads the chat rows from here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from caseroom.engine import Pending, Scenario, Session
from caseroom.engine.documents import document_date
from caseroom.engine.model import Action, Input, InputItem
from caseroom.engine.shuffle import shown_items
from caseroom.lib.forms import new_key
from caseroom.scenarios.registry import load
from caseroom.scenarios.texts import case_time, scenario_text

from . import access, timebox
from .answers import answer_text
from .feed import FEED_KINDS, FeedView, feed_views, person_label, role_title
from .forms import MessageForm
from .incoming import incoming_views
from .models import Exercise, Message, Participant, Team
from .refusals import why_not
from .sessions import session_for

__all__ = [
    "FEED_KINDS",
    "PARTS",
    "ActionView",
    "ApprovalView",
    "FeedView",
    "Player",
    "WrittenAnswer",
    "documents_of",
    "message_rows",
    "messages_of",
    "person_label",
    "play_context",
    "player_for",
    "role_title",
    "shuffle_seed",
    "write_as",
]

PARTS = ("status", "scene", "docs", "feed", "chat")


@dataclass(frozen=True)
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


def shuffle_seed(team: Team | None) -> str | None:
    """The seed of the order in which this team sees answer items (`engine.shuffle`): the
    team's own, so its page, its replay and its debrief show the same order."""
    return f"team-{team.pk}" if team is not None else None


def player_for(request: HttpRequest, exercise_id: int) -> Player:
    participant = access.participant_in(request, exercise_id)
    exercise = participant.exercise
    team = participant.team
    if team is not None:
        team.exercise = exercise  # already loaded: spare session_for a query
    scenario = load(exercise.scenario)
    roles = [r for r in participant.roles or [] if r in scenario.roles]
    return Player(exercise, participant, scenario, team, roles)


@dataclass(frozen=True)
class ActionView:
    id: str
    role: str
    enabled: bool
    reason: str
    input: Input | None
    cost: int
    approval_role: str | None
    request_to: str | None
    items: tuple[InputItem, ...] = ()  # the input's items in the order this team sees them
    key: str = field(default_factory=new_key)
    team_wide: bool = False  # moves the whole team on: the page asks to confirm
    refused: str = ""  # "<role> refused your request: <reason>", shown beside the action
    error: str = ""  # why this form's last submission was refused, shown beside it


@dataclass(frozen=True)
class ApprovalView:
    pending: Pending
    role: str
    reasons: list[str]
    answer: str
    who: str
    key: str = field(default_factory=new_key)
    refuse_key: str = field(default_factory=new_key)
    team_wide: bool = False
    error: str = ""  # beside the Approve button
    refuse_error: str = ""  # beside the Refuse form


@dataclass(frozen=True)
class WrittenAnswer:
    """A free-text answer the facilitator grades: waiting, or graded with the points."""

    step: int
    action: str
    who: str
    graded: bool
    points: list[tuple[str, int, int]]  # rubric title, points given, most possible
    comment: str


def moves_team(action: Action, *, approved: bool = False) -> bool:
    """Whether doing (`approved`: approving) the action can move the whole team to another
    scene or an ending; asking for an approval moves nobody yet."""
    if action.approval is not None and not approved:
        return False
    reaction = action.approval.approve if action.approval is not None and approved else None
    return bool(
        action.goto
        or action.end
        or any(o.goto or o.end for o in action.outcomes)
        or (reaction is not None and (reaction.goto or reaction.end))
    )


def _refusals(player: Player) -> dict[str, str]:
    """Per action, the refusal of this person's request if it is the latest word on it."""
    assert player.session is not None
    sc, latest = player.scenario, dict[str, str]()
    asked: dict[str, str | None] = {}
    for item in player.session.state.feed:
        if item.kind == "approval":
            asked[item.ref] = item.role
            latest.pop(item.ref, None)
        elif item.kind == "approved":
            latest.pop(item.ref, None)
        elif item.kind == "refusal" and asked.get(item.ref) in player.roles:
            latest[item.ref] = _("%(who)s refused your request: %(reason)s") % {
                "who": person_label(sc, item.actor, item.role),
                "reason": item.reason or "",
            }
    return latest


def _action_views(player: Player) -> list[ActionView]:
    assert player.session is not None
    refused = _refusals(player)
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
                items=shown_items(action, shuffle_seed(player.team)),
                cost=action.cost,
                approval_role=action.approval.role if action.approval else None,
                request_to=action.request.to if action.request else None,
                # A goto on a track moves that track, not the team (`engine.session.tracks`).
                team_wide=moves_team(action) and role not in player.session.state.tracks,
                refused=refused.get(action_id, ""),
            )
        )
    # Enabled first: on a phone what can be done now should not scroll away.
    return sorted(views, key=lambda v: not v.enabled)


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
            answer = answer_text(player.scenario, pending.action, pending.answer)
            who = person_label(player.scenario, pending.actor, pending.role)
            team_wide = moves_team(action, approved=True)
            views.append(ApprovalView(pending, role, reasons, answer, who, team_wide=team_wide))
    return views


def _written_answers(player: Player) -> list[WrittenAnswer]:
    """The team's free-text answers and their grades: a grade is an event the team would
    otherwise never see (it changes no scene and adds nothing to the feed)."""
    assert player.session is not None
    sc, steps = player.scenario, player.session.state.steps
    grades = {int(s.score): s for s in steps if s.kind == "grade" and s.score is not None}
    found = []
    for index, step in enumerate(steps):
        action = sc.actions.get(step.ref)
        if step.kind != "act" or action is None or action.input is None:
            continue
        if action.input.type != "text":
            continue
        grade = grades.get(index)
        most = action.input.max_points
        points = (
            [
                (scenario_text(sc, f"rubric.{dim}.title") or dim, grade.points.get(dim, 0), top)
                for dim, top in most.items()
            ]
            if grade is not None
            else []
        )
        who = person_label(sc, step.actor, step.role)
        comment = (grade.reason or "") if grade is not None else ""
        found.append(WrittenAnswer(index, step.ref, who, grade is not None, points, comment))
    return found


def documents_of(player: Player) -> list[str]:
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


def messages_of(team: Team, channel: str, limit: int = 60) -> list[Message]:
    found = (
        Message.objects.filter(team=team, channel=channel)
        .select_related("participant", "user")
        .order_by("-pk")[:limit]
    )
    return list(reversed(found))


def message_rows(scenario: Scenario, found: list[Message]) -> list[dict[str, Any]]:
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
                "role": role_title(scenario, message.role) if role else "",
                "country": country,
            }
        )
    return rows


def play_context(player: Player, part: str | None, **extra: Any) -> dict[str, Any]:
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
        "role_titles": [role_title(sc, r) for r in player.roles],
        "running": player.exercise.status == Exercise.Status.RUNNING,
        "parts": {p: player.version(p) for p in PARTS} if part is None else {},
    }
    if part is not None:
        ctx["parts"][part] = player.version(part)
    ctx["closed"] = _closed_note(player.exercise)
    if part in (None, "status"):
        # After the end nothing is timed any more: the box would count on for nothing.
        ended = player.exercise.status == Exercise.Status.ENDED
        box = None if ended else timebox.of(player.exercise)
        ctx["timebox"] = box
        ctx["timebox_label"] = _phase_label(sc, box.label) if box and box.label else ""
    if session is None:
        return {**ctx, **extra}
    state = session.state
    ctx["text_state"] = state  # what a scene's text, a briefing, a narrative read now
    if part in (None, "status"):
        ctx["clock"] = case_time(sc, state.clock)
        ctx["phase_key"] = f"phase.{state.phase}.title"
    if part in (None, "scene"):
        shown = _shown_scene(session, player.roles)
        scene = sc.scenes.get(shown) if shown else None
        ctx["scene"] = scene
        ctx["elsewhere"] = whereabouts(session, sc, shown, player.roles)
        ctx["scene_visible"] = scene is not None and (
            scene.roles is None or any(r in scene.roles for r in player.roles)
        )
        ctx["actions"] = _action_views(player) if player.roles else []
        ctx["approvals"] = _approval_views(player)
        ctx["incoming"] = incoming_views(session, sc, player.roles)  # from the linked team
        ctx["can_wait"] = session.can_wait() and bool(player.roles)
        ctx["wait_key"] = new_key()
        ctx["pending"] = [
            p
            for p in state.pending
            if (p.role in player.roles or p.to in player.roles) and p.kind != "incoming"
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
        ctx["answers"] = _written_answers(player)
        ctx["error_placed"] = _place_error(ctx, extra.get("error", ""), extra.get("error_for", ""))
    if part in (None, "docs"):
        unlocked = session.state.unlocked
        ctx["documents"] = [
            (d, sc.documents[d], document_date(sc, d, unlocked.get(d)))
            for d in documents_of(player)
        ]
    if part in (None, "feed"):
        ctx["feed"] = feed_views(session, sc, player.roles)
    recent: list[Message] = []
    if part is None:
        assert player.team is not None
        for channel in Message.Channel:
            found = messages_of(player.team, channel)
            recent += found
            ctx[f"{channel.name.lower()}_messages"] = message_rows(sc, found)
    elif part == "chat":
        assert player.team is not None
        channel = extra.get("channel", Message.Channel.TEAM)
        ctx["rows"] = message_rows(sc, messages_of(player.team, channel))
    if part is None:
        ctx["briefings"] = [(r, f"role.{r}.briefing") for r in player.roles]
        role = write_as(player, recent)
        ctx["team_form"] = MessageForm(initial={"key": new_key(), "role": role})
        ctx["cross_form"] = MessageForm(initial={"key": new_key(), "role": role})
    return {**ctx, **extra}


def _shown_scene(session: Session, roles: list[str]) -> str | None:
    """The scene a person sees: their roles' (on a track of their own, `split`), else the
    team's, also when their roles are in different places (the others are listed)."""
    found = {session.scene_for(r) for r in roles}
    return found.pop() if len(found) == 1 else session.state.scene


def whereabouts(
    session: Session, sc: Scenario, shown: str | None, roles: list[str]
) -> list[tuple[str, str]]:
    """Where the roles not in the scene shown are, as (who, scene id): "Protection worker:
    At the shelter". Empty without tracks: the whole team is in one scene."""
    if not session.state.tracks:
        return []
    found = []
    for scene, here in session.locations():
        if scene != shown and here:
            who = ", ".join(
                role_title(sc, r) + (" " + str(_("(you)")) if r in roles else "") for r in here
            )
            found.append((who, scene))
    return found


def _closed_note(exercise: Exercise) -> str:
    """What a participant cannot do while the exercise is not running, said once."""
    return {
        Exercise.Status.DRAFT: _("The exercise has not started yet: actions open when it does."),
        Exercise.Status.PAUSED: _(
            "The exercise is paused: actions are closed until the facilitator resumes it."
        ),
        Exercise.Status.ENDED: _("The exercise has ended: actions and chat are closed."),
    }.get(Exercise.Status(exercise.status), "")


def _phase_label(sc: Scenario, label: str) -> str:
    """The facilitator's time-box label, in the reader's language when it is a phase's
    title (the console offers them); their own words otherwise."""
    for phase in sc.doc.phases:
        if phase.title == label:
            return scenario_text(sc, f"phase.{phase.id}.title") or label
    return label


def _place_error(ctx: dict[str, Any], error: str, target: str) -> bool:
    """Put a refused command's error beside the form that sent it (`target`:
    `action:<id>`, `approve:<id>`, `refuse:<id>` or `wait`); False if that form is gone."""
    if not error or not target:
        return False
    kind, _sep, ref = target.partition(":")
    if kind == "action":
        for i, view in enumerate(ctx["actions"]):
            if view.id == ref and view.enabled:
                ctx["actions"][i] = replace(view, error=error)
                return True
    elif kind in ("approve", "refuse"):
        for i, approval in enumerate(ctx["approvals"]):
            if approval.pending.action == ref:
                field_name = "error" if kind == "approve" else "refuse_error"
                ctx["approvals"][i] = replace(approval, **{field_name: error})
                return True
    elif kind == "wait" and ctx["can_wait"]:
        ctx["wait_error"] = error
        return True
    return False


def write_as(player: Player, recent: list[Message]) -> str:
    """The role a message goes out as unless the person picks another: the one they last
    wrote as (among the `recent` messages the page shows), else their only role or their
    own country's first; "" (they must choose) rather than silently another country's."""
    roles = player.roles
    if len(roles) <= 1:
        return roles[0] if roles else ""
    mine = [m for m in recent if m.participant_id == player.participant.pk and m.role in roles]
    if mine:
        return max(mine, key=lambda m: m.pk).role
    countries = {r: (player.scenario.roles[r].country or "").upper() for r in roles}
    if len(set(countries.values())) == 1:
        return roles[0]
    own = (player.participant.country or "").strip().upper()
    return next((r for r in roles if own and countries[r] == own), "")
