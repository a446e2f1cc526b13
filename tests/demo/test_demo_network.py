"""The demo JIT network: fictional experts from seven places, confirmed, found in the
directory, none able to log in, and loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from caseroom.demo.jitnetwork import load_demo_network
from caseroom.jitnetwork.models import Expert, NetworkRole, Request

pytestmark = pytest.mark.django_db


def test_fourteen_confirmed_experts_two_per_place_and_a_request_on_the_board() -> None:
    coordinator = User.objects.create_user("coordinator", is_staff=True)
    assert load_demo_network(coordinator) == 14
    experts = Expert.objects.all()
    assert {e.state for e in experts} == {Expert.State.CONFIRMED}
    assert sorted({e.country for e in experts}) == ["AL", "BA", "HR", "ME", "MK", "RS", "XK"]
    assert all(e.email.endswith("@example.org") for e in experts)
    assert not any(e.user.has_usable_password() for e in experts)
    assert NetworkRole.objects.get(user=coordinator).role == NetworkRole.Role.NETWORK_COORDINATOR
    assert Request.objects.count() == 1
    assert load_demo_network(coordinator) == 14
    assert (Expert.objects.count(), Request.objects.count()) == (14, 1)
