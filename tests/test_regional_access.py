"""One role × page matrix over the regional programme's three apps: the JIT expert network,
the legislation assessment and the workshops, for the six people issue 12 names.

The people and their seats, as a regional programme has them:
- anonymous: a browser with nothing;
- workshop participant: a phone that joined the workshop with its code (no account);
- member: a confirmed expert of the network (second factor passed), no other seat;
- national coordinator: the network's coordinator for North Macedonia (second factor passed),
  also North Macedonia's focal point in the coordination that owns the legislation matrix;
- network coordinator: the network's coordinator (second factor passed), coordinator of that
  coordination, and facilitator of the workshop;
- programme staff: a trainer (staff) with no seat in the network, the coordination or the
  workshop, and no second-factor device.

Every named URL of the three namespaces is found by walking the URLconf (tests/matrix.py),
so a new page is in the matrix the day it exists; what each person must get follows from the
page's declaration and the app's capability table, not from a list kept by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from caseroom.cooperation import actions as cooperation
from caseroom.cooperation.models import Membership
from caseroom.jitnetwork.access import ALLOWED as NETWORK_ALLOWED
from caseroom.jitnetwork.access import Standing
from caseroom.jitnetwork.models import NetworkRole, Request
from caseroom.legislation import actions as legislation
from caseroom.legislation.access import ALLOWED as LEGISLATION_ALLOWED
from caseroom.legislation.models import Criterion, Rating
from caseroom.workshops import actions as workshops
from caseroom.workshops.models import Participant
from tests.jitnetwork.conftest import make_expert, signed_in_only, verified
from tests.matrix import Page, pages_of

pytestmark = pytest.mark.django_db

PEOPLE = (
    "anonymous",
    "workshop_participant",
    "member",
    "national_coordinator",
    "network_coordinator",
    "programme_staff",
)
ACCOUNTS = ("member", "national_coordinator", "network_coordinator", "programme_staff")
STANDINGS = {
    "member": {Standing.MEMBER},
    "national_coordinator": {Standing.NATIONAL},
    "network_coordinator": {Standing.NETWORK},
}
SEATS = {
    "national_coordinator": Membership.Role.FOCAL_POINT,
    "network_coordinator": Membership.Role.COORDINATOR,
}
GATES = ("/accounts/login/", "/network/verify/", "/network/enrol/")


def _flag(page: Page, name: str) -> bool:
    return getattr(page.view, name, False) is True


def expected_network(page: Page, person: str) -> str:
    if person not in ACCOUNTS:
        return "login"
    if _flag(page, "signed_in"):
        return "ok"
    if person == "programme_staff":
        return "enrol"  # no device yet: every network page sends to enrolment first
    if _flag(page, "verified_only"):
        return "ok"
    assert page.needs is not None, f"{page.name} declares nothing"
    may = {c for standing in STANDINGS[person] for c in NETWORK_ALLOWED[standing]}
    return "ok" if page.needs in may else "forbidden"


def expected_legislation(page: Page, person: str) -> str:
    if page.public:
        return "ok"
    if person not in ACCOUNTS:
        return "login"
    if page.signed_in:
        return "ok"
    assert page.needs is not None, f"{page.name} declares nothing"
    if person not in SEATS:
        return "missing"  # no seat: the matrix's existence is not told
    return "ok" if page.needs in LEGISLATION_ALLOWED[SEATS[person]] else "forbidden"


def expected_workshops(page: Page, person: str) -> str:
    if _flag(page, "public"):
        return "ok"
    if _flag(page, "phone"):
        return "ok" if person == "workshop_participant" else "missing"
    if person not in ACCOUNTS:
        return "login"
    if _flag(page, "signed_in"):
        return "ok"
    return "ok" if person == "network_coordinator" else "missing"


APPS: dict[str, Callable[[Page, str], str]] = {
    "jitnetwork": expected_network,
    "legislation": expected_legislation,
    "workshops": expected_workshops,
}
PAGES: list[Page] = [page for namespace in APPS for page in pages_of(namespace, Page)]


@pytest.fixture
def world() -> tuple[dict[str, Client], dict[str, object]]:
    """The six browsers, and an object of each kind the pages take in their URLs."""
    mira = make_expert("mira")
    proposed = make_expert("pavle", country="RS", state="proposed")
    nada = User.objects.create_user("nada", password="pw")
    NetworkRole.objects.create(user=nada, role=NetworkRole.Role.NATIONAL_COORDINATOR, country="MK")
    nikola = User.objects.create_user("nikola", password="pw", is_staff=True)
    NetworkRole.objects.create(user=nikola, role=NetworkRole.Role.NETWORK_COORDINATOR)
    stefan = User.objects.create_user("stefan", password="pw", is_staff=True)

    coordination = cooperation.create_coordination("SEE JIT guidelines", by=nikola)
    cooperation.set_member(coordination, nada, Membership.Role.FOCAL_POINT, "MK")
    matrix = legislation.create_matrix(coordination, "JIT legislation 2027")
    criterion = legislation.add_criterion(
        matrix,
        code="JIT-01",
        question="May a JIT be set up by agreement between two or more states?",
        source=Criterion.Source.FD_2002_465,
        article="Art. 1(1)",
        position=1,
    )
    legislation.assess(criterion, "MK", {"rating": Rating.PARTLY}, by=nikola)

    workshop = workshops.create_workshop(
        nikola,
        title="Regional workshop",
        starts_on=dt.date(2026, 5, 12),
        ends_on=dt.date(2026, 5, 13),
        place="Ohrid",
    )
    theme = workshop.themes.get(position=0)
    phone = Client()
    phone.post(
        reverse("workshops:join"),
        {"code": workshop.code, "name": "Ana", "country": "Albania", "agency": "Police"},
    )
    ana = Participant.objects.get(name="Ana")
    card = workshops.post_card(ana, theme, kind="gap", text="Slow MLA")
    cluster = workshops.cluster_cards(theme, "MLA", [card])
    recommendation = workshops.draft_recommendation(
        theme,
        text="A contact list",
        institution="Ministry of Justice",
        country="",
        priority="high",
        timeframe="short",
        clusters=[cluster],
        coordination=None,
        due_on=dt.date(2027, 6, 1),
    )
    wanted = Request.objects.create(author=mira.user, country="RS", area="mla", text="Prosecutor")
    clients = {
        "anonymous": Client(),
        "workshop_participant": phone,
        "member": verified(mira.user),
        "national_coordinator": verified(nada),
        "network_coordinator": verified(nikola),
        "programme_staff": signed_in_only(stefan),
    }
    values: dict[str, object] = {
        "expert_id": mira.pk,
        "proposed_expert_id": proposed.pk,
        "request_id": wanted.pk,
        "coordination_id": coordination.pk,
        "matrix_id": matrix.pk,
        "criterion_id": criterion.pk,
        "country": "MK",
        "workshop_id": workshop.pk,
        "theme_id": theme.pk,
        "cluster_id": cluster.pk,
        "card_id": card.pk,
        "recommendation_id": recommendation.pk,
    }
    return clients, values


def _answer(url: str, client: Client) -> HttpResponseBase:
    with transaction.atomic():
        response: HttpResponseBase = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def _differs(want: str, response: HttpResponseBase, page: Page) -> bool:
    status, where = response.status_code, response.get("Location", "")
    if want == "ok" and page.signed_in:  # the second factor's own pages send on to each other
        return status >= 400 or "/accounts/login/" in where
    if want == "ok":
        return status >= 400 or any(gate in where for gate in GATES)
    if want == "forbidden":
        return status != 403
    if want == "missing":
        return status != 404
    gate = {"login": "/accounts/login/", "enrol": "/network/enrol/"}[want]
    return not (status == 302 and gate in where)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_of_the_six_people_gets_what_the_page_declares(
    page: Page, world: tuple[dict[str, Client], dict[str, object]]
) -> None:
    clients, values = world
    kwargs = {}
    for name in page.kwargs:
        # Confirming a membership acts on a proposal; every other expert page on a member.
        key = "proposed_expert_id" if page.name == "jitnetwork:confirm" else name
        assert key in values, f"{page.name} takes {name}: give the matrix an object for it"
        kwargs[name] = values[key]
    url = reverse(page.name, kwargs=kwargs)
    expect = APPS[page.name.split(":")[0]]
    wrong = [
        f"{person}: expected {want}, got {answer.status_code} {answer.get('Location', '')}"
        for person in PEOPLE
        if _differs(want := expect(page, person), answer := _answer(url, clients[person]), page)
    ]
    assert not wrong, f"{url} ({page.name}):\n  " + "\n  ".join(wrong)


def test_the_matrix_covers_the_three_apps() -> None:
    found = {page.name.split(":")[0] for page in PAGES}
    assert found == set(APPS)
    assert len(PAGES) > 50
