"""Personal links: made in bulk, answered once, the respondent seeing only their own answers."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.surveys import actions, invitations
from caseroom.surveys.models import Invitation, Response, Round
from caseroom.surveys.tokens import token_hash
from tests.surveys.conftest import COOPERATION_ANSWERS

pytestmark = pytest.mark.django_db

ROWS = [
    ("Prosecution office, Podgorica (fictional)", "me", "prosecution"),
    ("Border police unit 4 (fictional)", "rs", "police"),
]


def _posted(answers: dict[str, Any]) -> dict[str, Any]:
    return {f"q-{name}": value for name, value in answers.items()}


def test_invitations_are_made_in_bulk_and_only_their_hash_is_kept(coop_round: Round) -> None:
    made = invitations.invite(coop_round, ROWS)
    assert [(i.label, i.country, i.agency) for i, _token in made] == ROWS
    for invitation, token in made:
        assert len(token) == 32 and token not in invitation.token_hash
        assert invitation.token_hash == token_hash(token)
    table = invitations.links_csv(made, lambda token: f"https://caseroom.example/answer/i/{token}/")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows[1]["link"].endswith(f"/answer/i/{made[1][1]}/")
    assert [invitations.status_of(i).code for i, _ in made] == ["not_started", "not_started"]


def test_a_bad_row_makes_no_invitation(coop_round: Round) -> None:
    with pytest.raises(actions.Refused, match="Row 2"):
        invitations.invite(coop_round, [ROWS[0], ("", "rs", "police")])
    with pytest.raises(actions.Refused, match="At most"):
        invitations.invite(coop_round, [ROWS[0]] * (invitations.MAX_INVITATIONS + 1))
    assert not Invitation.objects.exists()


def test_a_personal_link_answers_once_with_the_invitations_country_and_agency(
    client: Client, coop_round: Round
) -> None:
    (invitation, token), _other = invitations.invite(coop_round, ROWS)
    url = reverse("surveys:invitation", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Prosecution office, Podgorica" in body
    # The invitation answers the form's country: shown, checked, not changeable.
    select = body[body.index('<select name="q-country"') :]
    select = select[: select.index("</select>")]
    assert "disabled" in select[: select.index(">")]
    assert '<option value="me" selected>' in select
    saved = client.post(url, {**_posted({"office": "me_central"}), "key": "k1", "save": "1"})
    assert saved.status_code == 302
    draft = Response.objects.get()
    assert draft.submitted_at is None and draft.invitation == invitation
    assert draft.answers["country"] == "me" and draft.country == "me"
    assert invitations.status_of(Invitation.objects.get(pk=invitation.pk)).code == "draft"
    # Coming back with the link shows the draft; sending finishes it.
    page = client.get(url)
    assert 'value="me_central" id="id_q-office_0" checked' in page.content.decode()
    answers = {**COOPERATION_ANSWERS, "country": "rs"}  # tries another country: ignored
    sent = client.post(url, {**_posted(answers), "key": "k2"})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert response.submitted_at is not None
    assert (response.answers["country"], response.country, response.agency) == (
        "me",
        "me",
        "prosecution",
    )
    # Afterwards the link shows the respondent's own answers and takes no more.
    page = client.get(url)
    body = page.content.decode()
    assert "Your answers were sent" in body and "Translations took four months." in body
    again = client.post(url, {**_posted(COOPERATION_ANSWERS), "key": "k3"})
    assert "Your answers were sent" in again.content.decode()
    assert Response.objects.count() == 1


def test_one_respondent_never_sees_another_respondents_answers(
    client: Client, coop_round: Round
) -> None:
    (first, first_token), (_second, second_token) = invitations.invite(coop_round, ROWS)
    actions.submit(coop_round, COOPERATION_ANSWERS, respondent_token=first_token)
    body = client.get(reverse("surveys:invitation", args=[second_token])).content.decode()
    assert "Translations took four months." not in body
    assert "Your answers were sent" not in body


def test_the_action_refuses_a_second_response_to_one_invitation(coop_round: Round) -> None:
    (_invitation, token), _ = invitations.invite(coop_round, ROWS)
    actions.submit(coop_round, COOPERATION_ANSWERS, respondent_token=token)
    with pytest.raises(actions.AlreadySubmitted):
        actions.submit(coop_round, COOPERATION_ANSWERS, respondent_token=token)
    assert Response.objects.count() == 1


def test_a_withdrawn_link_no_longer_opens(client: Client, coop_round: Round) -> None:
    (invitation, token), _ = invitations.invite(coop_round, ROWS)
    invitations.revoke(invitation)
    assert invitations.status_of(invitation).code == "revoked"
    assert client.get(reverse("surveys:invitation", args=[token])).status_code == 404
    with pytest.raises(actions.UnknownRespondent):
        actions.save_draft(coop_round, {}, respondent_token=token)


def test_wrong_tokens_are_throttled(client: Client, coop_round: Round) -> None:
    for attempt in range(30):
        page = client.get(reverse("surveys:invitation", args=[f"wrong-token-{attempt:020d}"]))
        assert page.status_code == 404
        assert "This link is not valid" in page.content.decode()
    (_invitation, token), _ = invitations.invite(coop_round, ROWS)
    assert client.get(reverse("surveys:invitation", args=[token])).status_code == 429


def test_a_link_of_a_closed_round_says_it_is_closed(client: Client, coop_round: Round) -> None:
    (_invitation, token), _ = invitations.invite(coop_round, ROWS)
    actions.close_round(coop_round)
    page = client.get(reverse("surveys:invitation", args=[token]))
    assert "no longer takes answers" in page.content.decode()
