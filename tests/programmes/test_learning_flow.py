"""A participant on their phone: session code → name → personal code → tests → own score."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from caseroom.programmes.learning import actions
from caseroom.programmes.learning.personal import erase_tests, person_tests
from caseroom.programmes.models import (
    Enrolment,
    LearnerClaim,
    Module,
    Person,
    Session,
    SessionRound,
    TestResult,
)
from caseroom.surveys.models import Response

from .support_learning import EVALUATION, answers, open_all, plan, posted, take


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()  # the throttles count failures per address in the cache


@pytest.fixture
def ready(module: Module, session: Session, enrolment: Enrolment) -> Enrolment:
    plan(module)
    open_all(session, "pre", "post", "evaluation")
    return enrolment


def _sign_in(client: Client, session: Session, given: str, family: str, code: str = "") -> Any:
    client.post(reverse("programmes:take"), {"code": session.code.lower()})
    return client.post(
        reverse("programmes:take_who", kwargs={"session_id": session.pk}),
        {"given_name": given, "family_name": family, "personal_code": code},
    )


def _personal_code(client: Client, session: Session) -> str:
    page = client.get(reverse("programmes:take_home", kwargs={"session_id": session.pk}))
    text = page.content.decode()
    start = text.index('class="join-code">') + len('class="join-code">')
    return text[start : text.index("<", start)]


def test_the_participant_flow_end_to_end(ready: Enrolment, session: Session) -> None:
    phone = Client()
    found = phone.get(reverse("programmes:take") + f"?code={session.code}")
    assert found.status_code == 302
    assert found["Location"] == reverse("programmes:take_who", kwargs={"session_id": session.pk})
    # The name as typed on a phone: other case, Cyrillic for the family name.
    named = phone.post(
        found["Location"],
        {"given_name": "IVANA", "family_name": "Петровска", "personal_code": ""},
    )
    home = reverse("programmes:take_home", kwargs={"session_id": session.pk})
    assert named.status_code == 302 and named["Location"] == home
    code = _personal_code(phone, session)
    assert len(code.replace("-", "")) == 8
    assert code not in LearnerClaim.objects.get().personal_code_hash, "stored hashed"

    pre_url = reverse("programmes:take_pre", kwargs={"session_id": session.pk})
    page = phone.get(pre_url)
    assert page.status_code == 200 and b"q-consent" in page.content
    sent = phone.post(pre_url, posted(answers(4), key="k-pre"))
    assert sent.status_code == 302 and sent["Location"] == home
    phone.post(
        reverse("programmes:take_post", kwargs={"session_id": session.pk}),
        posted(answers(7), key="k-post"),
    )
    mine = phone.get(home).content.decode()
    assert "4 of 10" in mine and "7 of 10" in mine
    assert "Your learning gain: 0.50" in mine
    evaluation = SessionRound.objects.get(session=session, purpose="evaluation").round
    assert reverse("surveys:answer", args=[evaluation.code]) in mine
    result = TestResult.objects.get(enrolment=ready, purpose="post")
    assert (result.score, result.max_score) == (7, 10)


def test_a_second_device_needs_the_personal_code(ready: Enrolment, session: Session) -> None:
    first = Client()
    _sign_in(first, session, "Ivana", "Petrovska")
    code = _personal_code(first, session)

    other = Client()
    refused = _sign_in(other, session, "Ivana", "Petrovska")
    wrong = _sign_in(other, session, "Ivana", "Petrovska", code="AAAA-AAAA")
    unknown = _sign_in(other, session, "Nobody", "Atall")
    texts = {
        r.content.decode().split('role="alert">', 1)[1][:200] for r in (refused, wrong, unknown)
    }
    assert len(texts) == 1, "one wording for every failure"
    assert all(r.status_code == 400 for r in (refused, wrong, unknown))
    pre_url = reverse("programmes:take_pre", kwargs={"session_id": session.pk})
    assert other.post(pre_url, posted(answers(10))).status_code == 302
    assert not TestResult.objects.exists(), "a person cannot answer as another without the code"

    allowed = _sign_in(other, session, "ivana", "petrovska", code=code.lower())
    assert allowed.status_code == 302
    assert other.post(pre_url, posted(answers(3))).status_code == 302
    assert TestResult.objects.get().score == 3


def test_identification_failures_are_throttled(ready: Enrolment, session: Session) -> None:
    phone = Client()
    phone.post(reverse("programmes:take"), {"code": session.code})
    who = reverse("programmes:take_who", kwargs={"session_id": session.pk})
    for _ in range(10):
        phone.post(who, {"given_name": "Guess", "family_name": "Name"})
    blocked = phone.post(who, {"given_name": "Ivana", "family_name": "Petrovska"})
    assert blocked.status_code == 429
    assert not LearnerClaim.objects.exists()


def test_wrong_session_codes_are_answered_then_throttled(db: None) -> None:
    phone = Client()
    first = phone.post(reverse("programmes:take"), {"code": "ZZZZ2345"})
    assert first.status_code == 400 and b"No session has this code" in first.content
    for _ in range(30):
        phone.post(reverse("programmes:take"), {"code": "ZZZZ2345"})
    assert phone.post(reverse("programmes:take"), {"code": "ZZZZ2345"}).status_code == 429


def test_the_name_form_needs_the_session_code_first(ready: Enrolment, session: Session) -> None:
    stranger = Client()
    who = reverse("programmes:take_who", kwargs={"session_id": session.pk})
    answer = stranger.post(who, {"given_name": "Ivana", "family_name": "Petrovska"})
    assert answer.status_code == 302 and answer["Location"] == reverse("programmes:take")
    assert not LearnerClaim.objects.exists()


def test_a_closed_test_refuses(ready: Enrolment, session: Session) -> None:
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    actions.close_session_round(session, "pre")
    pre_url = reverse("programmes:take_pre", kwargs={"session_id": session.pk})
    assert b"This test is closed" in phone.get(pre_url).content
    sent = phone.post(pre_url, posted(answers(5), key="late"))
    assert b"This test is closed" in sent.content
    assert not TestResult.objects.exists() and not Response.objects.exists()


def test_a_test_not_opened_is_not_offered(
    module: Module, session: Session, enrolment: Enrolment
) -> None:
    plan(module)
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    page = phone.get(reverse("programmes:take_post", kwargs={"session_id": session.pk}))
    assert b"not open yet" in page.content


def test_a_test_is_answered_once_even_when_sent_twice(ready: Enrolment, session: Session) -> None:
    take(ready, "pre", 4)
    again = take(ready, "pre", 9)
    assert again.score == 4
    assert TestResult.objects.count() == 1 and Response.objects.count() == 1
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    pre_url = reverse("programmes:take_pre", kwargs={"session_id": session.pk})
    assert phone.get(pre_url)["Location"] == reverse(
        "programmes:take_home", kwargs={"session_id": session.pk}
    )


def test_incomplete_answers_come_back_next_to_the_question(
    ready: Enrolment, session: Session
) -> None:
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    partial = answers(10)
    del partial["ocg"]
    page = phone.post(
        reverse("programmes:take_pre", kwargs={"session_id": session.pk}), posted(partial)
    )
    assert page.status_code == 400
    assert b"This question needs an answer." in page.content
    assert not TestResult.objects.exists()


def test_the_evaluation_is_stored_without_a_respondent(ready: Enrolment, session: Session) -> None:
    evaluation = SessionRound.objects.get(session=session, purpose="evaluation").round
    assert evaluation.anonymous
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    sent = phone.post(reverse("surveys:answer", args=[evaluation.code]), posted(EVALUATION, "e1"))
    assert sent.status_code == 302
    response = Response.objects.get(round=evaluation)
    assert response.respondent == "" and response.key == "e1"
    assert not TestResult.objects.filter(response=response).exists()
    assert Person.objects.get().given_name not in str(response.answers)


def test_the_test_rounds_are_not_open_to_the_public_answer_page(
    ready: Enrolment, session: Session
) -> None:
    pre = SessionRound.objects.get(session=session, purpose="pre").round
    assert not pre.anonymous
    answer = Client().get(reverse("surveys:answer", args=[pre.code]))
    assert answer.status_code == 404


def test_the_questions_part_answers_for_the_signed_in_participant_only(
    ready: Enrolment, session: Session
) -> None:
    part = reverse("programmes:take_pre_part", kwargs={"session_id": session.pk})
    assert Client().post(part, {})["Location"] == reverse("programmes:take")
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    answer = phone.post(part, {"q-consent": "true"})
    assert answer.status_code == 200 and b'id="questionnaire-items"' in answer.content
    assert b"errorlist" not in answer.content, "no errors while answering"


def test_a_participants_browser_opens_no_staff_page(
    ready: Enrolment, session: Session, module: Module
) -> None:
    phone = Client()
    _sign_in(phone, session, "Ivana", "Petrovska")
    for name, pk in (
        ("session_tests", session.pk),
        ("session_results", session.pk),
        ("module_tests", module.pk),
        ("module_results", module.pk),
        ("results", module.programme_id),
    ):
        answer = phone.get(reverse(f"programmes:{name}", args=[pk]))
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"], name


def test_a_persons_tests_are_in_their_export_and_go_with_their_erasure(
    ready: Enrolment, session: Session
) -> None:
    take(ready, "pre", 4)
    take(ready, "post", 7)
    person = ready.person
    exported = person_tests(person)
    assert [(t["test"], t["score"]) for t in exported] == [("post", 7), ("pre", 4)]
    assert exported[0]["answers"]["ocg"] == "two"
    assert erase_tests(person) == 2
    assert not TestResult.objects.exists()
    assert not Response.objects.filter(round__programme_session__purpose__in=["pre", "post"])
