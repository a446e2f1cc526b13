"""Several teams' sessions at once: the same sessions as one by one, in one query for the
logs of teams not cached, and a damaged log refused the same way."""

from __future__ import annotations

from typing import Any

import pytest

from caseroom.engine import Event
from caseroom.exercises import actions, sessions
from caseroom.exercises.models import Team, TeamEvent

pytestmark = pytest.mark.django_db


def act(team: Team, action: str) -> None:
    actions.command(team, Event("act", role="police-rs", ref=action, actor="Ana"))


def test_sessions_of_teams_not_cached_are_read_in_one_query_and_equal_one_by_one(
    team: Team, other_team: Team, django_assert_num_queries: Any
) -> None:
    act(team, "treat-as-victim")
    act(team, "check-db")
    act(other_team, "treat-as-victim")
    teams = list(Team.objects.select_related("exercise__scenario").order_by("pk"))
    for each in teams:
        sessions.forget(each.pk)
    with django_assert_num_queries(1):
        found = sessions.sessions_for(teams)
    for each in teams:
        sessions.forget(each.pk)
        assert found[each.pk].events == sessions.session_for(each).events
    with django_assert_num_queries(0):  # now cached and current
        assert set(sessions.sessions_for(teams)) == {team.pk, other_team.pk}


def test_a_log_shorter_than_its_count_is_a_damaged_log(team: Team) -> None:
    act(team, "treat-as-victim")
    act(team, "check-db")
    TeamEvent.objects.filter(team=team, seq=0).delete()
    team.refresh_from_db()
    sessions.forget(team.pk)
    with pytest.raises(sessions.DamagedLog):
        sessions.sessions_for([team])


def test_a_team_read_before_a_commit_leaves_the_newer_cached_session(
    team: Team, django_assert_num_queries: Any
) -> None:
    act(team, "treat-as-victim")
    stale = Team.objects.select_related("exercise__scenario").get(pk=team.pk)
    act(team, "check-db")
    fresh = Team.objects.select_related("exercise__scenario").get(pk=team.pk)
    assert len(sessions.session_for(fresh).events) == 2
    assert len(sessions.sessions_for([stale])[team.pk].events) == 1
    with django_assert_num_queries(0):  # the newer one is still the cached one
        assert len(sessions.session_for(fresh).events) == 2
