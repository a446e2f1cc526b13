"""The request board: members post where and on what they need a counterpart; texts with
obvious identifiers are refused with the matched span; answers are private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from caseroom.jitnetwork.identifiers import find_identifiers
from caseroom.jitnetwork.models import POST_CHARS, Answer, Area, Expert, Request

from .conftest import make_expert, verified


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("call the officer at +389 70 123 456 tonight", "phone", "+389 70 123 456"),
        ("call 070/123-456", "phone", "070/123-456"),
        ("money went to MK07 2501 2000 0058 984 last year", "iban", "MK07 2501 2000 0058 984"),
        ("account de89370400440532013000", "iban", "de89370400440532013000"),
        ("suspect born, JMBG 0101990450001", "id", "0101990450001"),
        ("passport AB1234567 seized", "id", "AB1234567"),
        ("victim wrote from marija.p@mail.example", "email", "marija.p@mail.example"),
    ],
)
def test_obvious_identifiers_are_found_with_their_span(text: str, kind: str, found: str) -> None:
    [finding] = find_identifiers(text)
    assert (finding.kind, finding.text) == (kind, found)
    assert text[finding.start : finding.end] == found


@pytest.mark.parametrize(
    "text",
    [
        "Looking for a prosecutor in Serbia for a JIT on labour exploitation, 2024-2025.",
        "JITs in 2019, 2022 with 3 countries under Art. 13 of the 2000 Convention.",
        "Financial investigator for asset recovery, case of 12 victims, 2023/2024.",
    ],
)
def test_ordinary_requests_pass_the_check(text: str) -> None:
    assert find_identifiers(text) == []


def test_a_member_posts_a_request_once_and_others_answer_privately(mira: Expert) -> None:
    goran, vesna = make_expert("goran", country="AL"), make_expert("vesna", country="RS")
    author = verified(mira.user)
    post = {"country": "RS", "area": Area.MLA, "text": "Prosecutor for a JIT on MLA", "key": "k1"}
    first = author.post(reverse("jitnetwork:board"), post)
    assert first.status_code == 302
    author.post(reverse("jitnetwork:board"), post)
    wanted = Request.objects.get()
    assert first["Location"] == reverse("jitnetwork:request", args=[wanted.pk])

    url = reverse("jitnetwork:request", args=[wanted.pk])
    verified(goran.user).post(url, {"text": "I set one up with Serbia in 2022.", "key": "a"})
    verified(goran.user).post(url, {"text": "I set one up with Serbia in 2022.", "key": "a"})
    verified(vesna.user).post(url, {"text": "I am in Belgrade, glad to help.", "key": "b"})
    assert Answer.objects.count() == 2, "a repeated answer is one"

    assert b"Belgrade" in author.get(url).content and b"Serbia in 2022" in author.get(url).content
    goran_sees = verified(goran.user).get(url).content
    assert b"Serbia in 2022" in goran_sees and b"Belgrade" not in goran_sees
    assert b"Prosecutor for a JIT on MLA" in verified(vesna.user).get(url).content


def test_a_request_with_a_phone_number_is_refused_quoting_it(mira: Expert) -> None:
    page = verified(mira.user).post(
        reverse("jitnetwork:board"),
        {"country": "RS", "area": Area.MLA, "text": "Victim's mother: +381 64 123 4567"},
    )
    assert page.status_code == 200
    assert "“+381 64 123 4567” (characters 18–33)" in page.content.decode()
    assert not Request.objects.exists()


def test_an_oversized_or_empty_post_is_refused_with_a_message(mira: Expert) -> None:
    client = verified(mira.user)
    for text in ("x" * (POST_CHARS + 1), "   "):
        page = client.post(
            reverse("jitnetwork:board"), {"country": "RS", "area": Area.MLA, "text": text}
        )
        assert page.status_code == 200
        assert page.context["form"].errors["text"]
    assert not Request.objects.exists()


def test_an_answer_with_an_e_mail_address_is_refused(mira: Expert) -> None:
    wanted = Request.objects.create(author=mira.user, country="RS", area="mla", text="x")
    other = make_expert("goran", country="AL")
    page = verified(other.user).post(
        reverse("jitnetwork:request", args=[wanted.pk]), {"text": "write to g@mail.example"}
    )
    assert page.status_code == 200
    assert "g@mail.example" in page.content.decode()
    assert not Answer.objects.exists()


def test_the_author_closes_a_request_and_it_takes_no_more_answers(mira: Expert) -> None:
    wanted = Request.objects.create(author=mira.user, country="RS", area="mla", text="x")
    other = make_expert("goran", country="AL")
    close = reverse("jitnetwork:close", args=[wanted.pk])
    assert verified(other.user).post(close).status_code == 403, "only the author closes"
    assert verified(mira.user).post(close).status_code == 302
    board = verified(other.user).get(reverse("jitnetwork:board"))
    assert wanted not in board.context["requests"]
    page = verified(other.user).post(
        reverse("jitnetwork:request", args=[wanted.pk]), {"text": "I can help"}
    )
    assert page.status_code == 200 and b"closed" in page.content
    assert not Answer.objects.exists()


def test_leaving_takes_ones_open_requests_off_the_board(mira: Expert) -> None:
    Request.objects.create(author=mira.user, country="RS", area="mla", text="x")
    verified(mira.user).post(reverse("jitnetwork:leave"))
    assert Request.objects.get().closed
