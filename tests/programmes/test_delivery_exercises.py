"""Exercises in a session: linking what the user facilitates, running a new one with the
session's people dealt into mixed teams, and matching the players who join to people."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.exercises import actions as exercise_actions
from caseroom.exercises.models import Exercise, Participant
from caseroom.programmes.delivery.exercises import deal_into_teams, run_exercise
from caseroom.programmes.delivery.seating import name_key, seat_participants
from caseroom.programmes.models import Person, Seat, Session, SessionExercise
from caseroom.programmes.models.delivery import TeamPlace
from caseroom.scenarios.models import ScenarioVersion

from . import support_delivery as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db: None) -> ScenarioVersion:
    return make.scenario_version()


def _exercise(version: ScenarioVersion, facilitator: User, title: str = "Night") -> Exercise:
    return exercise_actions.create_exercise(facilitator, scenario=version, title=title)


def test_a_user_links_only_an_exercise_they_facilitate(
    trainer_client: Client,
    trainer_member: User,
    plain_staff: User,
    session: Session,
    version: ScenarioVersion,
) -> None:
    mine, theirs = _exercise(version, trainer_member), _exercise(version, plain_staff)
    url = reverse("programmes:session_exercise_link", args=[session.pk])
    refused = trainer_client.post(url, {"exercise": theirs.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert trainer_client.post(url, {"exercise": mine.pk}).status_code == 302
    assert list(SessionExercise.objects.values_list("exercise", flat=True)) == [mine.pk]
    # An exercise counts for one session only: it is no longer offered.
    again = trainer_client.post(url, {"exercise": mine.pk})
    assert again.status_code == 200 and SessionExercise.objects.count() == 1


def test_running_an_exercise_deals_the_participants_into_mixed_teams(
    trainer_client: Client, trainer_member: User, session: Session, version: ScenarioVersion
) -> None:
    programme = session.module.programme
    for country in ("RS", "MK"):
        for agency in ("Police", "Prosecution", "Social work"):
            make.enrol(
                session,
                make.people(programme, 2, f"{country}{agency}", country=country, agency=agency),
            )
    make.enrol(session, [make.person(programme, "Trainer")], role="trainer")
    url = reverse("programmes:session_exercise_run", args=[session.pk])
    response = trainer_client.post(
        url, {"scenario": version.pk, "title": "Cross-border case", "teams": 3}
    )
    exercise = Exercise.objects.get(title="Cross-border case")
    assert response["Location"] == reverse("programmes:session_teams", args=[session.pk])
    assert list(exercise.facilitators.all()) == [trainer_member]
    assert exercise.programme_session.session == session
    teams = list(exercise.teams.order_by("pk"))
    assert len(teams) == 3
    for team in teams:
        placed = Person.objects.filter(team_places__team=team)
        assert placed.count() == 4  # 12 participants over 3 teams; the trainer is not dealt
        assert {p.country for p in placed} == {"RS", "MK"}
        assert len({p.agency for p in placed}) >= 2
    listing = trainer_client.get(response["Location"]).content.decode()
    assert exercise.join_code in listing and "Team 1" in listing and "RSPolice0 Test" in listing


def test_dealing_round_robin_after_sorting_by_country_and_agency() -> None:
    people = [
        Person(pk=n, country=c, agency=a, given_name=str(n), family_name="x")
        for n, (c, a) in enumerate([("RS", "B"), ("MK", "A"), ("RS", "A"), ("MK", "B")])
    ]
    dealt = deal_into_teams(people, 2)
    assert [[(p.country, p.agency) for p in team] for team in dealt] == [
        [("MK", "A"), ("RS", "A")],
        [("MK", "B"), ("RS", "B")],
    ]


def test_only_a_trainer_account_may_create_an_exercise(
    trainer_client: Client, trainer_member: User, session: Session, version: ScenarioVersion
) -> None:
    trainer_member.is_staff = False
    trainer_member.save()
    url = reverse("programmes:session_exercise_run", args=[session.pk])
    response = trainer_client.post(url, {"scenario": version.pk, "title": "X", "teams": 2})
    assert (
        response.status_code == 200
        and "Only trainers may create exercises" in response.content.decode()
    )
    assert not Exercise.objects.exists()


def test_players_are_matched_to_people_by_name_once_and_the_rest_left_for_the_facilitator(
    trainer_member: User, session: Session, version: ScenarioVersion
) -> None:
    programme = session.module.programme
    ivana = make.person(programme, "Ivana", "Petrovska")
    twins = [make.person(programme, "Ana", "Kos"), make.person(programme, "Ana", "Kos")]
    make.enrol(session, [ivana, *twins])
    exercise = run_exercise(session, trainer_member, scenario=version, title="Case", teams=2)
    joined = {
        name: exercise_actions.join(exercise, name=name)
        for name in ("petrovska IVANA", "Ana Kos", "Somebody Else")
    }
    result = seat_participants(session)
    assert (result.matched, result.unmatched) == (1, 2)
    assert Seat.objects.get().participant == joined["petrovska IVANA"]
    again = seat_participants(session)
    assert (again.matched, Seat.objects.count()) == (0, 1)
    # A second player with Ivana's name in the same exercise is not given her twice.
    exercise_actions.join(exercise, name="Ivana Petrovska")
    assert seat_participants(session).matched == 0


def test_names_compare_without_accents_case_or_word_order() -> None:
    assert name_key("Šćepan  Đurić") == name_key("đuric SCEPAN")
    assert name_key("Jelena Petrović") == name_key("PETROVIC, jelena")


def test_the_facilitator_matches_the_rest_by_hand_and_a_person_once_per_exercise(
    trainer_client: Client, trainer_member: User, session: Session, version: ScenarioVersion
) -> None:
    programme = session.module.programme
    ana = make.person(programme, "Ana", "Kos")
    make.enrol(session, [ana])
    exercise = run_exercise(session, trainer_member, scenario=version, title="Case", teams=1)
    nick, other = (exercise_actions.join(exercise, name=n) for n in ("Anči", "Someone"))
    url = reverse("programmes:session_seats", args=[session.pk])
    page = trainer_client.get(url).content.decode()
    assert "Anči" in page and "Ana Kos (Police)" in page
    assert trainer_client.post(url, {"participant": nick.pk, "person": ana.pk}).status_code == 302
    refused = trainer_client.post(url, {"participant": other.pk, "person": ana.pk})
    assert refused.status_code == 200
    assert "already has a player in this exercise" in refused.content.decode()
    assert list(Seat.objects.values_list("participant", "person")) == [(nick.pk, ana.pk)]


def test_unlinking_an_exercise_drops_its_seats_and_team_places_but_keeps_it(
    trainer_client: Client, trainer_member: User, enrolment: object, version: ScenarioVersion
) -> None:
    session = Session.objects.get()
    exercise = run_exercise(session, trainer_member, scenario=version, title="Case", teams=1)
    exercise_actions.join(exercise, name="Ivana Petrovska")
    assert seat_participants(session).matched == 1
    url = reverse("programmes:session_exercise_unlink", args=[session.pk])
    assert trainer_client.post(url, {"exercise": exercise.pk}).status_code == 302
    assert not (SessionExercise.objects.exists() or Seat.objects.exists())
    assert not TeamPlace.objects.exists()
    assert Exercise.objects.filter(pk=exercise.pk).exists() and Participant.objects.count() == 1
