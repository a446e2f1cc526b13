"""The programme itself: who sees it in the list, who may create and edit it, its dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import Indicator, Membership, Outcome, Output, Programme
from caseroom.programmes.setup.dashboard import dashboard
from tests.programmes import support_setup as s

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Cooperation against smuggling",
        "funder": "Fictional Fund",
        "implementer": "Regional Academy",
        "starts_on": "2026-01-01",
        "ends_on": "2027-06-30",
        "countries": ["RS", "MK"],
        "summary": "Three modules for three audiences.",
        "min_cell": "5",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- list and create


def test_the_list_shows_a_user_only_the_programmes_they_work_on(
    programme: Programme, other_programme: Programme, observer_client: Client
) -> None:
    page = observer_client.get(reverse("programmes:list"))
    assert page.status_code == 200
    assert programme.title.encode() in page.content
    assert other_programme.title.encode() not in page.content


def test_staff_may_create_a_programme_and_become_its_manager(plain_staff: User) -> None:
    client = Client()
    client.force_login(plain_staff)
    response = client.post(reverse("programmes:create"), _form())
    created = Programme.objects.get(title="Cooperation against smuggling")
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:dashboard", args=[created.pk])
    assert created.countries == ["RS", "MK"]
    assert Membership.objects.get(programme=created).user == plain_staff
    assert Membership.objects.get(programme=created).role == Membership.Role.MANAGER


def test_a_user_who_is_not_staff_may_not_create_a_programme(db: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user("donor-desk", password="pw"))
    assert client.get(reverse("programmes:create")).status_code == 403
    assert client.post(reverse("programmes:create"), _form()).status_code == 403
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_on": "2025-12-31"}, "ends_on", "cannot end before it starts"),
        ({"ends_on": "2206-01-01"}, "ends_on", "at most 15 years"),
        ({"min_cell": "1"}, "min_cell", "greater than or equal to 2"),
        ({"countries": ["ZZ"]}, "countries", "not one of the available choices"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
    ],
)
def test_a_bad_programme_form_comes_back_with_the_message_beside_the_field(
    plain_staff_client: Client, changes: dict[str, object], field: str, words: str
) -> None:
    response = plain_staff_client.post(reverse("programmes:create"), _form(**changes))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Programme.objects.exists()


def test_a_manager_edits_the_programme_and_only_changed_fields_are_written(
    programme: Programme, manager_client: Client
) -> None:
    url = reverse("programmes:edit", args=[programme.pk])
    assert manager_client.get(url).status_code == 200
    data = _form(title="Joint investigations 2026–2027", min_cell="10")
    response = manager_client.post(url, data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.min_cell) == ("Joint investigations 2026–2027", 10)


def test_an_invalid_edit_keeps_the_saved_title_in_the_page(
    programme: Programme, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("programmes:edit", args=[programme.pk]), _form(title="", ends_on="2020-01-01")
    )
    assert response.status_code == 200
    assert response.context["programme"].title == "Joint investigations 2026"
    programme.refresh_from_db()
    assert programme.title == "Joint investigations 2026"


# ---------------------------------------------------------------- dashboard


@pytest.fixture
def delivered(programme: Programme) -> Programme:
    """Module 1: two sessions held (8 people trained, one more who missed a day, a trainer)
    and one scheduled; module 2: one session held, 6 trained (one also trained in module 1)."""
    first, second = s.module(programme, 1, planned_sessions=8), s.module(programme, 2)
    one, two = s.session(first, dt.date(2026, 3, 2)), s.session(first, dt.date(2026, 4, 6))
    s.session(first, dt.date(2026, 9, 7))  # scheduled
    three = s.session(second, dt.date(2026, 5, 4), days=3)
    people = [s.person(programme) for _ in range(13)]
    s.trained(one, people[:5])
    s.trained(two, people[3:8])  # 3 and 4 again: still 8 people for the module
    s.enrol(one, people[8], 1)  # half the days: below the 80 % rule
    s.enrol(one, people[9], 2, role="trainer")
    s.trained(three, [people[0], *people[10:13], s.person(programme), s.person(programme)])
    return programme


def test_the_dashboard_counts_planned_against_delivered_per_module(delivered: Programme) -> None:
    board = dashboard(delivered, today=TODAY)
    first, second = board.modules
    assert (first.sessions_held, first.sessions_scheduled, first.planned_sessions) == (2, 1, 8)
    assert (first.training_days, first.people_trained, first.planned_people) == (4, 8, 100)
    assert (second.sessions_held, second.training_days, second.people_trained) == (1, 3, 6)
    # Each person once in the programme: 8 + 6 − the one trained in both modules.
    assert (board.people_trained, board.sessions_held, board.training_days) == (13, 3, 7)
    assert board.countries == ("Serbia", "North Macedonia")


def test_a_module_with_few_people_trained_is_hidden_with_a_complement(
    delivered: Programme,
) -> None:
    third = s.module(delivered, 3)
    s.trained(s.session(third, dt.date(2026, 5, 11)), [s.person(delivered) for _ in range(3)])
    board = dashboard(delivered, today=TODAY)
    counts = [line.people_trained for line in board.modules]
    # 3 is below 5; hiding it alone would let it be worked out from the total, so the
    # smallest other count (6) goes too.
    assert counts == [8, None, None]
    assert board.people_by_module.hidden == 2


def test_the_dashboard_page_shows_the_numbers_to_an_observer(
    delivered: Programme, observer_client: Client
) -> None:
    page = observer_client.get(reverse("programmes:dashboard", args=[delivered.pk]))
    assert page.status_code == 200
    board = page.context["board"]
    assert board.people_trained == 13
    assert b"Module 1" in page.content and b"Fictional Fund" in page.content


def test_the_dashboard_shows_the_logframe_indicators_with_their_value(
    delivered: Programme,
) -> None:
    outcome = Outcome.objects.create(programme=delivered, code="1", title="Capacity")
    output = Output.objects.create(outcome=outcome, code="1.1", title="Trained")
    Indicator.objects.create(
        output=output, code="1.1.a", title="People trained", target=200, measure="people_trained"
    )
    Indicator.objects.create(
        output=output, code="1.1.b", title="Sessions", target=18, measure="sessions"
    )
    board = dashboard(delivered, today=TODAY)
    assert [(v.code, v.value) for v in board.indicators] == [
        ("1.1.a", Decimal(13)),
        ("1.1.b", Decimal(3)),
    ]


def _modules_with_sessions(programme: Programme, n: int) -> None:
    for number in range(1, n + 1):
        module = s.module(programme, number)
        held = s.session(module, dt.date(2026, 2, number))
        s.session(module, dt.date(2026, 11, number))
        s.trained(held, [s.person(programme) for _ in range(6)])
    outcome = Outcome.objects.create(programme=programme, code="1", title="Capacity")
    output = Output.objects.create(outcome=outcome, code="1.1", title="Trained")
    Indicator.objects.create(
        output=output, code="1.1.a", title="People", target=9, measure="people_trained"
    )


@pytest.mark.parametrize("modules", [2, 6])
def test_the_dashboard_takes_the_same_queries_for_two_or_six_modules(
    programme: Programme,
    manager_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    modules: int,
) -> None:
    _modules_with_sessions(programme, modules)
    url = reverse("programmes:dashboard", args=[programme.pk])
    manager_client.get(url)  # the session row is read once per request either way
    # session, user, role, programme; modules, sessions per module, trained per module,
    # distinct total; module labels, indicators, one value.
    with django_assert_num_queries(11):
        response = manager_client.get(url)
    assert len(response.context["board"].modules) == modules
