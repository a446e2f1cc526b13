"""A team's page lists the items of choice and ordering inputs in the team's own order
(`engine.shuffle`), and the debrief's replay shows the answer in that same order."""

from __future__ import annotations

import re

import pytest

from caseroom.debrief.reports import team_report
from caseroom.engine.shuffle import shown_items
from caseroom.exercises.models import Exercise
from caseroom.exercises.player import shuffle_seed
from caseroom.scenarios.registry import load
from tests.exercises.support import htmx, player, teams

pytestmark = pytest.mark.django_db


def test_each_team_sees_the_items_in_its_own_order_and_its_debrief_the_same(
    exercise: Exercise,
) -> None:
    scenario = load(exercise.scenario)
    for number, team in enumerate(teams(exercise)):
        client, _ = player(exercise, f"Ana {number}", ["police-rs"], team)
        url = f"/x/{exercise.pk}/play/"
        data = {"role": "police-rs", "action": "treat-as-victim", "key": f"k{number}"}
        htmx(client, url + "act/", data)
        page = client.get(url).content.decode()
        seed = shuffle_seed(team)
        for action, pattern in (
            ("ask-mk", r'id="item-ask-mk-(\w+)"'),
            ("order-steps", r'id="order-order-steps-(\w+)"'),
        ):
            expected = [i.id for i in shown_items(scenario.actions[action], seed)]
            assert re.findall(pattern, page) == expected
        answer = {"role": "police-rs", "action": "ask-mk", "item": ["dates", "plates"]}
        htmx(client, url + "act/", {**answer, "key": f"a{number}"})
        team.refresh_from_db()
        row = next(r for r in team_report(team).steps if r.step.ref == "ask-mk")
        words = {"plates": "The plates", "dates": "The dates", "gossip": "Rumours"}
        order = [i.id for i in shown_items(scenario.actions["ask-mk"], seed)]
        assert row.answer_items == [(words[i], "" if i == "gossip" else "✓") for i in order]


def test_without_a_team_the_written_order_is_kept() -> None:
    assert shuffle_seed(None) is None


def test_the_page_follows_the_shuffled_order_not_the_written_one(
    exercise: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A seed whose order differs from the written one (plates, dates, gossip) for both inputs.
    monkeypatch.setattr("caseroom.exercises.player.shuffle_seed", lambda team: "team-1")
    client, _ = player(exercise, "Ana", ["police-rs"])
    url = f"/x/{exercise.pk}/play/"
    htmx(client, url + "act/", {"role": "police-rs", "action": "treat-as-victim", "key": "k"})
    page = client.get(url).content.decode()
    assert re.findall(r'id="item-ask-mk-(\w+)"', page) == ["gossip", "plates", "dates"]
    assert re.findall(r'id="order-order-steps-(\w+)"', page) == ["free", "close", "rapport"]
