"""Every page of the surveys app × every kind of visitor, taken from the URLconf.

All of them are public (`@access.public`): what a visitor holds (a round's code, a personal
link's token, a resume code) is the key, so the matrix checks the other way round: an
unknown key is 404 for everyone, signed in or not, and a known key opens the page for
everyone alike. A new view is in the matrix the day it exists, and fails it until it
declares itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from caseroom.surveys import invitations
from caseroom.surveys.models import Round
from tests.conftest import logged_in
from tests.matrix import Page, pages_of

pytestmark = pytest.mark.django_db


PAGES: list[Page] = pages_of("surveys")
VISITORS = ("anonymous", "trainer", "admin")


def test_the_matrix_found_the_pages() -> None:
    assert {p.name for p in PAGES} >= {"surveys:answer", "surveys:invitation", "surveys:resume"}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_page_declares_itself_public(page: Page) -> None:
    assert page.public, f"{page.name}: add @access.public"


def _client(visitor: str, request: Any) -> Client:
    if visitor == "anonymous":
        return Client()
    user: User = request.getfixturevalue(visitor)
    return logged_in(user)


def _get_or_post(client: Client, url: str) -> HttpResponse:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response  # type: ignore[return-value]


KEYED = [page for page in PAGES if page.kwargs]


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("page", KEYED, ids=[p.name for p in KEYED])
def test_an_unknown_key_is_not_found_for_everyone(
    page: Page, visitor: str, request: pytest.FixtureRequest, coop_round: Round
) -> None:
    wrong = {"code": "ZZZZZZZZ", "token": "x" * 32}
    url = reverse(page.name, kwargs={k: wrong[k] for k in page.kwargs})
    assert _get_or_post(_client(visitor, request), url).status_code == 404


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_a_known_key_opens_the_page_for_everyone_alike(
    page: Page, visitor: str, request: pytest.FixtureRequest, coop_round: Round
) -> None:
    ((_invitation, token),) = invitations.invite(coop_round, [("Unit 7 (fictional)", "rs", "")])
    right = {"code": coop_round.code, "token": token}
    url = reverse(page.name, kwargs={k: right[k] for k in page.kwargs})
    status = _get_or_post(_client(visitor, request), url).status_code
    assert status in (200, 302, 400), f"{page.name} as {visitor}: {status}"
