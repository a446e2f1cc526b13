"""Drafts: saved with what is answered so far, checked for shape only, finished later by the
respondent who holds the secret (a resume code or a personal link)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.surveys import actions, results
from caseroom.surveys.models import Response, Round
from caseroom.surveys.tokens import new_resume_code
from tests.surveys.conftest import COOPERATION_ANSWERS

pytestmark = pytest.mark.django_db

PART = {"country": "rs", "agency": "police", "office": "rs_central"}


def test_a_draft_keeps_partial_answers_and_counts_nowhere(coop_round: Round) -> None:
    code = new_resume_code()
    draft = actions.save_draft(coop_round, PART, respondent_token=code, key="k1")
    assert draft.submitted_at is None and draft.saved_at is not None
    assert draft.answers == {**PART, "place": "rs/police", "sections_answered": 0}
    assert Response.objects.submitted().count() == 0
    summary = results.summarise(coop_round.version, Response.objects.filter(round=coop_round))
    assert summary.responses == 0


def test_a_draft_survives_and_is_finished_later_with_its_code(coop_round: Round) -> None:
    code = new_resume_code()
    actions.save_draft(coop_round, PART, respondent_token=code, key="k1")
    # Later, on another device: the same code, the answers completed.
    again = actions.save_draft(
        coop_round, {**PART, "mla_sent": "no"}, respondent_token=code.lower().replace("-", " ")
    )
    assert again.answers["mla_sent"] == "no"
    finished = actions.submit(
        coop_round, {**COOPERATION_ANSWERS}, respondent_token=code, key="send"
    )
    assert finished.pk == again.pk and finished.submitted_at is not None
    assert Response.objects.count() == 1
    with pytest.raises(actions.AlreadySubmitted):
        actions.save_draft(coop_round, PART, respondent_token=code)
    with pytest.raises(actions.AlreadySubmitted):
        actions.submit(coop_round, COOPERATION_ANSWERS, respondent_token=code, key="other")
    # The same send repeated (same key) is the response already stored.
    assert actions.submit(coop_round, COOPERATION_ANSWERS, key="send").pk == finished.pk


def test_a_draft_is_checked_for_shape_not_for_what_is_missing(coop_round: Round) -> None:
    code = new_resume_code()
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.save_draft(coop_round, {**PART, "years": "many"}, respondent_token=code)
    assert refused.value.complaints["years"].code == "not_a_whole_number"
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.save_draft(coop_round, {**PART, "office": "me_central"}, respondent_token=code)
    assert refused.value.complaints["office"].code == "not_a_choice"  # another country's
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.save_draft(coop_round, {**PART, "mla_count": 3}, respondent_token=code)
    assert refused.value.complaints["mla_count"].code == "not_relevant"
    assert not Response.objects.exists()
    # Finishing checks everything: required questions now count.
    actions.save_draft(coop_round, PART, respondent_token=code)
    with pytest.raises(actions.InvalidAnswers) as refused:
        actions.submit(coop_round, PART, respondent_token=code)
    assert refused.value.complaints["mla_sent"].code == "required"
    assert Response.objects.get().submitted_at is None


def test_a_closed_round_keeps_no_draft(coop_round: Round) -> None:
    actions.close_round(coop_round)
    with pytest.raises(actions.RoundClosed):
        actions.save_draft(coop_round, PART, respondent_token=new_resume_code())


def _key(page: Any) -> str:
    found = re.search(r'name="key" value="([0-9a-f]{32})"', page.content.decode())
    assert found
    return found[1]


def _posted(answers: dict[str, Any]) -> dict[str, Any]:
    return {f"q-{name}": value for name, value in answers.items()}


def test_save_and_continue_later_on_the_round_code_page(client: Client, coop_round: Round) -> None:
    url = reverse("surveys:answer", args=[coop_round.code])
    page = client.get(url)
    assert "Save and continue later" in page.content.decode()
    saved = client.post(url, {**_posted(PART), "key": _key(page), "save": "1"})
    assert saved.status_code == 302
    page = client.get(url)
    body = page.content.decode()
    code = re.search(r'class="resume-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', body)
    assert code, "the resume code is shown after the first save"
    assert 'value="rs_central" id="id_q-office_0" checked' in body  # the draft's answer
    # Another device: the code brings the draft back.
    other = Client()
    resumed = other.post(
        reverse("surveys:resume", args=[coop_round.code]), {"code": code[1].lower()}
    )
    assert resumed.status_code == 302
    page = other.get(url)
    assert 'value="rs_central" id="id_q-office_0" checked' in page.content.decode()
    sent = other.post(url, {**_posted(COOPERATION_ANSWERS), "key": _key(page)})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert response.submitted_at is not None and response.answers["country"] == "me"


def test_a_wrong_resume_code_says_so_and_is_throttled(client: Client, coop_round: Round) -> None:
    url = reverse("surveys:resume", args=[coop_round.code])
    for _attempt in range(30):
        page = client.post(url, {"code": "ZZZZ-ZZZZ"})
        assert "No saved answers have this code." in page.content.decode()
    assert client.post(url, {"code": "ZZZZ-ZZZZ"}).status_code == 429


def test_rounds_without_drafts_offer_no_saving(client: Client, round_: Round) -> None:
    page = client.get(reverse("surveys:answer", args=[round_.code]))
    assert "Save and continue later" not in page.content.decode()


def test_the_page_refuses_answers_to_questions_not_in_the_form(
    client: Client, coop_round: Round
) -> None:
    url = reverse("surveys:answer", args=[coop_round.code])
    posted = {**_posted(COOPERATION_ANSWERS), "q-salary": "1000", "key": "k"}
    page = client.post(url, posted)
    assert page.status_code == 400
    assert "questions this form does not have: salary" in page.content.decode()
    assert not Response.objects.exists()


def test_the_page_refuses_an_answer_that_no_longer_applies_and_shows_it(
    client: Client, coop_round: Round
) -> None:
    # Sent without JavaScript: "no" request sent, but a number of requests still typed.
    url = reverse("surveys:answer", args=[coop_round.code])
    answers = {**COOPERATION_ANSWERS, "mla_sent": "no"}
    del answers["mla_answered"], answers["mla_speed"]
    page = client.post(url, {**_posted(answers), "key": "k"})
    assert page.status_code == 400
    body = page.content.decode()
    block = body[body.index('id="q-mla_count"') :][:800]
    assert "does not apply" in block and "hidden" not in block[:40]
    assert not Response.objects.exists()


def test_a_question_that_stopped_applying_is_hidden_and_disabled(
    client: Client, coop_round: Round
) -> None:
    part = client.post(
        reverse("surveys:answer_part", args=[coop_round.code]),
        {"q-mla_sent": "no", "q-mla_count": "3"},
        headers={"HX-Request": "true"},
    )
    body = part.content.decode()
    assert 'id="q-mla_count" hidden' in body
    field = body[body.index('id="q-mla_count"') :][:700]
    assert "disabled" in field  # the browser will not send it


def test_the_choices_follow_the_country_chosen(client: Client, coop_round: Round) -> None:
    part_url = reverse("surveys:answer_part", args=[coop_round.code])
    body = client.post(part_url, {"q-country": "rs"}).content.decode()
    assert 'value="rs_north"' in body and 'value="me_central"' not in body
    body = client.post(part_url, {"q-country": "me"}).content.decode()
    assert 'value="me_central"' in body and 'value="rs_north"' not in body


def test_defaults_fill_the_empty_form_and_appearances_become_classes(
    client: Client, coop_round: Round
) -> None:
    body = client.get(reverse("surveys:answer", args=[coop_round.code])).content.decode()
    assert 'value="police" id="id_q-agency_0" checked' in body  # default: police
    assert 'name="q-years" value="1"' in body
    assert "appearance-likert" in body and "appearance-horizontal" in body
    assert 'id="q-mla_rate"' not in body  # a calculation is not shown
    assert "surveys/questionnaire.css" in body
