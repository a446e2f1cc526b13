"""Every page of the cooperation app × every kind of visitor, taken from the URLconf.

As tests/programmes/test_access_matrix.py: each URL of the `cooperation` namespace is found
by walking the resolver, so a new view is in the matrix the day it exists; each view
declares `@access.needs(Can.X)`, `@access.signed_in` or `@access.public`, and the answer
expected follows from that and `access.ALLOWED`:

- a member whose role has the capability: past the door (200, a redirect, 400 for the empty
  post, 405…), never 403/404 or the log-in page;
- a member whose role lacks it: 403;
- a coordinator of another coordination, or staff with no seat: 404;
- a visitor not signed in (a respondent's browser): sent to log in.

The focal point is Serbia's, and the measure in the URL is Serbia's: their scope lets them
in. Each visitor's request runs in a savepoint rolled back after it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.cooperation import access, actions
from caseroom.cooperation.access import ALLOWED, Can
from caseroom.cooperation.models import Coordination, Measure, Membership, Round
from tests.conftest import logged_in
from tests.matrix import Page, expected_for_seat, mismatch, pages_of

Role = Membership.Role
NAMESPACE = "cooperation"


PAGES: list[Page] = pages_of(NAMESPACE)
MEMBERS = {
    "coordinator": Role.COORDINATOR,
    "focal_point": Role.FOCAL_POINT,
    "observer": Role.OBSERVER,
}
OUTSIDERS = ("stranger", "plain_staff")
VISITORS = (*MEMBERS, "superuser", *OUTSIDERS, "anonymous")
KWARG_OBJECTS = ("coordination_id", "round_id", "measure_id", "invitation_id")


def expected(page: Page, visitor: str) -> str:
    return expected_for_seat(page, visitor, members=MEMBERS, outsiders=OUTSIDERS, allowed=ALLOWED)


@pytest.fixture
def kwarg_values(coordination: Coordination, round_: Round, coordinator: User) -> dict[str, object]:
    measure = actions.record_measure(
        coordination,
        round_=round_,
        country="RS",
        section="coop-guidelines#4.2",
        what="Brief prosecutors on the JIT model agreement",
        institution="Prosecutor's office",
        responsible="Head of unit",
        due_on=dt.date(2027, 12, 31),
        by=coordinator,
    )
    [(link, _token)] = actions.invite(round_, [("RS-1", "RS", "police")])
    return {
        "coordination_id": coordination.pk,
        "round_id": round_.pk,
        "measure_id": measure.pk,
        "invitation_id": link.pk,
    }


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_visitor_gets_what_the_page_declares(
    page: Page, kwarg_values: dict[str, object], seat_clients: dict[str, Client]
) -> None:
    if not page.declared:
        pytest.fail(f"{page.name} declares none of @access.needs(Can.X), signed_in, public")
    if page.signed_in and set(page.kwargs) & set(KWARG_OBJECTS):
        pytest.fail(f"{page.name} is about one coordination's object: declare a capability")
    missing = [name for name in page.kwargs if name not in kwarg_values]
    assert not missing, f"{page.name} takes {missing}: add them to KWARG_OBJECTS and kwarg_values"
    url = reverse(page.name, kwargs={name: kwarg_values[name] for name in page.kwargs})
    wrong = [
        problem
        for visitor in VISITORS
        if (problem := mismatch(expected(page, visitor), visitor, url, seat_clients[visitor]))
    ]
    assert not wrong, f"{url} ({page.name}, needs {page.needs}):\n  " + "\n  ".join(wrong)


def test_the_matrix_finds_the_cooperation_pages() -> None:
    names = {page.name for page in PAGES}
    for name in ("list", "coordination", "round", "heatmap", "measures", "new_measure"):
        assert f"cooperation:{name}" in names
    assert {"cooperation:report_pdf", "cooperation:answers_xlsx", "cooperation:upload"} <= names
    new = {"settings", "links", "withdraw_link", "import_answers"}
    assert {f"cooperation:{name}" for name in new} <= names


def test_a_link_of_a_programmes_round_is_no_coordinations(
    coordination: Coordination, round_: Round, coordinator: User
) -> None:
    from caseroom.surveys import actions as surveys
    from caseroom.surveys import invitations

    elsewhere = surveys.create_round(round_.survey.version, "A programme's round")
    [(link, _token)] = invitations.invite(elsewhere, [("x", "RS", "police")])
    client = logged_in(coordinator)
    assert client.get(reverse("cooperation:withdraw_link", args=[link.pk])).status_code == 404


def test_the_roles_can_what_the_brief_says() -> None:
    assert dict(ALLOWED) == {
        Role.COORDINATOR: frozenset(Can),
        Role.FOCAL_POINT: frozenset({Can.READ, Can.SEE_ANSWERS, Can.MEASURE}),
        Role.OBSERVER: frozenset({Can.READ}),
    }
    assert set(ALLOWED) == set(Role)
    assert not access.may(None, Can.READ)


def test_a_focal_point_does_not_see_another_countrys_measure(
    coordination: Coordination, round_: Round, focal_client: Client, coordinator: User
) -> None:
    croatian = actions.record_measure(
        coordination, round_=round_, country="HR", section="coop-guidelines#4.1",
        what="Croatian measure", institution="x", responsible="y",
        due_on=dt.date(2027, 1, 1),
    )  # fmt: skip
    for name in ("measure", "edit_measure"):
        response = focal_client.get(reverse(f"cooperation:{name}", args=[croatian.pk]))
        assert response.status_code in (404, 405)
        if response.status_code == 405:
            assert (
                focal_client.post(reverse(f"cooperation:{name}", args=[croatian.pk])).status_code
                == 404
            )
    listing = focal_client.get(reverse("cooperation:measures", args=[coordination.pk]))
    assert b"Croatian measure" not in listing.content


def test_a_focal_point_reads_a_regional_measure_but_cannot_change_it(
    coordination: Coordination, focal_client: Client
) -> None:
    regional = actions.record_measure(
        coordination, origin_label="Regional workshop, Budva", what="Regional contact list",
        institution="Secretariat", responsible="Coordinator", due_on=dt.date(2027, 1, 1),
    )  # fmt: skip
    assert Measure.objects.filter(pk=regional.pk, country="").exists()
    page = focal_client.get(reverse("cooperation:measure", args=[regional.pk]))
    assert page.status_code == 200
    assert b"Follow the measure" not in page.content
    edit = focal_client.post(reverse("cooperation:edit_measure", args=[regional.pk]), {})
    assert edit.status_code == 403
