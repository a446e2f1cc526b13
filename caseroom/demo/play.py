"""The finished demo exercise: five teams that played the Vardar corridor case, and their debrief.

A newcomer who runs `make run` should see a full debrief at once — teams that took
different roads through the case, misconceptions shared by several teams, the
facilitator's annotations and notes. So the teams of `script.py` really play: this engine
sends every move through `actions.command`, the only writer of a team's log, acting as the
participant who holds the role (approvals by the approving role, grades and endings by the
facilitator). The scripts are fixed, so every run produces the same trajectories; only the
wall-clock times are spread afterwards over a plausible morning (seeded, so they are fixed too).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from caseroom.debrief.models import Annotation, ExerciseDebrief, debrief_of
from caseroom.demo.moves import Move, Note, approve, do, grade, refuse, wait
from caseroom.demo.script import DEBRIEF_NOTES, DEBRIEF_RECOMMENDATIONS, PROSECUTOR, TEAMS
from caseroom.engine import Event, IllegalAction, Scenario, Session
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Participant, Team, TeamEvent
from caseroom.exercises.sessions import forget, session_for
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import load

__all__ = [
    "FINISHED_TITLE",
    "SCENARIO_SLUG",
    "TEAMS",
    "DemoPlayError",
    "ensure_finished_exercise",
    "finished_exercise",
]

FINISHED_TITLE = "Demo: finished joint exercise (Skopje–Belgrade, debrief)"
SCENARIO_SLUG = "vardar-corridor"
LOCATION = "Regional law-enforcement training centre, Vranje"
WEEKS_AGO = 3
SESSION_START = dt.time(9, 30)


class DemoPlayError(Exception):
    """A script no longer fits the scenario (it was edited): nothing of the exercise is kept."""


def _expert_moves(
    scenario: Scenario, overrides: Mapping[str, Any], skipped: frozenset[str]
) -> list[Move]:
    """The scenario's expert path as a script, with the team's answers and omissions."""
    moves: list[Move] = []
    for step in scenario.doc.expert_path:
        if step.do in skipped:
            continue
        if step.wait:
            moves.append(wait(step.role or PROSECUTOR))
        elif step.approve:
            approval = scenario.actions[step.approve].approval
            assert approval is not None
            moves.append(approve(step.role or approval.role, step.approve))
        elif step.refuse:
            approval = scenario.actions[step.refuse].approval
            assert approval is not None
            moves.append(refuse(step.role or approval.role, step.refuse, step.rationale))
        elif step.do:
            role = step.role or next(iter(scenario.actions[step.do].roles or scenario.roles))
            moves.append(do(role, step.do, overrides.get(step.do, step.answer)))
        if step.do == "draft-freezing-grounds":
            moves.append(
                grade(
                    step.do,
                    {"legal": 3, "operational": 2},
                    "Each asset linked to the offence, the estimate explained, the risk stated.",
                )
            )
    return moves


def _step_index(session: Session, kind: str, ref: str, *, last: bool = False) -> int:
    """The position of the team's first (or last) step of `kind` on `ref` in its trajectory."""
    found = [i for i, s in enumerate(session.state.steps) if s.kind == kind and s.ref == ref]
    if not found:
        raise DemoPlayError(f"no {kind} step on {ref}")
    return found[-1] if last else found[0]


def _play(team: Team, moves: Iterable[Move], cast: Mapping[str, Participant], user: User) -> None:
    """Send the script through the writer, as the members who hold the roles."""
    for number, move in enumerate(moves):
        try:
            _send(team, move, cast, user)
        except IllegalAction as error:
            raise DemoPlayError(
                f"{team.name}, move {number + 1} ({move.type} {move.ref}): {error.message}"
            ) from error


def _send(team: Team, move: Move, cast: Mapping[str, Participant], user: User) -> None:
    if move.type == "grade":
        assert move.ref is not None
        step = _step_index(session_for(team), "act", move.ref, last=True)
        event = Event(
            "grade", step=step, points=move.points, reason=move.reason, actor=user.username
        )
        actions.command(team, event, user=user)
    elif move.type == "end":
        event = Event("end", ref=move.ref, actor=user.username)
        actions.command(team, event, user=user)
    else:
        assert move.role is not None
        member = cast[move.role]
        event = Event(
            move.type,
            role=move.role,
            ref=move.ref,
            input=move.answer,
            reason=move.reason,
            actor=member.name,
        )
        actions.command(team, event, participant=member)


def _minutes_needed(move: Move, rng: random.Random) -> float:
    """How long a move plausibly took at the table: reading, arguing, typing."""
    if move.type in ("approve", "refuse", "wait"):
        return rng.uniform(1.0, 3.0)
    if move.type in ("grade", "end"):
        return rng.uniform(2.0, 5.0)
    if isinstance(move.answer, str):
        return rng.uniform(10.0, 15.0)  # free text
    if move.answer is not None:
        return rng.uniform(4.0, 8.0)
    return rng.uniform(2.0, 6.0)


def _timeline(
    moves: Sequence[Move], start: dt.datetime, finish: dt.datetime, seed: int
) -> list[dt.datetime]:
    """Increasing wall-clock times for the moves, from `start` to exactly `finish`."""
    rng = random.Random(seed)
    gaps = [_minutes_needed(move, rng) for move in moves]
    scale = (finish - start).total_seconds() / sum(gaps)
    times: list[dt.datetime] = []
    elapsed = 0.0
    for gap in gaps:
        elapsed += gap * scale
        times.append(start + dt.timedelta(seconds=round(elapsed)))
    return times


def _restamp(team: Team, times: Sequence[dt.datetime]) -> None:
    """Give the stored events the morning's times, in seq order, in the log and the rows."""
    events = list(TeamEvent.objects.filter(team=team).order_by("seq"))
    assert len(events) == len(times), (team.name, len(events), len(times))
    for event, when in zip(events, times, strict=True):
        event.created_at = when
        event.payload = {**event.payload, "time": when.astimezone(dt.UTC).isoformat("T", "seconds")}
    TeamEvent.objects.bulk_update(events, ["created_at", "payload"])
    forget(team.pk)  # the cached session holds the play-time stamps


def _session_day(today: dt.date) -> dt.date:
    """A weekday a few weeks back: courses do not run at weekends."""
    day = today - dt.timedelta(weeks=WEEKS_AGO)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _annotate(
    team: Team, session: Session, notes: Iterable[Note], user: User, when: dt.datetime
) -> None:
    for number, note in enumerate(notes):
        annotation = Annotation.objects.create(
            team=team,
            step=_step_index(session, note.step_kind, note.ref),
            kind=note.kind,
            misconception=note.misconception,
            body=note.body,
            author=user,
        )
        stamp = when + dt.timedelta(minutes=3 * number)
        Annotation.objects.filter(pk=annotation.pk).update(created_at=stamp, updated_at=stamp)


def finished_exercise() -> Exercise | None:
    return Exercise.objects.filter(title=FINISHED_TITLE).first()


def ensure_finished_exercise(
    version: ScenarioVersion, facilitator: User, *, today: dt.date | None = None
) -> tuple[Exercise, bool]:
    """The finished demo exercise, built and played once; (exercise, created)."""
    existing = finished_exercise()
    if existing is not None:
        return existing, False
    scenario = load(version)
    day = _session_day(today or timezone.localdate())
    start = _at(day, SESSION_START)
    with transaction.atomic():
        exercise = actions.create_exercise(
            facilitator,
            title=FINISHED_TITLE,
            scenario=version,
            date=day,
            location=LOCATION,
            status=Exercise.Status.RUNNING,
        )
        for number, script in enumerate(TEAMS):
            team = Team.objects.create(exercise=exercise, name=script.name)
            cast: dict[str, Participant] = {}
            for member in script.members:
                participant = actions.join(
                    exercise,
                    name=member.name,
                    agency=member.agency,
                    country=member.country,
                    roles=list(member.roles),
                    team=team,
                )
                cast.update(dict.fromkeys(member.roles, participant))
            moves = script.moves or tuple(_expert_moves(scenario, script.overrides, script.skipped))
            _play(team, moves, cast, facilitator)
            _annotate(
                team,
                session_for(team),
                script.notes,
                facilitator,
                _at(day, dt.time(13, 30)) + dt.timedelta(minutes=10 * number),
            )
            # Teams settle in at slightly different times after the briefing.
            first = start + dt.timedelta(minutes=2 + 2 * number)
            _restamp(team, _timeline(moves, first, _at(day, script.finished), seed=number))
            Team.objects.filter(pk=team.pk).update(created_at=start - dt.timedelta(minutes=40))
            Participant.objects.filter(team=team).update(
                joined_at=start - dt.timedelta(minutes=25 - number)
            )
        actions.set_status(exercise, Exercise.Status.ENDED)
        Exercise.objects.filter(pk=exercise.pk).update(created_at=start - dt.timedelta(days=10))
        debrief = debrief_of(exercise)
        debrief.notes = DEBRIEF_NOTES
        debrief.recommendations = DEBRIEF_RECOMMENDATIONS
        debrief.released_at = _at(day, dt.time(15, 0))
        debrief.save()
        # Written that afternoon, not today: the page shows when the notes were last changed.
        ExerciseDebrief.objects.filter(pk=debrief.pk).update(updated_at=debrief.released_at)
    return exercise, True
