"""Phones join with the code and a name, post to a theme's board and vote; the facilitator's
console merges, clusters, opens voting and drafts recommendations into measures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseroom.cooperation.models import Coordination, Measure
from caseroom.workshops import actions
from caseroom.workshops.models import Card, Participant, Recommendation, Theme, Workshop

pytestmark = pytest.mark.django_db


def phone(workshop: Workshop, name: str = "Ana", code: str | None = None) -> Client:
    client = Client()
    answer = client.post(
        reverse("workshops:join"),
        {
            "code": code or workshop.code.lower()[:4] + "-" + workshop.code.lower()[4:],
            "name": name,
            "country": "Albania",
            "agency": "State Police",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    return client


def test_a_phone_joins_with_the_code_typed_loosely_and_sees_the_themes(
    workshop: Workshop,
) -> None:
    client = phone(workshop)
    home = client.get(reverse("workshops:home", args=[workshop.pk]))
    assert b"Cross-border co-operation" in home.content
    assert Participant.objects.get().name == "Ana"


def test_joining_cycles_the_session_key(workshop: Workshop) -> None:
    client = Client()
    client.get(reverse("workshops:join"))
    client.session.save()
    before = client.session.session_key
    phone_client = client
    phone_client.post(
        reverse("workshops:join"),
        {"code": workshop.code, "name": "Ana", "country": "AL", "agency": "Police"},
    )
    assert phone_client.session.session_key != before


def test_a_wrong_code_is_refused_with_a_clear_message(workshop: Workshop) -> None:
    answer = Client().post(
        reverse("workshops:join"),
        {"code": "ZZZZ-ZZZZ", "name": "Ana", "country": "AL", "agency": "x"},
    )
    assert answer.status_code == 200
    assert b"No workshop has this code" in answer.content


def test_guessing_codes_is_throttled(workshop: Workshop) -> None:
    client = Client()
    data = {"code": "ZZZZZZZZ", "name": "Ana", "country": "AL", "agency": "x"}
    statuses = [client.post(reverse("workshops:join"), data).status_code for _ in range(31)]
    assert statuses[-1] == 429


def test_a_phone_posts_a_card_once_even_when_the_form_is_sent_twice(
    workshop: Workshop, theme: Theme
) -> None:
    client = phone(workshop)
    data = {"kind": "gap", "text": "Shelters have no interpreters", "key": "abc"}
    for _ in range(2):
        assert client.post(reverse("workshops:post", args=[theme.pk]), data).status_code == 302
    assert Card.objects.count() == 1
    board = client.get(reverse("workshops:board", args=[theme.pk]))
    assert b"Shelters have no interpreters" in board.content


def test_an_oversized_or_empty_post_is_refused_next_to_the_form(
    workshop: Workshop, theme: Theme
) -> None:
    client = phone(workshop)
    url = reverse("workshops:post", args=[theme.pk])
    long = client.post(url, {"kind": "gap", "text": "x" * 1001, "key": "a"})
    assert long.status_code == 200
    assert "at most 1000 characters; this one has 1001" in long.content.decode()
    empty = client.post(url, {"kind": "gap", "text": "", "key": "b"})
    assert "Write something on the card first." in empty.content.decode()
    assert not Card.objects.exists()


def test_the_board_part_answers_204_when_nothing_changed(workshop: Workshop, theme: Theme) -> None:
    client = phone(workshop)
    url = reverse("workshops:board_part", args=[theme.pk])
    assert client.get(url, {"v": theme.version}).status_code == 204
    client.post(
        reverse("workshops:post", args=[theme.pk]), {"kind": "gap", "text": "x", "key": "k"}
    )
    fresh = client.get(url, {"v": theme.version})
    assert fresh.status_code == 200 and b'data-seq="1"' in fresh.content


def test_a_participant_of_one_workshop_cannot_open_or_post_to_another(
    workshop: Workshop, facilitator: User
) -> None:
    other = actions.create_workshop(
        facilitator,
        title="Other",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 1),
        place="Bar",
    )
    client = phone(workshop)
    theme = other.themes.get(position=0)
    assert client.get(reverse("workshops:board", args=[theme.pk])).status_code == 404
    data = {"kind": "gap", "text": "x", "key": "k"}
    assert client.post(reverse("workshops:post", args=[theme.pk]), data).status_code == 404
    assert not Card.objects.exists()


def test_phones_vote_only_while_voting_is_open_and_only_their_allowance(
    workshop: Workshop, theme: Theme, facilitator_client: Client
) -> None:
    client = phone(workshop)
    client.post(
        reverse("workshops:post", args=[theme.pk]), {"kind": "gap", "text": "Slow MLA", "key": "k"}
    )
    card = Card.objects.get()
    facilitator_client.post(
        reverse("workshops:cluster", args=[theme.pk]),
        {"title": "Legal assistance", "cards": [card.pk]},
    )
    cluster = theme.clusters.get()
    vote = reverse("workshops:vote", args=[cluster.pk])
    client.post(vote, {"key": "v0"})
    assert not cluster.votes.exists()
    facilitator_client.post(reverse("workshops:voting", args=[theme.pk]), {"open": "on"})
    for i in range(5):
        client.post(vote, {"key": f"v{i}"})
    assert cluster.votes.count() == 3
    page = client.get(reverse("workshops:board", args=[theme.pk]), follow=True)
    assert b"3 votes" in page.content


def test_the_facilitator_merges_clusters_and_drafts_a_recommendation_into_a_measure(
    workshop: Workshop,
    theme: Theme,
    ana: Participant,
    coordination: Coordination,
    facilitator_client: Client,
) -> None:
    a = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    b = actions.post_card(ana, theme, kind="gap", text="MLA takes months")
    facilitator_client.post(
        reverse("workshops:merge", args=[theme.pk]), {"duplicate": b.pk, "into": a.pk}
    )
    assert Card.objects.get(pk=b.pk).merged_into_id == a.pk
    facilitator_client.post(
        reverse("workshops:cluster", args=[theme.pk]), {"title": "MLA", "cards": [a.pk]}
    )
    cluster = theme.clusters.get()
    page = facilitator_client.get(reverse("workshops:console", args=[theme.pk]))
    assert page.status_code == 200 and b"MLA" in page.content
    answer = facilitator_client.post(
        reverse("workshops:recommend", args=[theme.pk]),
        {
            "text": "A regional MLA contact list",
            "institution": "Ministry of Justice",
            "country": "Montenegro",
            "priority": "high",
            "timeframe": "short",
            "clusters": [cluster.pk],
            "coordination": coordination.pk,
            "due_on": "2027-05-01",
            "key": "r",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    recommendation = Recommendation.objects.get()
    assert recommendation.measure == Measure.objects.get()
    assert list(recommendation.clusters.all()) == [cluster]


def test_only_the_facilitator_may_merge_cluster_or_draft(
    workshop: Workshop, theme: Theme, ana: Participant, trainer_client: Client
) -> None:
    a = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    b = actions.post_card(ana, theme, kind="gap", text="MLA takes months")
    phone_client = phone(workshop, "Boris")
    for client in (trainer_client, phone_client):
        for name, data in (
            ("merge", {"duplicate": b.pk, "into": a.pk}),
            ("cluster", {"title": "MLA", "cards": [a.pk]}),
            ("voting", {"open": "on"}),
        ):
            answer = client.post(reverse(f"workshops:{name}", args=[theme.pk]), data)
            assert answer.status_code in (302, 404)
            assert answer.status_code == 404 or "/accounts/login/" in answer["Location"]
    assert Card.objects.get(pk=b.pk).merged_into_id is None
    assert not theme.clusters.exists()


def test_the_board_costs_the_same_queries_for_ten_cards_or_a_hundred(
    workshop: Workshop, theme: Theme, ana: Participant
) -> None:
    client = phone(workshop)
    url = reverse("workshops:board_part", args=[theme.pk])

    def queries_with(cards: int) -> int:
        for i in range(cards):
            actions.post_card(ana, theme, kind="gap" if i % 2 else "practice", text=f"Card {i}")
        cluster = actions.cluster_cards(theme, f"Group {cards}", list(Card.objects.all()[:5]))
        actions.set_voting(theme, True)
        actions.vote(ana, cluster)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    assert queries_with(10) == queries_with(90)


def test_the_facilitator_adds_and_renames_a_theme(
    workshop: Workshop, facilitator_client: Client
) -> None:
    facilitator_client.post(
        reverse("workshops:theme_add", args=[workshop.pk]), {"title": "Labour exploitation"}
    )
    theme = workshop.themes.get(title="Labour exploitation")
    facilitator_client.post(
        reverse("workshops:theme_rename", args=[theme.pk]), {"title": "Begging"}
    )
    page = facilitator_client.get(reverse("workshops:manage", args=[workshop.pk]))
    assert b"Begging" in page.content
