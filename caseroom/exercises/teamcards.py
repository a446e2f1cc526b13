"""The facilitator's console: one card per team (where it is, what waits, what to grade,
which injects are left) and the "Inject to all" menu, read from the teams' sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from caseroom.engine import Scenario, Session
from caseroom.lib.forms import new_key
from caseroom.scenarios.texts import case_time, scenario_text

from .models import Exercise, Participant, Team
from .player import person_label, role_title, whereabouts
from .sessions import sessions_for

STUCK_AFTER = dt.timedelta(minutes=10)

__all__ = ["GradeView", "TeamCard", "cards_of", "inject_menu"]


@dataclass
class GradeView:
    step: int
    action: str
    who: str
    answer: str
    dims: list[tuple[str, str, int]]
    key: str = field(default_factory=new_key)


@dataclass
class TeamCard:
    team: Team
    session: Session
    members: list[Participant]
    phase: str
    clock: dt.datetime
    last: list[str]
    pending: list[str]
    score: dict[str, Any]
    stuck: bool
    ending: str
    outcome: str  # of the ending ("success", "partial", "failure"; "" without one)
    scene: str  # the scene the team is at (or ended at): "stopped at" once the exercise ends
    injects: list[tuple[str, str]]
    gradable: list[GradeView]
    missing_roles: list[str]
    tracks: list[str] = field(default_factory=list)  # "Protection worker: At the shelter"


def _last_actions(scenario: Scenario, session: Session) -> list[str]:
    lines = []
    for event in reversed(session.events):
        if event.type not in ("act", "approve", "refuse", "wait"):
            continue
        what = {
            "act": scenario_text(scenario, f"action.{event.ref}.text"),
            "approve": _("approved: %(a)s")
            % {"a": scenario_text(scenario, f"action.{event.ref}.text")},
            "refuse": _("refused: %(a)s")
            % {"a": scenario_text(scenario, f"action.{event.ref}.text")},
            "wait": _("waited for answers"),
        }[event.type]
        who = person_label(scenario, event.actor, event.role)
        lines.append(f"{who}: {what}" if who else what)
        if len(lines) == 3:
            break
    return lines


def _pending(scenario: Scenario, session: Session) -> list[str]:
    lines = []
    for pending in session.state.pending:
        action = scenario_text(scenario, f"action.{pending.action}.text")
        to = role_title(scenario, pending.to)
        if pending.kind in ("approval", "decision"):  # decision: an authority nobody plays
            lines.append(_("Approval by %(to)s: %(a)s") % {"to": to, "a": action})
        elif pending.kind == "incoming":  # the linked team's request, to answer here
            lines.append(
                _("To answer, for the other team, by %(to)s: %(a)s") % {"to": to, "a": action}
            )
        elif pending.due is None:  # sent to the linked team, not answered yet
            lines.append(_("Request to %(to)s (the other team): %(a)s") % {"to": to, "a": action})
        else:
            lines.append(_("Request to %(to)s: %(a)s") % {"to": to, "a": action})
    return lines


def _gradable(scenario: Scenario, session: Session) -> list[GradeView]:
    steps = session.state.steps
    graded = {int(s.score) for s in steps if s.kind == "grade" and s.score is not None}
    views = []
    for index, step in enumerate(steps):
        action = scenario.actions.get(step.ref)
        if step.kind != "act" or action is None or action.input is None:
            continue
        if action.input.type != "text" or index in graded:
            continue
        dims = [
            (dim, scenario_text(scenario, f"rubric.{dim}.title") or dim, limit)
            for dim, limit in action.input.max_points.items()
        ]
        views.append(
            GradeView(
                index,
                scenario_text(scenario, f"action.{step.ref}.text"),
                person_label(scenario, step.actor, step.role),
                str(step.answer or ""),
                dims,
            )
        )
    return views


def cards_of(exercise: Exercise, scenario: Scenario) -> list[TeamCard]:
    teams = list(
        exercise.teams.select_related("exercise__scenario")
        .annotate(last_event=Max("events__created_at"))
        .prefetch_related(Prefetch("members", queryset=Participant.objects.order_by("name")))
        .order_by("name")
    )
    now = timezone.now()
    running = exercise.status == Exercise.Status.RUNNING
    cards = []
    sessions = sessions_for(teams)  # the logs of teams not cached here in one query
    for team in teams:
        session = sessions[team.pk]
        state = session.state
        last_event: dt.datetime = getattr(team, "last_event", None) or team.created_at
        stuck = (
            running
            and not session.ended
            and (now - last_event > STUCK_AFTER or not session.moves())
        )
        members = list(team.members.all())
        held = {r for m in members for r in m.roles or []}
        cards.append(
            TeamCard(
                team=team,
                session=session,
                members=members,
                phase=scenario_text(scenario, f"phase.{state.phase}.title"),
                clock=case_time(scenario, state.clock),
                last=_last_actions(scenario, session),
                pending=_pending(scenario, session),
                score={
                    **session.score(),
                    "dims": [
                        (scenario_text(scenario, f"rubric.{d}.title") or d, p)
                        for d, p in session.score()["rubric"].items()
                    ],
                },
                stuck=stuck,
                ending=scenario_text(scenario, f"ending.{state.ending}.title")
                if state.ending
                else "",
                outcome=_outcome(scenario, state.ending),
                scene=scenario_text(scenario, f"scene.{state.scene}.title") if state.scene else "",
                injects=_team_injects(scenario, state.fired, state.scheduled),
                gradable=_gradable(scenario, session),
                missing_roles=[role_title(scenario, r) for r in scenario.roles if r not in held],
                tracks=_tracks(scenario, session),
            )
        )
    return cards


def _tracks(scenario: Scenario, session: Session) -> list[str]:
    """Roles on a track of their own (format 2 `split`), each with the scene it is in."""
    return [
        f"{who}: {scenario_text(scenario, f'scene.{scene}.title')}"
        for who, scene in whereabouts(session, scenario, session.state.scene, [])
    ]


def _team_injects(
    scenario: Scenario, fired: Iterable[str], scheduled: Mapping[str, int]
) -> list[tuple[str, str]]:
    """A team's "Inject" choices: those not fired yet; one a delay has scheduled says when it
    will fire by itself (the team does not know), so the facilitator can fire it earlier."""
    done = set(fired)
    menu = []
    for inject in scenario.injects:
        if inject in done:
            continue
        title = scenario_text(scenario, f"inject.{inject}.title")
        if inject in scheduled:
            due = formats.date_format(
                case_time(scenario, scheduled[inject]), "SHORT_DATETIME_FORMAT"
            )
            title = _("%(inject)s (scheduled: %(due)s)") % {"inject": title, "due": due}
        menu.append((inject, title))
    return menu


def _outcome(scenario: Scenario, ending: str | None) -> str:
    found = scenario.endings.get(ending) if ending is not None else None
    return found.outcome if found is not None else ""


def inject_menu(scenario: Scenario, cards: list[TeamCard]) -> list[tuple[str, str]]:
    """The "Inject to all" choices: none already fired to every team (firing it again would
    only be refused by each), and those fired to some say to which."""
    menu = []
    for inject in scenario.injects:
        title = scenario_text(scenario, f"inject.{inject}.title")
        fired = [c.team.name for c in cards if inject in c.session.state.fired]
        if cards and len(fired) == len(cards):
            continue
        if fired:
            title = _("%(inject)s (already fired to %(teams)s)") % {
                "inject": title,
                "teams": ", ".join(fired),
            }
        menu.append((inject, title))
    return menu
