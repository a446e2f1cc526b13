"""The facilitator changes their mind: a merge undone, a card moved or taken off the board, an
empty cluster removed, a recommendation changed or withdrawn (its measure follows while it is
only planned, and is kept for the record otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Coordination, Measure
from caseroom.workshops import actions
from caseroom.workshops.actions import Refused
from caseroom.workshops.board import board_of
from caseroom.workshops.models import Card, Cluster, Participant, Recommendation, Theme

pytestmark = pytest.mark.django_db


def _recommendation(
    theme: Theme, coordination: Coordination | None, facilitator: User
) -> Recommendation:
    return actions.draft_recommendation(
        theme,
        text="Set up a regional MLA contact list",
        institution="Ministry of Justice",
        country="North Macedonia",
        priority="high",
        timeframe="short",
        clusters=[],
        coordination=coordination,
        due_on=dt.date(2027, 6, 30),
        by=facilitator,
    )


def test_an_unmerged_card_stands_on_its_own_again(ana: Participant, theme: Theme) -> None:
    first = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    copy = actions.post_card(ana, theme, kind="gap", text="MLA is slow")
    actions.merge_cards(copy, first)
    assert board_of(theme).duplicates == 1
    version = Theme.objects.get(pk=theme.pk).version

    actions.unmerge_card(copy)

    board = board_of(theme)
    assert board.duplicates == 0 and {c.pk for c in board.gaps} == {first.pk, copy.pk}
    assert Theme.objects.get(pk=theme.pk).version == version + 1  # the phones are nudged


def test_a_card_moves_between_clusters_and_out_of_them(ana: Participant, theme: Theme) -> None:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    mla = actions.cluster_cards(theme, "MLA", [card])
    jit = actions.cluster_cards(theme, "JIT", [])

    assert actions.move_card(card, jit).cluster_id == jit.pk
    assert actions.move_card(card, None).cluster_id is None
    assert board_of(theme).unclustered[0].pk == card.pk
    assert Cluster.objects.filter(pk=mla.pk).exists()


def test_a_card_cannot_move_to_another_themes_cluster(
    ana: Participant, theme: Theme, workshop: object
) -> None:
    other = Theme.objects.exclude(pk=theme.pk).first()
    assert other is not None
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    foreign = actions.cluster_cards(other, "Elsewhere", [])
    with pytest.raises(Refused) as refused:
        actions.move_card(card, foreign)
    assert refused.value.code == "other_theme"


def test_removing_a_card_frees_its_duplicates(ana: Participant, theme: Theme) -> None:
    first = actions.post_card(ana, theme, kind="gap", text="Victim's phone number 070 123 456")
    copy = actions.post_card(ana, theme, kind="gap", text="Slow referral")
    actions.merge_cards(copy, first)

    actions.remove_card(first)

    assert list(Card.objects.values_list("pk", "merged_into")) == [(copy.pk, None)]


def test_a_cluster_with_votes_is_kept_and_one_without_is_removed(
    ana: Participant, theme: Theme
) -> None:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    voted = actions.cluster_cards(theme, "MLA", [card])
    empty = actions.cluster_cards(theme, "Nothing yet", [])
    actions.set_voting(theme, True)
    actions.vote(ana, voted)

    with pytest.raises(Refused) as refused:
        actions.delete_cluster(voted)
    assert refused.value.code == "voted"
    actions.delete_cluster(empty)
    assert list(Cluster.objects.values_list("title", flat=True)) == ["MLA"]


def test_changing_a_recommendation_changes_its_planned_measure(
    theme: Theme, coordination: Coordination, facilitator: User
) -> None:
    drafted = _recommendation(theme, coordination, facilitator)

    changed, followed = actions.edit_recommendation(
        drafted,
        text="Publish a regional MLA contact list",
        institution="Ministry of Justice",
        country="",
        priority="medium",
        timeframe="medium",
        clusters=[],
    )

    assert followed and changed.priority == "medium"
    measure = Measure.objects.get()
    assert (measure.what, measure.institution) == (
        "Publish a regional MLA contact list",
        "Ministry of Justice",
    )


def test_a_measure_under_way_keeps_its_wording_when_the_recommendation_changes(
    theme: Theme, coordination: Coordination, facilitator: User
) -> None:
    drafted = _recommendation(theme, coordination, facilitator)
    assert drafted.measure is not None
    cooperation.update_measure(drafted.measure, status=Measure.Status.IN_PROGRESS)

    _changed, followed = actions.edit_recommendation(
        drafted,
        text="Something else",
        institution="Ministry of Interior",
        country="",
        priority="low",
        timeframe="long",
        clusters=[],
    )

    assert not followed
    assert Measure.objects.get().what == "Set up a regional MLA contact list"


def test_withdrawing_a_recommendation_drops_its_planned_measure_and_keeps_the_record(
    theme: Theme, coordination: Coordination, facilitator: User
) -> None:
    drafted = _recommendation(theme, coordination, facilitator)

    assert actions.withdraw_recommendation(drafted, by=facilitator) is True

    assert not Recommendation.objects.exists()
    measure = Measure.objects.get()
    assert measure.status == Measure.Status.DROPPED
    assert "withdrawn at the workshop" in measure.evidence


def test_withdrawing_leaves_a_measure_that_is_done_alone(
    theme: Theme, coordination: Coordination, facilitator: User
) -> None:
    drafted = _recommendation(theme, coordination, facilitator)
    assert drafted.measure is not None
    cooperation.update_measure(drafted.measure, status=Measure.Status.DONE)

    assert actions.withdraw_recommendation(drafted) is False
    assert Measure.objects.get().status == Measure.Status.DONE


def test_the_console_edits_and_withdraws_through_its_pages(
    theme: Theme, coordination: Coordination, facilitator: User, facilitator_client: Client
) -> None:
    drafted = _recommendation(theme, coordination, facilitator)
    url = reverse("workshops:recommendation_edit", args=[drafted.pk])
    assert "Set up a regional MLA contact list" in facilitator_client.get(url).content.decode()

    answer = facilitator_client.post(
        url,
        {
            "text": "",
            "institution": "Ministry of Justice",
            "priority": "high",
            "timeframe": "short",
        },
    )
    assert answer.status_code == 200 and "This field is required" in answer.content.decode()

    answer = facilitator_client.post(
        url,
        {
            "text": "A contact list per country",
            "institution": "Ministry of Justice",
            "priority": "high",
            "timeframe": "short",
        },
        follow=True,
    )
    assert "The recommendation and its measure are changed." in answer.content.decode()
    assert Measure.objects.get().what == "A contact list per country"

    facilitator_client.post(reverse("workshops:recommendation_withdraw", args=[drafted.pk]))
    assert not Recommendation.objects.exists()


def test_the_console_board_answers_204_while_nothing_changed(
    ana: Participant, theme: Theme, facilitator_client: Client
) -> None:
    url = reverse("workshops:console_part", args=[theme.pk])
    version = Theme.objects.get(pk=theme.pk).version
    assert facilitator_client.get(url, {"v": version}).status_code == 204

    actions.post_card(ana, theme, kind="practice", text="Joint training of border police")

    answer = facilitator_client.get(url, {"v": version})
    assert answer.status_code == 200
    assert "Joint training of border police" in answer.content.decode()


def test_the_manage_page_counts_participants_with_small_cells_hidden_and_lists_names(
    workshop: object, ana: Participant, boris: Participant, facilitator_client: Client
) -> None:
    page = facilitator_client.get(reverse("workshops:manage", args=[ana.workshop_id]))
    html = page.content.decode()
    assert "Participants by country and agency" in html
    # Two people, each alone in their cell: every count is hidden but the total.
    assert "<td>1</td>" not in html and "<td>–</td>" in html
    assert "Ana" in html and "Boris" in html  # the attendance list, for the facilitator
    assert "<title>Regional workshop" in html
