"""Every page of the programmes app × every kind of visitor, taken from the URLconf.

Each URL of the `programmes` namespace is found by walking the resolver, so a new view is in
the matrix the day it exists (a hand-kept list once missed three console views). Each view
declares itself with `@access.needs(Can.X)`, `@access.signed_in` or `@access.public`; the
expected answer follows from that declaration and `access.ALLOWED`:

- a member whose role has the capability: neither 403 nor 404 (200, a redirect, 405…);
- a member whose role lacks it: 403;
- a manager of another programme, or staff with no programme: 404 (not even its existence);
- a visitor not signed in, or a participant's browser: sent to log in;
- a public page: open to all of them.

Pages of no programme yet (the list, "new programme") declare `@access.signed_in`: every
signed-in user may open them, and a page with a programme's object in its URL may not declare
that. A view that only takes POST is posted to with empty data.
Each page is one test; each visitor's request runs in a savepoint rolled back after it, so
a page that deletes something on an empty post cannot change what the next visitor sees.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from caseroom.programmes import access
from caseroom.programmes.access import ALLOWED, Can
from caseroom.programmes.models import (
    Certificate,
    Enrolment,
    Finding,
    Indicator,
    Meeting,
    Membership,
    Module,
    Outcome,
    Output,
    Person,
    Programme,
    Session,
)
from tests.matrix import Page, pages_of

Role = Membership.Role
NAMESPACE = "programmes"


PAGES = pages_of(NAMESPACE)

# Visitors: the three roles of `programme`, a superuser, two kinds of outsider, a browser with
# no account and one holding only a session code.
MEMBERS = {"manager": Role.MANAGER, "trainer_member": Role.TRAINER, "observer": Role.OBSERVER}
OUTSIDERS = ("stranger_manager", "plain_staff")
NOT_SIGNED_IN = ("anonymous", "participant")
VISITORS = (*MEMBERS, "superuser", *OUTSIDERS, *NOT_SIGNED_IN)
CLIENT_FIXTURES = {
    "manager": "manager_client",
    "trainer_member": "trainer_client",
    "observer": "observer_client",
    "stranger_manager": "stranger_client",
    "plain_staff": "plain_staff_client",
}

# What each URL kwarg names, and which object of the fixtures fills it.
KWARG_OBJECTS = (
    "programme_id",
    "module_id",
    "session_id",
    "person_id",
    "meeting_id",
    "indicator_id",
    "finding_id",
    "enrolment_id",
    "token",
)


def expected(page: Page, visitor: str) -> str:
    """ "ok", "forbidden" (403), "missing" (404) or "login" for this visitor on this page."""
    if page.public:
        return "ok"
    if visitor in NOT_SIGNED_IN:
        return "login"
    if page.signed_in:
        return "ok"  # concerns no programme yet: any signed-in user
    if visitor in OUTSIDERS:
        return "missing"
    if visitor == "superuser":
        return "ok"
    assert page.needs is not None
    return "ok" if page.needs in ALLOWED[MEMBERS[visitor]] else "forbidden"


@pytest.fixture
def kwarg_values(
    programme: Programme, module: Module, session: Session, person: Person, enrolment: Enrolment
) -> dict[str, object]:
    """One object of each kind, all in `programme`."""
    meeting = Meeting.objects.create(
        programme=programme, held_on=dt.date(2026, 2, 1), place="Skopje"
    )
    outcome = Outcome.objects.create(programme=programme, code="1", title="Stronger investigations")
    output = Output.objects.create(outcome=outcome, code="1.1", title="Officers trained")
    indicator = Indicator.objects.create(
        output=output, code="1.1.a", title="People trained", target=200, measure="people_trained"
    )
    finding = Finding.objects.create(programme=programme, topic="Victim identification", text="x")
    certificate = Certificate.objects.create(
        enrolment=enrolment, number="CR-2026-000001", token="t0ken-for-the-matrix-0123456789"
    )
    return {
        "programme_id": programme.pk,
        "module_id": module.pk,
        "session_id": session.pk,
        "person_id": person.pk,
        "meeting_id": meeting.pk,
        "indicator_id": indicator.pk,
        "finding_id": finding.pk,
        "enrolment_id": enrolment.pk,
        "token": certificate.token,
    }


def participant_client(session: Session) -> Client:
    """A participant's phone: no account, signed in to their tests with the session code and
    their name (the `enrolment` fixture's person), so the matrix proves that holding a code
    opens no staff page."""
    client = Client()
    client.post(reverse("programmes:take"), {"code": session.code})
    claimed = client.post(
        reverse("programmes:take_who", args=[session.pk]),
        {"given_name": "Ivana", "family_name": "Petrovska"},
    )
    assert claimed.status_code in (200, 302), claimed
    assert client.get(reverse("programmes:take_home", args=[session.pk])).status_code == 200
    return client


def _client(visitor: str, request: pytest.FixtureRequest, session: Session) -> Client:
    if visitor in CLIENT_FIXTURES:
        client: Client = request.getfixturevalue(CLIENT_FIXTURES[visitor])
        return client
    if visitor == "superuser":
        client = Client()
        client.force_login(User.objects.create_superuser("ada-admin", password="pw-ada"))
        return client
    if visitor == "participant":
        return participant_client(session)
    return Client()


def _url(page: Page, values: dict[str, object]) -> str:
    for name in page.kwargs:
        if name not in values:
            pytest.fail(
                f"{page.name} ({page.route}) takes <{name}>, which the access matrix cannot "
                f"fill: add {name!r} to KWARG_OBJECTS and an object for it to the kwarg_values "
                "fixture in tests/programmes/test_access_matrix.py (or use one of "
                f"{', '.join(KWARG_OBJECTS)})."
            )
    return reverse(page.name, kwargs={name: values[name] for name in page.kwargs})


def _answer(client: Client, url: str) -> HttpResponseBase:
    response = client.get(url)
    if response.status_code == 405:  # a POST-only view: post nothing
        response = client.post(url, {})
    return response


def _mismatch(page: Page, visitor: str, url: str, client: Client) -> str | None:
    """What is wrong with this visitor's answer, or None. The request runs in a savepoint
    that is rolled back, so a page that deletes on an empty post leaves the next visitor the
    same objects (one database set-up per page instead of one per visitor: 4× faster)."""
    with transaction.atomic():
        response = _answer(client, url)
        transaction.set_rollback(True)
    status, where = response.status_code, response.get("Location", "")
    want = expected(page, visitor)
    if want == "ok":
        good = (status < 400 or status == 405) and "/accounts/login/" not in where
    elif want == "forbidden":
        good = status == 403
    elif want == "missing":
        good = status == 404
    else:
        good = status == 302 and "/accounts/login/" in where
    return None if good else f"{visitor}: expected {want}, got {status} {where}".rstrip()


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_visitor_gets_what_the_page_declares(
    page: Page,
    kwarg_values: dict[str, object],
    session: Session,
    request: pytest.FixtureRequest,
) -> None:
    if not page.declared:
        pytest.fail(f"{page.name} declares none of @access.needs(Can.X), signed_in, public")
    if page.signed_in and set(page.kwargs) & set(KWARG_OBJECTS):
        pytest.fail(f"{page.name} is about one programme's object: declare a capability")
    url = _url(page, kwarg_values)
    wrong = [
        problem
        for visitor in VISITORS
        if (problem := _mismatch(page, visitor, url, _client(visitor, request, session)))
    ]
    assert not wrong, f"{url} ({page.name}, needs {page.needs}):\n  " + "\n  ".join(wrong)


def test_every_page_declares_who_may_open_it() -> None:
    undeclared = [page.name for page in PAGES if not page.declared]
    assert not undeclared, (
        f"declare these with @access.needs(Can.X), @access.signed_in or @access.public: "
        f"{undeclared}"
    )


def test_the_matrix_finds_the_programmes_pages() -> None:
    names = {page.name for page in PAGES}
    for name in ("list", "create", "dashboard", "edit", "staff", "logframe", "needs"):
        assert f"programmes:{name}" in names
    assert {"programmes:working_group", "programmes:meeting", "programmes:indicator"} <= names


def test_the_roles_can_what_the_issue_says() -> None:
    # An observer reads aggregates only; a trainer delivers and sees people; a manager all.
    the_issue = {
        Role.OBSERVER: frozenset({Can.READ}),
        Role.TRAINER: frozenset({Can.READ, Can.SEE_PEOPLE, Can.DELIVER}),
        Role.MANAGER: frozenset({Can.READ, Can.SEE_PEOPLE, Can.DELIVER, Can.MANAGE}),
    }
    assert dict(ALLOWED) == the_issue
    assert set(ALLOWED) == set(Role), "every role has its line"
    assert not access.may(None, Can.READ), "no role, no capability"


def test_a_facilitator_who_is_not_staff_of_a_programme_sees_nothing_of_it(
    programme: Programme, plain_staff_client: Client, stranger_client: Client
) -> None:
    for client in (plain_staff_client, stranger_client):
        listing = client.get(reverse("programmes:list"))
        assert listing.status_code == 200
        assert programme.title.encode() not in listing.content
