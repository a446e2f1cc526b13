"""Each team's digest (what cross-team pages read) is kept current by the writer and
rebuilt from the log whenever it is missing, stale or of another version."""

from __future__ import annotations

from typing import Any

import pytest

from caseroom.engine import Event, Session, TeamDigest
from caseroom.exercises import actions, sessions
from caseroom.exercises.models import Team
from caseroom.scenarios.registry import load

pytestmark = pytest.mark.django_db


def act(team: Team, action: str) -> None:
    actions.command(team, Event("act", role="police-rs", ref=action, actor="Ana"))


def replayed(team: Team) -> TeamDigest:
    events = [
        Event.from_dict(p) for p in team.events.order_by("seq").values_list("payload", flat=True)
    ]
    return sessions.digest_of(Session(load(team.exercise.scenario), events))


def test_every_command_stores_the_digest_of_the_new_state(team: Team) -> None:
    act(team, "treat-as-victim")
    act(team, "check-db")
    team.refresh_from_db()
    stored = TeamDigest.from_dict(team.digest)
    assert stored.events == 2 == team.event_count
    assert stored == replayed(team)
    assert "check-db" in stored.chosen


def test_a_stale_or_foreign_digest_is_rebuilt_from_the_log_and_stored(
    team: Team, other_team: Team, django_assert_max_num_queries: Any
) -> None:
    act(team, "arrest-all")
    act(other_team, "treat-as-victim")
    Team.objects.filter(pk=team.pk).update(digest={"version": 0})
    Team.objects.filter(pk=other_team.pk).update(digest=None)
    teams = list(
        Team.objects.filter(pk__in=[team.pk, other_team.pk])
        .select_related("exercise__scenario")
        .order_by("pk")
    )
    with django_assert_max_num_queries(3):  # one read of both logs, one write per team
        found = sessions.digests_for(teams)
    assert found == [replayed(team), replayed(other_team)]
    team.refresh_from_db()
    assert TeamDigest.from_dict(team.digest) == found[0]


def test_current_digests_are_read_without_touching_the_logs(
    team: Team, other_team: Team, django_assert_num_queries: Any
) -> None:
    act(team, "arrest-all")
    act(other_team, "treat-as-victim")
    teams = list(
        Team.objects.filter(pk__in=[team.pk, other_team.pk])
        .select_related("exercise__scenario")
        .order_by("pk")
    )
    with django_assert_num_queries(0):
        found = sessions.digests_for(teams)
    assert [d.events for d in found] == [1, 1]
