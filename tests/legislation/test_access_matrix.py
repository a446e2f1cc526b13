"""Every page of the legislation app × every kind of visitor, taken from the URLconf.

As tests/cooperation/test_access_matrix.py (the matrix reuses a coordination's seats): each
URL of the `legislation` namespace is found by walking the resolver; each view declares
`@access.needs(Can.X)`, `@access.signed_in` or `@access.public`, and the answer expected
follows from that and `access.ALLOWED`: a seat with the capability gets past the door, a seat
without it 403, a coordinator of another coordination or staff with no seat 404, a visitor
not signed in the log-in page. Each request runs in a savepoint rolled back after it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.cooperation.models import Membership
from caseroom.legislation import access, actions
from caseroom.legislation.access import ALLOWED, Can
from caseroom.legislation.models import Criterion, Matrix, Rating
from tests.conftest import logged_in
from tests.matrix import Page, expected_for_seat, mismatch, pages_of

Role = Membership.Role
PAGES: list[Page] = pages_of("legislation")
MEMBERS = {
    "coordinator": Role.COORDINATOR,
    "focal_point": Role.FOCAL_POINT,
    "observer": Role.OBSERVER,
}
OUTSIDERS = ("stranger", "plain_staff")
VISITORS = (*MEMBERS, "superuser", *OUTSIDERS, "anonymous")
KWARG_OBJECTS = ("coordination_id", "matrix_id", "criterion_id", "country")


def expected(page: Page, visitor: str) -> str:
    return expected_for_seat(page, visitor, members=MEMBERS, outsiders=OUTSIDERS, allowed=ALLOWED)


@pytest.fixture
def kwarg_values(matrix: Matrix, criterion: Criterion, coordinator: User) -> dict[str, object]:
    actions.assess(
        criterion, "RS", {"rating": Rating.PARTLY, "recommendation": "Amend"}, by=coordinator
    )
    return {
        "coordination_id": matrix.coordination_id,
        "matrix_id": matrix.pk,
        "criterion_id": criterion.pk,
        "country": "RS",
    }


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_visitor_gets_what_the_page_declares(
    page: Page, kwarg_values: dict[str, object], seat_clients: dict[str, Client]
) -> None:
    if not page.declared:
        pytest.fail(f"{page.name} declares none of @access.needs(Can.X), signed_in, public")
    if page.signed_in and set(page.kwargs) & set(KWARG_OBJECTS):
        pytest.fail(f"{page.name} is about one matrix's object: declare a capability")
    missing = [name for name in page.kwargs if name not in kwarg_values]
    assert not missing, f"{page.name} takes {missing}: add them to KWARG_OBJECTS and kwarg_values"
    url = reverse(page.name, kwargs={name: kwarg_values[name] for name in page.kwargs})
    wrong = [
        problem
        for visitor in VISITORS
        if (problem := mismatch(expected(page, visitor), visitor, url, seat_clients[visitor]))
    ]
    assert not wrong, f"{url} ({page.name}, needs {page.needs}):\n  " + "\n  ".join(wrong)


def test_the_matrix_finds_the_legislation_pages() -> None:
    names = {page.name for page in PAGES}
    wanted = {"list", "new", "heatmap", "new_criterion", "cell", "edit", "make_measure"}
    wanted |= {"export_xlsx", "report_pdf", "report_docx"}
    assert {f"legislation:{name}" for name in wanted} <= names


def test_coordinators_assess_and_the_other_seats_read() -> None:
    assert dict(ALLOWED) == {
        Role.COORDINATOR: frozenset({Can.READ, Can.ASSESS}),
        Role.FOCAL_POINT: frozenset({Can.READ}),
        Role.OBSERVER: frozenset({Can.READ}),
    }
    assert set(ALLOWED) == set(Role)
    assert not access.may(None, Can.READ)


def test_a_country_not_in_the_region_is_no_page(criterion: Criterion, coordinator: User) -> None:
    client = logged_in(coordinator)
    for name in ("cell", "edit"):
        assert (
            client.get(reverse(f"legislation:{name}", args=[criterion.pk, "FR"])).status_code == 404
        )


def test_no_page_lists_matrices_to_outsiders(matrix: Matrix, stranger: User) -> None:
    listing = logged_in(stranger).get(reverse("legislation:list"))
    assert listing.status_code == 200 and matrix.title.encode() not in listing.content


def test_no_page_takes_a_change_so_the_history_is_only_appended_to() -> None:
    assert not [page.name for page in PAGES if any("change" in k for k in page.kwargs)]
    assert not [page.name for page in PAGES if "change" in page.route or "history" in page.route]
