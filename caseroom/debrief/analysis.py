"""Across exercises of one scenario, for the programme manager: filters and progress.

Every figure comes from the teams' event logs through the engine (as the debrief pages),
grouped by scenario version, because one exercise runs on one immutable version.
Filtering by country or agency keeps the teams with at least one such member: results
belong to teams, not to single people. "First and repeat run" follows people across
exercises: by account when they had one, else by name, agency and country as typed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet

from caseroom.engine import TeamSummary, compare_teams
from caseroom.exercises import access
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.exercises.sessions import digests_for
from caseroom.scenarios.registry import load
from caseroom.scenarios.texts import scenario_text

__all__ = [
    "Filters",
    "ScenarioAnalysis",
    "analyse",
    "filter_choices",
    "scenarios_of",
    "visible_exercises",
]


def visible_exercises(user: User | AnonymousUser) -> QuerySet[Exercise]:
    """The exercises this user may analyse: the one access rule (exercises.access)."""
    return access.exercises_visible_to(user)


def scenarios_of(user: User | AnonymousUser) -> list[dict[str, Any]]:
    """The scenarios with exercises this user may analyse, most exercises first."""
    rows = (
        visible_exercises(user)
        .values("scenario__slug")
        .annotate(exercises=Count("pk", distinct=True))
        .order_by("-exercises", "scenario__slug")
    )
    titles = dict(
        visible_exercises(user)
        .order_by("scenario__registered_at")
        .values_list("scenario__slug", "scenario__title")
    )
    return [{"slug": r["scenario__slug"], "title": titles[r["scenario__slug"]], **r} for r in rows]


@dataclass(frozen=True)
class Filters:
    country: str = ""
    agency: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def admits_date(self, day: dt.date) -> bool:
        return (self.date_from is None or day >= self.date_from) and (
            self.date_to is None or day <= self.date_to
        )

    def admits_person(self, person: Participant) -> bool:
        return (
            not self.country or person.country.strip().casefold() == self.country.casefold()
        ) and (not self.agency or person.agency.strip().casefold() == self.agency.casefold())


def exercise_day(exercise: Exercise) -> dt.date:
    return exercise.date or exercise.created_at.date()


@dataclass
class TeamResult:
    exercise: Exercise
    team: Team
    members: list[Participant]
    summary: TeamSummary
    misconceptions: frozenset[str]


def _exercises(user: User | AnonymousUser, slug: str, filters: Filters) -> list[Exercise]:
    found = (
        visible_exercises(user)
        .filter(scenario__slug=slug)
        .prefetch_related("teams__members")
        .order_by("date", "created_at")
    )
    return [e for e in found if filters.admits_date(exercise_day(e))]


def _team_results(exercises: Iterable[Exercise], filters: Filters) -> list[TeamResult]:
    results: list[TeamResult] = []
    for exercise in exercises:
        scenario = load(exercise.scenario)
        chosen: list[tuple[Team, list[Participant]]] = []
        for team in exercise.teams.all():
            members = list(team.members.all())
            if team.event_count == 0:
                continue
            if (filters.country or filters.agency) and not any(
                filters.admits_person(m) for m in members
            ):
                continue
            team.exercise = exercise  # loaded already: spares a query per team
            chosen.append((team, members))
        digests = digests_for([team for team, _members in chosen])
        summaries = compare_teams(
            scenario, [(team.name, d) for (team, _m), d in zip(chosen, digests, strict=True)]
        )
        for (team, members), digest, summary in zip(chosen, digests, summaries, strict=True):
            found = frozenset(mc for mc, _action, _actor in digest.misconceptions)
            results.append(TeamResult(exercise, team, members, summary, found))
    return results


@dataclass
class ExerciseRow:
    exercise: Exercise
    day: dt.date
    teams: int
    participants: int
    mean_total: float | None
    countries: list[str]


@dataclass
class Share:
    label: str
    count: int
    percent: int


@dataclass
class PersonProgress:
    name: str
    agency: str
    country: str
    first: TeamResult
    repeat: TeamResult
    runs: int

    @property
    def change(self) -> int:
        return self.repeat.summary.total - self.first.summary.total

    @property
    def repeated_misconceptions(self) -> frozenset[str]:
        return self.first.misconceptions & self.repeat.misconceptions


@dataclass
class Progress:
    people: list[PersonProgress] = field(default_factory=list)
    mean_first: float | None = None
    mean_repeat: float | None = None
    improved: int = 0
    rubric: list[tuple[str, float, float]] = field(default_factory=list)
    misconceptions: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class ScenarioAnalysis:
    slug: str
    title: str
    filters: Filters
    exercises: list[ExerciseRow]
    teams: int
    participants: int
    endings: list[Share]
    mean_total: float | None
    rubric: list[tuple[str, float]]
    expert_share: int | None
    misconceptions: list[Share]
    progress: Progress


def _person_key(person: Participant) -> tuple[Any, ...]:
    if person.user_id is not None:
        return ("user", person.user_id)
    return (
        "typed",
        " ".join(person.name.casefold().split()),
        " ".join(person.agency.casefold().split()),
        person.country.strip().casefold(),
    )


def _progress(
    results: Sequence[TeamResult], filters: Filters, text: Callable[[str], str]
) -> Progress:
    runs: dict[tuple[Any, ...], list[tuple[Participant, TeamResult]]] = defaultdict(list)
    for result in results:
        for person in result.members:
            if filters.admits_person(person):
                runs[_person_key(person)].append((person, result))
    people: list[PersonProgress] = []
    for entries in runs.values():
        by_exercise = {result.exercise.pk: (person, result) for person, result in entries}
        if len(by_exercise) < 2:
            continue
        ordered = sorted(
            by_exercise.values(),
            key=lambda pr: (exercise_day(pr[1].exercise), pr[1].exercise.created_at),
        )
        (person, first), (_last_person, repeat) = ordered[0], ordered[-1]
        people.append(
            PersonProgress(
                name=person.name,
                agency=person.agency,
                country=person.country,
                first=first,
                repeat=repeat,
                runs=len(ordered),
            )
        )
    people.sort(key=lambda p: (-p.change, p.name.casefold()))
    progress = Progress(people=people)
    if not people:
        return progress
    progress.mean_first = mean(p.first.summary.total for p in people)
    progress.mean_repeat = mean(p.repeat.summary.total for p in people)
    progress.improved = sum(1 for p in people if p.change > 0)
    dimensions = list(people[0].first.summary.rubric)
    progress.rubric = [
        (
            text(f"rubric.{dim}.title") or dim,
            mean(p.first.summary.rubric.get(dim, 0) for p in people),
            mean(p.repeat.summary.rubric.get(dim, 0) for p in people),
        )
        for dim in dimensions
    ]
    first_counts = Counter(mc for p in people for mc in p.first.misconceptions)
    repeat_counts = Counter(mc for p in people for mc in p.repeat.misconceptions)
    progress.misconceptions = sorted(
        (
            (text(f"misconception.{mc}.title") or mc, first_counts[mc], repeat_counts[mc])
            for mc in set(first_counts) | set(repeat_counts)
        ),
        key=lambda row: (-row[1], -row[2], row[0]),
    )
    return progress


def _percent(count: int, whole: int) -> int:
    return round(100 * count / whole) if whole else 0


def analyse(user: User | AnonymousUser, slug: str, filters: Filters) -> ScenarioAnalysis | None:
    """Everything the cross-exercise page shows; None if the user has no such scenario."""
    newest = (
        visible_exercises(user).filter(scenario__slug=slug).order_by("-scenario__registered_at")
    ).first()
    if newest is None:
        return None
    # Texts from the newest version: versions of one scenario keep their ids.
    latest = load(newest.scenario)
    exercises = _exercises(user, slug, filters)
    results = _team_results(exercises, filters)

    def text(key: str) -> str:
        return scenario_text(latest, key)

    rows = []
    for exercise in exercises:
        mine = [r for r in results if r.exercise.pk == exercise.pk]
        people = [m for r in mine for m in r.members]
        rows.append(
            ExerciseRow(
                exercise=exercise,
                day=exercise_day(exercise),
                teams=len(mine),
                participants=len(people),
                mean_total=mean(r.summary.total for r in mine) if mine else None,
                countries=sorted({m.country for m in people if m.country}),
            )
        )
    teams = len(results)
    endings = Counter(
        text(f"ending.{r.summary.ending}.title") or r.summary.ending if r.summary.ending else ""
        for r in results
    )
    shares = [r.summary.expert_share for r in results if r.summary.expert_share is not None]
    dimensions = list(results[0].summary.rubric) if results else []
    misconceptions = Counter(mc for r in results for mc in r.misconceptions)
    return ScenarioAnalysis(
        slug=slug,
        title=newest.scenario.title,
        filters=filters,
        exercises=rows,
        teams=teams,
        participants=sum(len(r.members) for r in results),
        endings=[
            Share(label, count, _percent(count, teams))
            for label, count in sorted(endings.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        mean_total=mean(r.summary.total for r in results) if results else None,
        rubric=[
            (
                text(f"rubric.{dim}.title") or dim,
                mean(r.summary.rubric.get(dim, 0) for r in results),
            )
            for dim in dimensions
        ],
        expert_share=round(100 * mean(shares)) if shares else None,
        misconceptions=[
            Share(text(f"misconception.{mc}.title") or mc, count, _percent(count, teams))
            for mc, count in sorted(misconceptions.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        progress=_progress(results, filters, text),
    )


def filter_choices(user: User | AnonymousUser, slug: str) -> dict[str, list[str]]:
    """The countries and agencies participants of this scenario's exercises gave."""
    people = Participant.objects.filter(
        exercise__in=visible_exercises(user).filter(scenario__slug=slug)
    )
    countries = sorted({c.strip() for c in people.values_list("country", flat=True) if c.strip()})
    agencies = sorted({a.strip() for a in people.values_list("agency", flat=True) if a.strip()})
    return {"countries": countries, "agencies": agencies}
