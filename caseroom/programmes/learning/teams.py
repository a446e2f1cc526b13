"""The exercise results of the teams a session's participants played in.

Scores come from the debrief's own figures: each team's stored digest
(`exercises.sessions.digests_for`, rebuilt only when stale) compared by the engine's
`compare_teams`, exactly as the debrief page's team rows are (debrief.reports
.exercise_report). Nothing is recomputed here. A person's team is their Seat (the exercise
participant they were) → that participant's team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caseroom.engine import compare_teams
from caseroom.exercises.models import Exercise, Team
from caseroom.exercises.sessions import digests_for
from caseroom.scenarios.registry import load
from caseroom.scenarios.texts import scenario_text

from ..models import Seat, Session, SessionExercise

__all__ = ["TeamResult", "TeamResults", "team_results"]


@dataclass(frozen=True)
class TeamResult:
    exercise_id: int
    exercise: str
    team: str
    total: int  # the rubric's total points
    ending: str  # the ending's title, "" while the case is running
    outcome: str  # success | partial | failure | ""
    grades: tuple[tuple[str, int], ...]  # (grade, steps) as the debrief counts them


@dataclass(frozen=True)
class TeamResults:
    teams: tuple[TeamResult, ...]
    by_person: Mapping[int, tuple[TeamResult, ...]]  # person id → their teams' results


def _grade(grade: str) -> str:
    labels = {
        "exemplary": _("exemplary"),
        "acceptable": _("acceptable"),
        "poor": _("poor"),
        "harmful": _("harmful"),
    }
    return labels.get(grade, grade)


def team_results(sessions: QuerySet[Session]) -> TeamResults:
    """Three queries whatever the number of sessions and teams (when digests are current)."""
    links = list(
        SessionExercise.objects.filter(session__in=sessions.values("pk"))
        .select_related("exercise__scenario")
        .order_by("session__starts_on", "exercise_id")
    )
    if not links:
        return TeamResults((), {})
    exercises: dict[int, Exercise] = {link.exercise_id: link.exercise for link in links}
    teams = list(Team.objects.filter(exercise_id__in=exercises).order_by("exercise_id", "name"))
    for team in teams:
        team.exercise = exercises[team.exercise_id]  # no query per team for its scenario
    seats = Seat.objects.filter(
        participant__exercise_id__in=exercises, participant__team__isnull=False
    ).values_list("person_id", "participant__team_id")
    results: dict[int, TeamResult] = {}
    digests = dict(zip((t.pk for t in teams), digests_for(teams), strict=True))
    for exercise_id, exercise in exercises.items():
        own = [t for t in teams if t.exercise_id == exercise_id]
        if not own:
            continue
        scenario = load(exercise.scenario)
        summaries = compare_teams(scenario, [(t.name, digests[t.pk]) for t in own])
        for team, s in zip(own, summaries, strict=True):
            results[team.pk] = TeamResult(
                exercise_id=exercise_id,
                exercise=exercise.title,
                team=team.name,
                total=s.total,
                ending=scenario_text(scenario, f"ending.{s.ending}.title") if s.ending else "",
                outcome=s.outcome or "",
                grades=tuple((_grade(g), n) for g, n in s.grades.items()),
            )
    by_person: dict[int, list[TeamResult]] = {}
    for person_id, team_id in seats:
        if team_id in results:
            by_person.setdefault(person_id, []).append(results[team_id])
    return TeamResults(
        teams=tuple(results.values()),
        by_person={p: tuple(found) for p, found in by_person.items()},
    )
