"""The public answering page, end to end with Django's test client."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseroom.surveys import actions
from caseroom.surveys.models import QuestionnaireVersion, Response, Round

pytestmark = pytest.mark.django_db

FILLED = {
    "q-age": "34",
    "q-agency": "police",
    "q-victim": "yes",
    "q-signs": ["debt", "control"],
    "q-hours": "12.5",
    "q-since": "2019-03-01",
    "q-consent": "on",
}


def _key(page: Any) -> str:
    found = re.search(r'name="key" value="([0-9a-f]{32})"', page.content.decode())
    assert found, "the form carries an idempotency key"
    return found[1]


def test_a_code_leads_to_the_questionnaire_and_answers_to_the_thank_you(
    client: Client, round_: Round
) -> None:
    page = client.post(reverse("surveys:find"), {"code": round_.code.lower()})
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:answer", args=[round_.code])
    page = client.get(page["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "<strong>Answer</strong> every question." in body  # the note's Markdown
    assert 'id="q-other" hidden' in body  # not relevant until "Other" is chosen
    sent = client.post(reverse("surveys:answer", args=[round_.code]), {**FILLED, "key": _key(page)})
    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert "Your score: 3 of 3." in thanks.content.decode()
    response = Response.objects.get()
    assert response.answers["signs"] == ["debt", "control"]
    assert response.language == "en"


def test_missing_and_wrong_answers_are_shown_next_to_their_questions(
    client: Client, round_: Round
) -> None:
    url = reverse("surveys:answer", args=[round_.code])
    page = client.post(url, {**FILLED, "q-age": "12", "q-agency": "other", "q-consent": ""})
    assert page.status_code == 400
    body = page.content.decode()
    assert "Please look at the answers marked below." in body
    for question, words in [
        ("age", "Between 18 and 99"),  # the author's constraint message
        ("other", "This question needs an answer."),  # relevant now, and required
        ("consent", "This question needs an answer."),
    ]:
        block = body[body.index(f'id="q-{question}"') :]
        assert words in block[: block.index("</div>") + 1000], question
    assert not Response.objects.exists()


def test_the_same_submit_twice_is_stored_once(client: Client, round_: Round) -> None:
    url = reverse("surveys:answer", args=[round_.code])
    key = _key(client.get(url))
    for _ in range(2):
        assert client.post(url, {**FILLED, "key": key}).status_code == 302
    assert Response.objects.count() == 1


def test_relevance_is_recomputed_by_the_part_on_every_change(client: Client, round_: Round) -> None:
    part_url = reverse("surveys:answer_part", args=[round_.code])
    part = client.post(part_url, {"q-agency": "other"}, headers={"HX-Request": "true"})
    body = part.content.decode()
    assert body.lstrip().startswith('<div id="questionnaire-items"')
    assert 'id="q-other" hidden' not in body and 'id="q-other"' in body
    assert "This question needs an answer." not in body  # no errors while answering
    # Under 18: the knowledge group is not asked.
    part = client.post(part_url, {"q-age": "15"}, headers={"HX-Request": "true"})
    assert 'id="g-test" hidden' in part.content.decode()


def test_the_page_has_no_inline_script_and_posts_its_part_with_htmx(
    client: Client, round_: Round
) -> None:
    body = client.get(reverse("surveys:answer", args=[round_.code])).content.decode()
    assert "<script>" not in body and " on" + "change=" not in body
    assert f'hx-post="{reverse("surveys:answer_part", args=[round_.code])}"' in body
    assert 'hx-trigger="change"' in body


def test_labels_are_in_the_readers_language(client: Client, round_: Round) -> None:
    client.post(reverse("set_language"), {"language": "sq"})
    body = client.get(reverse("surveys:answer", args=[round_.code])).content.decode()
    assert "Mosha juaj" in body and "Policia" in body
    assert "Your age" not in body
    client.post(reverse("surveys:answer", args=[round_.code]), {**FILLED, "key": "k"})
    assert Response.objects.get().language == "sq"


def test_a_language_the_form_lacks_shows_its_default_language(
    client: Client, round_: Round
) -> None:
    client.post(reverse("set_language"), {"language": "mk"})
    body = client.get(reverse("surveys:answer", args=[round_.code])).content.decode()
    assert "Your age" in body


def test_a_closed_round_says_so_and_stores_nothing(client: Client, round_: Round) -> None:
    url = reverse("surveys:answer", args=[round_.code])
    key = _key(client.get(url))
    actions.close_round(round_)
    assert "no longer takes answers" in client.get(url).content.decode()
    page = client.post(url, {**FILLED, "key": key})
    assert "no longer takes answers" in page.content.decode()
    assert not Response.objects.exists()


def test_a_round_not_open_yet_says_so(client: Client, version: QuestionnaireVersion) -> None:
    later = actions.create_round(
        version, "Post-test", opens_at=timezone.now() + dt.timedelta(days=3)
    )
    page = client.get(reverse("surveys:answer", args=[later.code]))
    assert "not open yet" in page.content.decode()


def test_a_round_that_is_not_anonymous_is_not_answered_here(
    client: Client, version: QuestionnaireVersion
) -> None:
    named = actions.create_round(version, "Follow-up", anonymous=False)
    assert client.get(reverse("surveys:answer", args=[named.code])).status_code == 404


def test_unknown_codes_are_throttled_after_thirty_failures(client: Client, round_: Round) -> None:
    for attempt in range(30):
        page = client.post(
            reverse("surveys:find"), {"code": f"ZZZZZZ{'ABCDEFGHJK'[attempt % 10]}A"}
        )
        assert page.status_code == 404
        assert "No questionnaire has this code." in page.content.decode()
    page = client.post(reverse("surveys:find"), {"code": round_.code})
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    # The answering URLs are guessable too: the same counter guards them.
    assert client.get(reverse("surveys:answer", args=[round_.code])).status_code == 429


def test_a_malformed_code_is_explained_without_counting_a_failure(client: Client) -> None:
    page = client.post(reverse("surveys:find"), {"code": "12"})
    assert page.status_code == 400
    assert "8 letters and digits" in page.content.decode()
