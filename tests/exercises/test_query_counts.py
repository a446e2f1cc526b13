"""Exact query counts of the live pages over many rows: as many for 6 teams as for 2.

Each page is asked for with the exercise grown to 2 and then to 6 teams, each with as many
members, turns and team and cross-border messages as teams, a pending approval, a pending
answer, a free-text answer to grade and the facilitator's messages (`support.grow`). Both
sizes must make exactly the same number of queries (Zulip's assert_database_query_count):
a count that grows with the rows is a query per row that nobody meant. A page is counted
as a running server serves it, with the teams' sessions cached, and cold (as after a
restart, or on another worker process), where every team's log has to be read.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlencode

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from caseroom.exercises import sessions
from caseroom.exercises.models import Exercise
from tests.exercises.support import as_participant, grow

pytestmark = pytest.mark.django_db

SIZES = (2, 6)


def counted(
    django_assert_num_queries: DjangoAssertNumQueries,
    client: Client,
    url: str,
    queries: int,
    *,
    cold: bool = False,
) -> HttpResponse:
    """The page, asked for a second time (the first fills the caches a running server has),
    in exactly `queries` queries."""
    client.get(url)
    if cold:
        sessions._sessions.clear()
    with django_assert_num_queries(queries, info=url):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


# ---------------------------------------------------------------- the console

# The session and the user; the exercise and whether this user facilitates it.
LOGGED_IN, FACILITATOR = 2, 2


@pytest.mark.parametrize("cold", [False, True], ids=["cached", "cold"])
@pytest.mark.parametrize(
    ("part", "queries", "logs"),
    [
        # + the teams with their last event's time, their members, the unassigned
        # participants and the participants of the roles form
        ("", LOGGED_IN + FACILITATOR + 4, 1),
        ("teams/", LOGGED_IN + FACILITATOR + 3, 1),  # the console's live part: no roles form
        ("timebox/part/", LOGGED_IN + FACILITATOR, 0),
    ],
    ids=["page", "teams-part", "timebox-part"],
)
def test_the_console_makes_as_many_queries_for_6_teams_as_for_2(
    exercise: Exercise,
    facilitator: User,
    facilitator_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    part: str,
    queries: int,
    logs: int,
    cold: bool,
) -> None:
    for size in SIZES:
        grow(exercise, facilitator, size)
        url = f"/facilitate/{exercise.pk}/{part}"
        # Cold, + the logs of every team, in one query (sessions.sessions_for)
        expected = queries + logs * cold
        page = counted(django_assert_num_queries, facilitator_client, url, expected, cold=cold)
        if part != "timebox/part/":
            assert page.content.count(b'class="card team-card') == size


@pytest.mark.parametrize("cold", [False, True], ids=["cached", "cold"])
def test_a_teams_chat_on_the_console_makes_as_many_queries_for_6_teams_as_for_2(
    exercise: Exercise,
    facilitator: User,
    facilitator_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    cold: bool,
) -> None:
    for size in SIZES:
        room = grow(exercise, facilitator, size)
        url = f"/facilitate/{exercise.pk}/team/{room.teams[0].pk}/chat/"
        # + the team, and the messages of each of its three channels with their writers
        page = counted(
            django_assert_num_queries,
            facilitator_client,
            url,
            LOGGED_IN + FACILITATOR + 4,
            cold=cold,
        )
        assert f"team {size - 1}" in page.content.decode()


# ---------------------------------------------------------------- the participant's page

# The browser's session, and its participant with the exercise, its scenario and the team;
# one more where the team's session is not cached: its log.
PARTICIPANT = 2


@pytest.mark.parametrize("cold", [False, True], ids=["cached", "cold"])
@pytest.mark.parametrize(
    ("part", "queries"),
    [
        # + the last message (the chats' version) and the messages of the three channels
        ("", PARTICIPANT + 4),
        ("part/status/", PARTICIPANT),
        ("part/scene/", PARTICIPANT),
        ("part/docs/", PARTICIPANT),
        ("part/feed/", PARTICIPANT),
        ("part/chat/?channel=team", PARTICIPANT + 2),  # + the last message and the channel's
        ("part/chat/?channel=cross-border", PARTICIPANT + 2),
        ("part/chat/?channel=facilitator", PARTICIPANT + 2),
    ],
    ids=["page", "status", "scene", "docs", "feed", "team-chat", "cross-border", "facilitator"],
)
def test_the_play_page_and_its_parts_make_as_many_queries_for_6_teams_as_for_2(
    exercise: Exercise,
    facilitator: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    part: str,
    queries: int,
    cold: bool,
) -> None:
    for size in SIZES:
        room = grow(exercise, facilitator, size)
        browser = as_participant(room.me)
        url = f"/x/{exercise.pk}/play/{part}"
        counted(django_assert_num_queries, browser, url, queries + cold, cold=cold)


def _stale_parts(page: str) -> list[str]:
    """The `p` of every part of the page (part:channel:version) as a page that is behind
    sends it: same person and roles, older content."""
    found = []
    for link in re.findall(r'hx-get="(/x/\d+/play/part/[^"]+)"', page):
        link = unquote(link.replace("&amp;", "&"))
        name = link.split("/part/")[1].split("/")[0]
        channel = re.search(r"channel=([^&]+)", link)
        who = link.split("v=")[1].split("~")[0]
        found.append(f"{name}:{channel.group(1) if channel else ''}:{who}~stale")
    return found


@pytest.mark.parametrize("cold", [False, True], ids=["cached", "cold"])
def test_the_changes_of_a_whole_page_make_as_many_queries_for_6_teams_as_for_2(
    exercise: Exercise,
    facilitator: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    cold: bool,
) -> None:
    """The request of most of a running exercise: after a nudge, every part at once."""
    for size in SIZES:
        room = grow(exercise, facilitator, size)
        browser = as_participant(room.me)
        parts = _stale_parts(browser.get(f"/x/{exercise.pk}/play/").content.decode())
        assert len(parts) == 7
        url = f"/x/{exercise.pk}/play/changes/?{urlencode({'p': parts}, doseq=True)}"
        # + the last message and the messages of the three channels, as the whole page
        answer = counted(django_assert_num_queries, browser, url, PARTICIPANT + 4 + cold, cold=cold)
        assert answer.content.count(b'hx-swap-oob="true"') == 7
