"""Exact query counts of the debrief pages over many rows: as many for 6 teams as for 2.

The exercise is grown to 2 and then to 6 teams as for the live pages
(tests/exercises/test_query_counts.py), and every team gets as many annotated steps as
there are teams. Both sizes must make exactly the same number of queries, with the teams'
sessions cached and cold (a debrief is often opened long after the play, or on another
worker process).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from caseroom.debrief import notes
from caseroom.exercises import sessions
from caseroom.exercises.models import Exercise
from tests.exercises.support import Room, grow

pytestmark = pytest.mark.django_db

SIZES = (2, 6)
# The session and the user; the exercise and whether this user facilitates it.
LOGGED_IN, FACILITATOR = 2, 2


def annotated(room: Room, facilitator: User) -> Room:
    """Every team with a comment on each of its first `room.size` steps."""
    for team in room.teams:
        for step in range(team.annotations.count(), room.size):
            notes.add_annotation(
                team, step=step, kind="comment", body=f"Step {step}.", author=facilitator
            )
    return room


def counted(
    django_assert_num_queries: DjangoAssertNumQueries,
    client: Client,
    url: str,
    queries: int,
    *,
    cold: bool,
) -> HttpResponse:
    """The page, asked for a second time (the first fills the caches a running server has,
    and stores the teams' digests), in exactly `queries` queries."""
    client.get(url)
    if cold:
        sessions._sessions.clear()
    with django_assert_num_queries(queries, info=url):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("cold", [False, True], ids=["cached", "cold"])
def test_the_exercise_report_makes_as_many_queries_for_6_teams_as_for_2(
    exercise: Exercise,
    facilitator: User,
    facilitator_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    cold: bool,
) -> None:
    for size in SIZES:
        room = annotated(grow(exercise, facilitator, size), facilitator)
        url = f"/facilitate/{exercise.pk}/debrief/"
        # + the teams (their stored digests), the annotations with their authors, the
        # notes; cold, the logs of the annotated teams too, in one query
        queries = LOGGED_IN + FACILITATOR + 3 + cold
        page = counted(django_assert_num_queries, facilitator_client, url, queries, cold=cold)
        assert all(team.name in page.content.decode() for team in room.teams)
        assert page.content.decode().count("Step 0.") == size


@pytest.mark.parametrize("cold", [False, True], ids=["cached", "cold"])
def test_the_team_report_makes_as_many_queries_for_6_teams_as_for_2(
    exercise: Exercise,
    facilitator: User,
    facilitator_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    cold: bool,
) -> None:
    for size in SIZES:
        room = annotated(grow(exercise, facilitator, size), facilitator)
        url = f"/facilitate/{exercise.pk}/team/{room.teams[0].pk}/debrief/"
        # + the team and its annotations with their authors; cold, its log too
        queries = LOGGED_IN + FACILITATOR + 2 + cold
        page = counted(django_assert_num_queries, facilitator_client, url, queries, cold=cold)
        assert f"Step {size - 1}." in page.content.decode()
