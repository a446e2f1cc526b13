"""The workshop's writes: posting, merging, clustering, voting, drafting recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from caseroom.cooperation.models import Coordination, Measure
from caseroom.workshops import actions, live
from caseroom.workshops.actions import Refused
from caseroom.workshops.models import Card, Participant, Theme, Vote, Workshop

pytestmark = pytest.mark.django_db


def test_a_new_workshop_has_the_five_themes_and_an_upper_case_join_code(
    workshop: Workshop,
) -> None:
    titles = list(workshop.themes.values_list("title", flat=True))
    assert titles == [
        "Prevention",
        "Prosecution",
        "Cross-border co-operation",
        "Assistance to victims",
        "Migrants and refugees",
    ]
    assert len(workshop.code) == 8 and workshop.code == workshop.code.upper()


def test_posting_the_same_card_twice_stores_it_once(ana: Participant, theme: Theme) -> None:
    first = actions.post_card(ana, theme, kind="gap", text="No interpreters at night", key="k1")
    again = actions.post_card(ana, theme, kind="gap", text="No interpreters at night", key="k1")
    assert first.pk == again.pk
    assert Card.objects.count() == 1


def test_an_empty_or_oversized_card_is_refused_with_a_clear_message(
    ana: Participant, theme: Theme
) -> None:
    with pytest.raises(Refused, match="Write something"):
        actions.post_card(ana, theme, kind="gap", text="   ")
    with pytest.raises(Refused, match="at most 1000 characters; this one has 1001"):
        actions.post_card(ana, theme, kind="gap", text="x" * 1001)
    with pytest.raises(Refused, match="gap or a good practice"):
        actions.post_card(ana, theme, kind="rumour", text="x")
    assert not Card.objects.exists()


def test_a_participant_of_one_workshop_cannot_post_to_another(
    facilitator: User, ana: Participant
) -> None:
    other = actions.create_workshop(
        facilitator,
        title="Another",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 1),
        place="Tirana",
    )
    with pytest.raises(Refused) as refused:
        actions.post_card(ana, other.themes.first() or Theme(), kind="gap", text="x")
    assert refused.value.code == "foreign_theme"


def test_a_post_nudges_the_board_after_the_commit(
    ana: Participant,
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    recorder = live.RecordingPublisher()
    monkeypatch.setattr(live, "publisher", recorder)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.post_card(ana, theme, kind="practice", text="Joint hotline", key="k")
        assert recorder.sent == [], "nobody is told before the commit"
    for callback in callbacks:
        callback()
    theme.refresh_from_db()
    assert recorder.sent == [(theme.pk, theme.version)]


def test_merging_keeps_one_level_and_refuses_a_card_into_itself(
    ana: Participant, boris: Participant, theme: Theme
) -> None:
    a = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    b = actions.post_card(boris, theme, kind="gap", text="MLA takes months")
    c = actions.post_card(boris, theme, kind="gap", text="MLA is slow")
    actions.merge_cards(b, a)
    actions.merge_cards(c, b)  # into b's original
    assert Card.objects.get(pk=c.pk).merged_into_id == a.pk
    with pytest.raises(Refused):
        actions.merge_cards(a, a)


def test_votes_are_limited_per_participant_and_theme(ana: Participant, theme: Theme) -> None:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    cluster = actions.cluster_cards(theme, "Mutual legal assistance", [card])
    with pytest.raises(Refused, match="not open"):
        actions.vote(ana, cluster)
    actions.set_voting(theme, True)
    for i in range(3):
        actions.vote(ana, cluster, key=f"v{i}")
    actions.vote(ana, cluster, key="v0")  # a repeat counts once
    with pytest.raises(Refused) as refused:
        actions.vote(ana, cluster, key="v3")
    assert refused.value.code == "no_votes_left"
    assert Vote.objects.filter(participant=ana).count() == 3


def test_a_recommendation_becomes_a_measure_once(
    ana: Participant, theme: Theme, coordination: Coordination, facilitator: User
) -> None:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    cluster = actions.cluster_cards(theme, "Mutual legal assistance", [card])

    def draft() -> object:
        return actions.draft_recommendation(
            theme,
            text="Set up a regional MLA contact list",
            institution="Ministry of Justice",
            country="North Macedonia",
            priority="high",
            timeframe="short",
            clusters=[cluster],
            coordination=coordination,
            due_on=dt.date(2026, 12, 31),
            key="r1",
            by=facilitator,
        )

    first, again = draft(), draft()
    assert first == again
    measure = Measure.objects.get()
    assert measure.origin_label == "Workshop: Regional workshop on victim identification"
    assert measure.institution == "Ministry of Justice (North Macedonia)"


def test_themes_can_be_added_and_renamed_but_not_to_a_title_taken(workshop: Workshop) -> None:
    added = actions.add_theme(workshop, "Labour exploitation")
    assert list(workshop.themes.values_list("title", flat=True))[-1] == "Labour exploitation"
    actions.rename_theme(added, "Labour exploitation and forced begging")
    with pytest.raises(Refused) as refused:
        actions.rename_theme(added, "Prevention")
    assert refused.value.code == "taken"
    with pytest.raises(Refused):
        actions.add_theme(workshop, "  ")
