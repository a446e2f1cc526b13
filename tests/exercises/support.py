"""Helpers of the exercise page tests, imported by name: the roles of the night-crossing
scenario, a browser that has joined (`player`), a request as HTMX sends it (`htmx`), and an
exercise grown to many rows for the query counts (`grow`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from caseroom.engine import Event
from caseroom.exercises import actions
from caseroom.exercises.access import SESSION_KEY
from caseroom.exercises.models import Exercise, Message, Participant, Team

BORDER, PROSECUTOR, PROTECTION, POLICE_RS = (
    "border-police-mk",
    "prosecutor-mk",
    "protection-worker-mk",
    "police-rs",
)


def teams(exercise: Exercise) -> list[Team]:
    return list(exercise.teams.order_by("name"))


def as_participant(participant: Participant) -> Client:
    """A browser that plays as `participant`."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(participant.exercise_id): participant.pk}
    session.save()
    return client


def player(
    exercise: Exercise, name: str, roles: list[str], team: Team | None = None
) -> tuple[Client, Participant]:
    """A browser that has joined the exercise as `name` holding `roles`."""
    participant = actions.join(
        exercise,
        name=name,
        agency="police",
        country="MK",
        roles=roles,
        team=team if team is not None else teams(exercise)[0],
    )
    return as_participant(participant), participant


def htmx(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    """A request as HTMX sends it (POST when data is given)."""
    if data is None:
        return client.get(url, headers={"HX-Request": "true"})
    return client.post(url, data, headers={"HX-Request": "true"})


# ---------------------------------------------------------------- a room of many rows

MINI_ROLES = ["police-rs", "prosecutor-rs", "police-mk"]


@dataclass(frozen=True)
class Room:
    """A running mini-scenario exercise whose rows are multiplied by `size`."""

    exercise: Exercise
    teams: list[Team]
    me: Participant  # a police investigator and prosecutor of the first team
    size: int


def _act(team: Team, by: Participant, ref: str, role: str = "police-rs", **more: Any) -> None:
    actions.command(team, Event("act", role=role, ref=ref, actor=by.name, **more), participant=by)


def grow(exercise: Exercise, facilitator: User, size: int) -> Room:
    """The exercise with `size` teams (more are added, none removed), each with `size`
    members, `size` turns of consulting and `size` team and cross-border messages. The
    opening moves of a team leave an approval and an answer pending and a free-text answer
    to grade; the facilitator writes to every team once more."""
    missing = size - exercise.teams.count()
    if missing > 0:
        actions.create_teams(exercise, missing)
    teams = list(exercise.teams.order_by("name"))
    for t, team in enumerate(teams):
        members = list(team.members.order_by("pk"))
        for m in range(len(members), size):
            roles = [MINI_ROLES[m % len(MINI_ROLES)]] if m else MINI_ROLES[:2]
            members.append(
                actions.join(exercise, name=f"T{t} M{m}", country="RS", roles=roles, team=team)
            )
        police = members[0]
        if not team.event_count:
            _act(team, police, "treat-as-victim")
            _act(team, police, "check-db")
            _act(team, police, "surveil")  # waits for the prosecutor's approval
            _act(team, police, "ask-mk", input=["plates", "dates"])  # waits for Skopje's answer
            _act(team, police, "grounds", role="prosecutor-rs", input="Proceeds of smuggling.")
        done = team.messages.filter(channel=Message.Channel.TEAM).count()
        for turn in range(done, size):
            _act(team, police, "consult")
            member = members[turn]
            actions.send_message(team, f"team {turn}", participant=member, role=member.roles[0])
            actions.send_message(
                team,
                f"cross-border {turn}",
                channel=Message.Channel.CROSS_BORDER,
                participant=police,
                role="police-rs",
            )
    actions.broadcast_message(teams, f"{size} teams now.", user=facilitator, key=None)
    me = Participant.objects.get(team=teams[0], name="T0 M0")
    return Room(exercise, teams, me, size)
