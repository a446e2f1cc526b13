"""Which player of a session's exercises was which enrolled person (`Seat`).

Players join on their phones with a code and a typed name, and the exercises app must not
know programmes, so the facilitator matches afterwards: `seat_participants` seats every
player whose name matches exactly one enrolled person not yet seated in that exercise; the
rest are listed for a select box (`seat`). Team results per person are read through Seat.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db import transaction

from caseroom.exercises.models import Participant

from ..models import Person, Seat, Session

__all__ = [
    "SeatingPage",
    "name_key",
    "seat",
    "seat_participants",
    "seating_page",
    "unseated_players",
]


def name_key(name: str) -> str:
    """A name as compared: accents dropped, case folded, words sorted, so "Petrovska Ivana"
    typed on a phone matches the registry's "Ivana Petrovska"."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return " ".join(sorted(words))


def unseated_players(session: Session) -> list[Participant]:
    """Players of the session's exercises who are nobody's seat yet."""
    return list(
        Participant.objects.filter(
            exercise__programme_session__session=session, programme_seat__isnull=True
        )
        .select_related("exercise")
        .order_by("exercise__created_at", "name", "pk")
    )


def _enrolled(session: Session) -> list[Person]:
    return list(Person.objects.filter(enrolments__session=session).order_by("pk"))


def _seated(session: Session) -> set[tuple[int, int]]:
    """(exercise id, person id) already seated in the session's exercises."""
    return set(
        Seat.objects.filter(participant__exercise__programme_session__session=session).values_list(
            "participant__exercise_id", "person_id"
        )
    )


@dataclass(frozen=True)
class Seating:
    matched: int
    unmatched: int


def seat_participants(session: Session) -> Seating:
    """Seat every unseated player whose name matches exactly one enrolled person who has no
    seat in that exercise yet. Running it again seats nobody twice (a player has at most
    one seat by the database, a person one per exercise by this rule)."""
    with transaction.atomic():
        people: dict[str, list[Person]] = {}
        for person in _enrolled(session):
            people.setdefault(name_key(person.full_name), []).append(person)
        taken = _seated(session)
        seats = []
        players = unseated_players(session)
        for player in players:
            found = people.get(name_key(player.name), [])
            if len(found) != 1 or (player.exercise_id, found[0].pk) in taken:
                continue  # nobody, or two people of one name: the facilitator decides
            taken.add((player.exercise_id, found[0].pk))
            seats.append(Seat(person=found[0], participant=player))
        Seat.objects.bulk_create(seats)
    return Seating(matched=len(seats), unmatched=len(players) - len(seats))


def seat(person: Person, participant: Participant) -> Seat:
    """The facilitator's own match (the form checked both belong to the session)."""
    with transaction.atomic():
        return Seat.objects.create(person=person, participant=participant)


@dataclass(frozen=True)
class SeatLine:
    player: str
    exercise: str
    person: str


@dataclass(frozen=True)
class PlayerLine:
    pk: int
    name: str
    agency: str
    country: str
    exercise: str


@dataclass(frozen=True)
class SeatingPage:
    seats: tuple[SeatLine, ...]
    unseated: tuple[PlayerLine, ...]


def seating_page(session: Session) -> SeatingPage:
    """Who is matched and who is not yet (two queries)."""
    seats = (
        Seat.objects.filter(participant__exercise__programme_session__session=session)
        .select_related("person", "participant__exercise")
        .order_by("participant__exercise__created_at", "participant__name", "pk")
    )
    return SeatingPage(
        seats=tuple(
            SeatLine(
                player=s.participant.name,
                exercise=s.participant.exercise.title,
                person=s.person.full_name,
            )
            for s in seats
        ),
        unseated=tuple(
            PlayerLine(
                pk=p.pk, name=p.name, agency=p.agency, country=p.country, exercise=p.exercise.title
            )
            for p in unseated_players(session)
        ),
    )
