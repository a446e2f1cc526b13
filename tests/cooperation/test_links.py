"""A round's personal links after they are made: each with its status, filtered, counted per
country through the small-cell rule, withdrawn after a confirmation, more made, and the
response rates on the gap page counting from them; a fixed number of queries."""

from __future__ import annotations

import random

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.cooperation import actions
from caseroom.cooperation.links import status_expression
from caseroom.cooperation.models import Round
from caseroom.demo.cooperation import synthetic_answers
from caseroom.surveys import actions as surveys
from caseroom.surveys.invitations import status_of
from caseroom.surveys.models import Invitation, Response
from tests.cooperation.conftest import LEVELS

PEOPLE = [(f"RS-{n}", "RS", "police") for n in range(1, 7)] + [
    ("ME-1", "ME", "judiciary"),
    ("ME-2", "ME", "judiciary"),
]


def _answers(country: str, agency: str, seed: int = 1) -> dict[str, object]:
    return synthetic_answers(random.Random(seed), country, agency, LEVELS)


@pytest.fixture
def links(round_: Round) -> dict[str, tuple[Invitation, str]]:
    """RS-1 a draft, RS-2 answered, RS-3 withdrawn, RS-4 answered then withdrawn; the rest
    not started."""
    made = {
        invitation.label: (invitation, token)
        for invitation, token in actions.invite(round_, PEOPLE)
    }
    survey = round_.survey
    surveys.save_draft(survey, {"mla_made": "no"}, respondent_token=made["RS-1"][1])
    for label in ("RS-2", "RS-4"):
        surveys.submit(survey, _answers("RS", "police"), respondent_token=made[label][1])
    actions.revoke_link(made["RS-3"][0])
    actions.revoke_link(made["RS-4"][0])
    return made


def _page(client: Client, round_: Round, **filters: str):  # type: ignore[no-untyped-def]
    return client.get(reverse("cooperation:links", args=[round_.pk]), filters)


def test_each_link_shows_its_status(
    round_: Round, links: dict[str, tuple[Invitation, str]], coordinator_client: Client
) -> None:
    page = _page(coordinator_client, round_)
    assert page.status_code == 200
    rows = {row.label: (row.status, row.status_label) for row in page.context["listing"].rows}
    assert rows == {
        "RS-1": ("draft", "started"),
        "RS-2": ("submitted", "answers sent"),
        "RS-3": ("revoked", "withdrawn"),
        "RS-4": ("submitted", "answers sent"),
        "RS-5": ("not_started", "not started"),
        "RS-6": ("not_started", "not started"),
        "ME-1": ("not_started", "not started"),
        "ME-2": ("not_started", "not started"),
    }
    body = page.content.decode()
    assert "Serbia" in body and "Withdraw…" in body


def test_the_sql_status_is_the_one_surveys_gives(
    round_: Round, links: dict[str, tuple[Invitation, str]]
) -> None:
    found = Invitation.objects.select_related("response").annotate(state=status_expression())
    assert {i.label: i.state for i in found} == {i.label: status_of(i).code for i in found}


def test_links_are_filtered_by_country_agency_and_status(
    round_: Round, links: dict[str, tuple[Invitation, str]], coordinator_client: Client
) -> None:
    def labels(**filters: str) -> list[str]:
        return [
            row.label
            for row in _page(coordinator_client, round_, **filters).context["listing"].rows
        ]

    assert labels(country="ME") == ["ME-1", "ME-2"]
    assert labels(agency="police", status="not_started") == ["RS-5", "RS-6"]
    assert labels(status="submitted") == ["RS-2", "RS-4"]
    assert labels(status="revoked") == ["RS-3"]
    assert labels(country="RS", agency="judiciary") == []
    # A value the page did not offer is ignored, not a 500.
    page = _page(coordinator_client, round_, country="XX", status="lost", page="-3")
    assert page.status_code == 200 and len(page.context["listing"].rows) == 8


def test_counts_per_country_hide_small_groups(
    round_: Round, links: dict[str, tuple[Invitation, str]], coordinator_client: Client
) -> None:
    table = _page(coordinator_client, round_).context["listing"].counts
    assert table.min_cell == 5 and table.total == 8
    serbia = table.rows.index("Serbia")
    montenegro = table.rows.index("Montenegro")
    # Every status count of a country is under 5: hidden, and so is what would give one away.
    assert all(value in (None, 0) for value in table.cells[montenegro])
    assert all(value in (None, 0) for value in table.cells[serbia])
    # Montenegro's 2 links are hidden, and Serbia's 6 too: 8 − 6 would give them away.
    assert table.row_totals[montenegro] is None and table.row_totals[serbia] is None
    body = _page(coordinator_client, round_).content.decode()
    assert "hidden" in body.split('id="link-counts"')[1].split("</table>")[0]


def test_a_link_is_withdrawn_after_a_confirmation(
    client: Client,
    round_: Round,
    links: dict[str, tuple[Invitation, str]],
    coordinator_client: Client,
) -> None:
    invitation, token = links["RS-5"]
    url = reverse("cooperation:withdraw_link", args=[invitation.pk])
    confirm = coordinator_client.get(url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Withdraw the link “RS-5”?" in body and "Withdraw the link</button>" in body
    assert status_of(Invitation.objects.get(pk=invitation.pk)).code == "not_started", (
        "a GET writes nothing"
    )
    done = coordinator_client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("cooperation:links", args=[round_.pk])
    assert "The link “RS-5” is withdrawn: it no longer opens." in done.content.decode()
    assert (
        status_of(Invitation.objects.select_related("response").get(pk=invitation.pk)).code
        == "revoked"
    )
    assert client.get(reverse("surveys:invitation", args=[token])).status_code == 404
    again = coordinator_client.post(url, follow=True)
    assert "This link was already withdrawn." in again.content.decode()


def test_withdrawing_a_draft_says_it_will_never_be_sent(
    round_: Round, links: dict[str, tuple[Invitation, str]], coordinator_client: Client
) -> None:
    invitation, _token = links["RS-1"]
    page = coordinator_client.get(reverse("cooperation:withdraw_link", args=[invitation.pk]))
    assert "The answers saved as a draft are never sent." in page.content.decode()


def test_response_rates_count_links_handed_out_and_answers_sent_through_withdrawn_ones(
    round_: Round, links: dict[str, tuple[Invitation, str]], coordinator_client: Client
) -> None:
    result = coordinator_client.get(reverse("cooperation:round", args=[round_.pk])).context[
        "result"
    ]
    # 8 made, RS-3 withdrawn before answering: 7; RS-4's answers were sent, so it counts.
    assert result.invited.total == 7
    assert result.answered.total == 2 == Response.objects.filter(submitted_at__isnull=False).count()
    coordinator_client.post(reverse("cooperation:withdraw_link", args=[links["RS-6"][0].pk]))
    result = coordinator_client.get(reverse("cooperation:round", args=[round_.pk])).context[
        "result"
    ]
    assert result.invited.total == 6


def test_more_links_are_made_from_the_list(
    round_: Round, links: dict[str, tuple[Invitation, str]], coordinator_client: Client
) -> None:
    page = _page(coordinator_client, round_)
    assert reverse("cooperation:invitations", args=[round_.pk]) in page.content.decode()
    made = coordinator_client.post(
        reverse("cooperation:invitations", args=[round_.pk]), {"lines": "HR-1, HR, police"}
    )
    assert made["Content-Type"].startswith("text/csv")
    assert [
        row.label for row in _page(coordinator_client, round_, country="HR").context["listing"].rows
    ] == ["HR-1"]


def test_a_long_list_comes_in_pages_that_keep_the_filters(
    round_: Round, coordinator_client: Client
) -> None:
    actions.invite(round_, [(f"RS-{n:03d}", "RS", "police") for n in range(120)])
    actions.invite(round_, [("ME-1", "ME", "police")])
    first = _page(coordinator_client, round_, country="RS")
    listing = first.context["listing"]
    assert (listing.matching, listing.pages, len(listing.rows)) == (120, 3, 50)
    assert "?country=RS&amp;page=2" in first.content.decode()
    last = _page(coordinator_client, round_, country="RS", page="9")
    assert last.context["listing"].page == 3 and len(last.context["listing"].rows) == 20


@pytest.mark.parametrize("count", [10, 60])
def test_the_list_makes_the_same_queries_whatever_the_number_of_links(
    round_: Round,
    coordinator_client: Client,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    made = actions.invite(round_, [(f"RS-{n}", "RS", "police") for n in range(count)])
    for _invitation, token in made[: count // 5]:
        surveys.submit(round_.survey, _answers("RS", "police"), respondent_token=token)
    for invitation, _token in made[-3:]:
        actions.revoke_link(invitation)
    url = reverse("cooperation:links", args=[round_.pk])
    coordinator_client.get(url)  # the session and the form cache warm
    # session, user, round (with coordination and version), membership, the count table,
    # the links matching, the page of links with their responses
    with django_assert_num_queries(7):
        page = coordinator_client.get(url, {"agency": "police"})
    assert len(page.context["listing"].rows) == min(count, 50)
