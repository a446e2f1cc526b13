"""A programme's staff: added by user name, roles changed, and never left without a manager."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.programmes.models import Membership, Programme
from caseroom.programmes.setup import actions

pytestmark = pytest.mark.django_db

Role = Membership.Role


def _url(programme: Programme, part: str = "") -> str:
    return reverse(f"programmes:staff{part}", args=[programme.pk])


def test_a_manager_adds_a_user_by_user_name_with_a_role(
    programme: Programme, manager_client: Client, plain_staff: User
) -> None:
    response = manager_client.post(
        _url(programme, "_add"), {"username": plain_staff.username, "role": "observer"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=plain_staff).role == Role.OBSERVER
    # Now they see the programme, and only as an observer may.
    client = Client()
    client.force_login(plain_staff)
    assert client.get(reverse("programmes:dashboard", args=[programme.pk])).status_code == 200
    assert client.get(_url(programme)).status_code == 403


@pytest.mark.parametrize(
    ("username", "words"),
    [("nobody-here", "No active user has this user name"), ("tomo-trainer", "already has a role")],
)
def test_an_unknown_user_or_an_existing_member_is_refused_beside_the_field(
    programme: Programme,
    manager_client: Client,
    trainer_member: User,
    username: str,
    words: str,
) -> None:
    response = manager_client.post(
        _url(programme, "_add"), {"username": username, "role": "trainer"}
    )
    assert response.status_code == 200
    assert words in " ".join(response.context["add_form"].errors["username"])
    assert Membership.objects.filter(programme=programme).count() == 2


def test_an_inactive_account_cannot_be_added(
    programme: Programme, manager_client: Client, plain_staff: User
) -> None:
    plain_staff.is_active = False
    plain_staff.save()
    response = manager_client.post(
        _url(programme, "_add"), {"username": plain_staff.username, "role": "trainer"}
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=plain_staff).exists()


def test_a_manager_changes_a_role_and_removes_a_member(
    programme: Programme, manager_client: Client, trainer_member: User
) -> None:
    member = Membership.objects.get(user=trainer_member)
    manager_client.post(_url(programme, "_role"), {"membership": member.pk, "role": "observer"})
    member.refresh_from_db()
    assert member.role == Role.OBSERVER
    manager_client.post(_url(programme, "_remove"), {"membership": member.pk})
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_last_manager_can_be_neither_demoted_nor_removed(
    programme: Programme, manager: User, manager_client: Client
) -> None:
    mine = Membership.objects.get(user=manager)
    for part, data in [("_role", {"role": "trainer"}), ("_remove", {})]:
        response = manager_client.post(_url(programme, part), {"membership": mine.pk, **data})
        assert response.status_code == 200
        assert response.context["row_error"][0] == mine.pk
        assert b"at least one manager" in response.content
    mine.refresh_from_db()
    assert mine.role == Role.MANAGER


def test_with_a_second_manager_the_first_may_step_down(
    programme: Programme, manager: User, manager_client: Client, trainer_member: User
) -> None:
    other = Membership.objects.get(user=trainer_member)
    actions.change_role(other, "manager")
    mine = Membership.objects.get(user=manager)
    response = manager_client.post(
        _url(programme, "_role"), {"membership": mine.pk, "role": "trainer"}
    )
    # No longer a manager: sent to the dashboard, which a trainer may open.
    assert response["Location"] == reverse("programmes:dashboard", args=[programme.pk])
    assert manager_client.get(_url(programme)).status_code == 403
    with pytest.raises(actions.Refused) as refusal:
        actions.remove_staff(other)
    assert refusal.value.code == "last_manager"


def test_a_membership_of_another_programme_cannot_be_changed_from_this_one(
    programme: Programme,
    other_programme: Programme,
    manager_client: Client,
    stranger_manager: User,
) -> None:
    foreign = Membership.objects.get(user=stranger_manager)
    response = manager_client.post(
        _url(programme, "_role"), {"membership": foreign.pk, "role": "observer"}
    )
    assert response.status_code == 200
    manager_client.post(_url(programme, "_remove"), {"membership": foreign.pk})
    foreign.refresh_from_db()
    assert foreign.role == Role.MANAGER


def test_staff_of_another_programme_sees_nothing_of_this_one(
    programme: Programme, stranger_client: Client, manager: User
) -> None:
    member = Membership.objects.get(user=manager)
    for url in (_url(programme), reverse("programmes:dashboard", args=[programme.pk])):
        assert stranger_client.get(url).status_code == 404
    response = stranger_client.post(
        _url(programme, "_role"), {"membership": member.pk, "role": "observer"}
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.role == Role.MANAGER


def test_role_changes_and_a_lower_smallest_count_are_audited_with_who_did_them(
    programme: Programme, manager: User, plain_staff: User
) -> None:
    from caseroom.programmes.models import AuditEntry

    member = actions.add_staff(programme, plain_staff.username, "observer", by=manager)
    actions.change_role(member, "trainer", by=manager)
    actions.remove_staff(member, by=manager)
    actions.update_programme(programme, by=manager, min_cell=3)
    entries = list(AuditEntry.objects.filter(programme=programme).order_by("pk"))
    assert [(e.kind, e.detail, e.user) for e in entries] == [
        ("staff", f"{plain_staff.username}: observer", manager),
        ("staff", f"{plain_staff.username}: observer → trainer", manager),
        ("staff", f"{plain_staff.username}: trainer → removed", manager),
        ("settings", "min_cell: 5 → 3", manager),
    ]
