"""Respondents of a self-assessment round: a draft saved through a personal link (or the round
code) and finished later, counted nowhere until it is sent."""

from __future__ import annotations

import csv
import io
import random
import re
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from caseroom.cooperation.models import Coordination, Round
from caseroom.demo.cooperation import synthetic_answers
from caseroom.surveys.models import Invitation, QuestionnaireVersion, Response
from tests.cooperation.conftest import LEVELS


def _key(page: Any) -> str:
    found = re.search(r'name="key" value="([0-9a-f]{32})"', page.content.decode())
    assert found, "the form carries its idempotency key"
    return found[1]


def _posted(answers: dict[str, Any]) -> dict[str, Any]:
    return {f"q-{name}": value for name, value in answers.items()}


def _link(coordinator_client: Client, round_: Round, line: str) -> str:
    made = coordinator_client.post(
        reverse("cooperation:invitations", args=[round_.pk]), {"lines": line}
    )
    [row] = list(csv.DictReader(io.StringIO(made.content.decode())))
    return urlsplit(row["link"]).path


def _status(coordinator_client: Client, round_: Round) -> str:
    page = coordinator_client.get(reverse("cooperation:links", args=[round_.pk]))
    return str(page.context["listing"].rows[0].status)


def test_rounds_are_opened_with_drafts(
    coordination: Coordination, version: QuestionnaireVersion, coordinator_client: Client
) -> None:
    coordinator_client.post(
        reverse("cooperation:new_round", args=[coordination.pk]), {"title": "2027 annual"}
    )
    made = Round.objects.get(title="2027 annual")
    assert made.survey.drafts
    page = Client().get(reverse("surveys:answer", args=[made.survey.code]))
    assert "Save and continue later" in page.content.decode()


def test_a_respondent_saves_a_draft_through_a_personal_link_and_finishes_later(
    round_: Round, coordinator_client: Client
) -> None:
    url = _link(coordinator_client, round_, "RS-7, RS, police")
    phone = Client()
    page = phone.get(url)
    assert page.status_code == 200 and "Save and continue later" in page.content.decode()
    part = {"mla_made": "no", "mla_basis": "partly", "mla_central": "yes"}
    saved = phone.post(url, {**_posted(part), "key": _key(page), "save": "1"})
    assert saved.status_code == 302
    draft = Response.objects.get()
    assert draft.submitted_at is None
    assert (draft.country, draft.agency, draft.answers["mla_basis"]) == ("RS", "police", "partly")
    assert _status(coordinator_client, round_) == "draft"
    gaps = coordinator_client.get(reverse("cooperation:round", args=[round_.pk]))
    assert gaps.context["result"].responses == 0, "a draft counts nowhere"

    # Days later, on another device: the link brings the draft back; sending finishes it.
    laptop = Client()
    page = laptop.get(url)
    assert re.search(r'value="partly" id="id_q-mla_basis_\d" checked', page.content.decode())
    answers = synthetic_answers(random.Random(5), "RS", "police", LEVELS)
    answers.pop("country"), answers.pop("agency")  # the link answers them
    sent = laptop.post(url, {**_posted(answers), "key": _key(page)})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert response.pk == draft.pk and response.submitted_at is not None
    assert response.answers["mla_basis"] == answers["mla_basis"]
    assert _status(coordinator_client, round_) == "submitted"
    gaps = coordinator_client.get(reverse("cooperation:round", args=[round_.pk]))
    assert gaps.context["result"].responses == 1
    assert gaps.context["result"].invited.total == 1
    # The link now shows the respondent's own answers and takes no second response.
    assert "Your answers were sent" in laptop.get(url).content.decode()
    assert Invitation.objects.get().response.pk == response.pk
