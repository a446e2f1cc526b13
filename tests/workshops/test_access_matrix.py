"""Every page of the workshops app × every kind of visitor, taken from the URLconf (the
approach of tests/programmes/test_access_matrix.py).

Each view declares itself: `@access.needs(Can.X)` (the facilitator's console), `@access.phone`
(a joined participant's page), `@access.signed_in` or `@access.public`. Expected answers:

- facilitator (created the workshop) and superuser: a staff page opens; a phone page is 404
  (they have not joined from this browser);
- other staff: 404 on a staff page and on a phone page;
- a phone of this workshop: its pages open; a staff page sends it to log in;
- a phone of another workshop and a visitor with nothing: phone pages 404, staff pages log in;
- public pages open to all.
A POST-only view is posted to with empty data, in a savepoint rolled back after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from caseroom.workshops import actions
from caseroom.workshops.access import Can
from caseroom.workshops.models import Participant, Theme, Workshop
from tests.matrix import mismatch, pages_of

NAMESPACE = "workshops"


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    kwargs: tuple[str, ...]
    view: Callable[..., HttpResponse]

    def declared(self, what: str) -> bool:
        return getattr(self.view, what, False) is True

    @property
    def needs(self) -> Can | None:
        need = getattr(self.view, "needs", None)
        return need if isinstance(need, Can) else None

    @property
    def declarations(self) -> int:
        flags = sum(self.declared(what) for what in ("public", "signed_in", "phone"))
        return flags + (self.needs is not None)


PAGES = pages_of(NAMESPACE, Page)
VISITORS = ("facilitator", "superuser", "other_staff", "phone", "other_phone", "anonymous")


def expected(page: Page, visitor: str) -> str:
    if page.declared("public"):
        return "ok"
    if page.declared("phone"):
        return "ok" if visitor == "phone" else "missing"
    signed_in = visitor in ("facilitator", "superuser", "other_staff")
    if not signed_in:
        return "login"
    if page.declared("signed_in") or visitor != "other_staff":
        return "ok"
    return "missing"


def _join(workshop: Workshop, name: str) -> Client:
    client = Client()
    client.post(
        reverse("workshops:join"),
        {"code": workshop.code, "name": name, "country": "Kosovo", "agency": "Police"},
    )
    assert Participant.objects.filter(workshop=workshop, name=name).exists()
    return client


@pytest.fixture
def kwarg_values(workshop: Workshop, theme: Theme, ana: Participant) -> dict[str, int]:
    card = actions.post_card(ana, theme, kind="gap", text="Slow MLA")
    cluster = actions.cluster_cards(theme, "MLA", [card])
    recommendation = actions.draft_recommendation(
        theme,
        text="Set a time limit for MLA answers",
        institution="Ministry of Justice",
        country="",
        priority="high",
        timeframe="short",
        clusters=[cluster],
        coordination=None,
        due_on=dt.date(2027, 6, 1),
    )
    return {
        "workshop_id": workshop.pk,
        "theme_id": theme.pk,
        "cluster_id": cluster.pk,
        "card_id": card.pk,
        "recommendation_id": recommendation.pk,
    }


def _client(visitor: str, request: pytest.FixtureRequest, workshop: Workshop) -> Client:
    if visitor == "facilitator":
        client: Client = request.getfixturevalue("facilitator_client")
        return client
    if visitor == "other_staff":
        client = request.getfixturevalue("trainer_client")
        return client
    if visitor == "superuser":
        client = Client()
        client.force_login(User.objects.create_superuser("ada-admin", password="pw-ada"))
        return client
    if visitor == "phone":
        return _join(workshop, "Phone of this workshop")
    if visitor == "other_phone":
        other = actions.create_workshop(
            request.getfixturevalue("facilitator"),
            title="Other",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 1),
            place="Podgorica",
        )
        return _join(other, "Phone of another workshop")
    return Client()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_visitor_gets_what_the_page_declares(
    page: Page,
    kwarg_values: dict[str, int],
    workshop: Workshop,
    request: pytest.FixtureRequest,
) -> None:
    assert page.declarations == 1, (
        f"{page.name} declares exactly one of needs/phone/signed_in/public"
    )
    if page.declared("signed_in"):
        assert not page.kwargs, f"{page.name} is about one workshop: declare a capability"
    missing = set(page.kwargs) - set(kwarg_values)
    assert not missing, f"{page.name} takes {missing}: add it to kwarg_values"
    url = reverse(page.name, kwargs={name: kwarg_values[name] for name in page.kwargs})
    wrong = [
        problem
        for visitor in VISITORS
        if (
            problem := mismatch(
                expected(page, visitor), visitor, url, _client(visitor, request, workshop)
            )
        )
    ]
    assert not wrong, f"{url} ({page.name}):\n  " + "\n  ".join(wrong)


def test_the_matrix_finds_the_workshop_pages() -> None:
    names = {page.name for page in PAGES}
    assert {
        "workshops:join",
        "workshops:board",
        "workshops:console",
        "workshops:recommend",
    } <= names
