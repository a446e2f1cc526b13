"""Helpers of the exercise page tests, imported by name: the roles of the night-crossing
scenario, a browser that has joined (`player`) and a request as HTMX sends it (`htmx`)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from caseroom.exercises import actions
from caseroom.exercises.access import SESSION_KEY
from caseroom.exercises.models import Exercise, Participant, Team

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
