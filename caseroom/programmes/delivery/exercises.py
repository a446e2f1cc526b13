"""Caseroom exercises run in a session: link, unlink, run one with the session's people in
teams, and the printable team list.

The exercises app knows nothing of programmes (layers point down), so everything that ties
an exercise to a session's people lives here: SessionExercise, TeamPlace and Seat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from caseroom.exercises import actions as exercise_actions
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.scenarios.models import ScenarioVersion

from ..models import Enrolment, Person, Seat, Session, SessionExercise
from ..models.delivery import TeamPlace

__all__ = [
    "ExerciseLine",
    "TeamList",
    "deal_into_teams",
    "exercise_lines",
    "link_exercise",
    "run_exercise",
    "team_lists",
    "unlink_exercise",
]


def link_exercise(session: Session, exercise: Exercise) -> SessionExercise:
    """Count an exercise the user facilitates as run in this session (the form offered
    only `exercises_visible_to(user)` that belong to no session yet)."""
    with transaction.atomic():
        return SessionExercise.objects.create(session=session, exercise=exercise)


def unlink_exercise(session: Session, exercise: Exercise) -> None:
    """The exercise no longer counts for the session; the seats and team places that tied
    its players to the session's people go with the link (the exercise itself stays)."""
    with transaction.atomic():
        SessionExercise.objects.filter(session=session, exercise=exercise).delete()
        TeamPlace.objects.filter(exercise=exercise).delete()
        Seat.objects.filter(participant__in=Participant.objects.filter(exercise=exercise)).delete()


def deal_into_teams(people: Sequence[Person], teams: int) -> list[list[Person]]:
    """People dealt round-robin after sorting by (country, agency), so that each team gets
    a mix of both (the same rule as the console's `balance_teams` for joined players)."""
    ordered = sorted(people, key=lambda p: (p.country, p.agency, p.family_name, p.given_name, p.pk))
    dealt: list[list[Person]] = [[] for _ in range(teams)]
    for index, person in enumerate(ordered):
        dealt[index % teams].append(person)
    return dealt


def run_exercise(
    session: Session, user: User, *, scenario: ScenarioVersion, title: str, teams: int
) -> Exercise:
    """A new exercise run from the session: `user` facilitates it, it has `teams` teams,
    and the session's participants are placed in them (TeamPlace) for the printed list."""
    with transaction.atomic():
        exercise = exercise_actions.create_exercise(
            user,
            scenario=scenario,
            title=title,
            date=session.starts_on,
            location=session.place,
        )
        made = exercise_actions.create_teams(exercise, teams)
        SessionExercise.objects.create(session=session, exercise=exercise)
        people = list(
            Person.objects.filter(
                enrolments__session=session, enrolments__role=Enrolment.Role.PARTICIPANT
            )
        )
        TeamPlace.objects.bulk_create(
            [
                TeamPlace(exercise=exercise, team=team, person=person)
                for team, members in zip(made, deal_into_teams(people, teams), strict=True)
                for person in members
            ]
        )
    return exercise


@dataclass(frozen=True)
class ExerciseLine:
    pk: int
    title: str
    join_code: str
    status: str
    participants: int
    seated: int


def exercise_lines(session: Session) -> tuple[ExerciseLine, ...]:
    """The session's exercises with how many players joined and how many are matched to
    people (two queries whatever the number of exercises)."""
    links = list(
        SessionExercise.objects.filter(session=session)
        .select_related("exercise")
        .order_by("exercise__created_at", "pk")
    )
    players: dict[int, tuple[int, int]] = {}
    rows = Participant.objects.filter(exercise__programme_session__session=session).values_list(
        "exercise_id", "programme_seat"
    )
    for exercise_id, seat in rows:
        joined, seated = players.get(exercise_id, (0, 0))
        players[exercise_id] = (joined + 1, seated + (seat is not None))
    return tuple(
        ExerciseLine(
            pk=link.exercise.pk,
            title=link.exercise.title,
            join_code=link.exercise.join_code,
            status=link.exercise.get_status_display(),
            participants=players.get(link.exercise.pk, (0, 0))[0],
            seated=players.get(link.exercise.pk, (0, 0))[1],
        )
        for link in links
    )


@dataclass(frozen=True)
class TeamMember:
    name: str
    agency: str
    country: str


@dataclass(frozen=True)
class TeamOnList:
    pk: int
    name: str
    members: tuple[TeamMember, ...]


@dataclass(frozen=True)
class TeamList:
    exercise_id: int
    title: str
    join_code: str
    teams: tuple[TeamOnList, ...]


def team_lists(session: Session) -> tuple[TeamList, ...]:
    """Each exercise of the session with its teams and the people placed in them (three
    queries whatever the size), for the facilitator to print and read out."""
    exercises = list(
        Exercise.objects.filter(programme_session__session=session).order_by("created_at", "pk")
    )
    teams = list(Team.objects.filter(exercise__in=exercises).order_by("exercise", "name", "pk"))
    members: dict[int, list[TeamMember]] = {}
    for place in TeamPlace.objects.filter(exercise__in=exercises).select_related("person"):
        person = place.person
        members.setdefault(place.team_id, []).append(
            TeamMember(name=person.full_name, agency=person.agency, country=person.country)
        )
    return tuple(
        TeamList(
            exercise_id=exercise.pk,
            title=exercise.title,
            join_code=exercise.join_code,
            teams=tuple(
                TeamOnList(
                    pk=team.pk,
                    name=team.name,
                    members=tuple(
                        sorted(members.get(team.pk, []), key=lambda m: (m.name, m.agency))
                    ),
                )
                for team in teams
                if team.exercise_id == exercise.pk
            ),
        )
        for exercise in exercises
    )
