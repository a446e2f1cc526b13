"""Every page of the JIT network × every kind of visitor, taken from the URLconf.

As tests/programmes/test_access_matrix.py: each URL of the `jitnetwork` namespace is found by
walking the resolver, so a new view is in the matrix the day it exists; each view declares
itself (`@access.needs(Can.X)`, `@access.verified_only`, `@access.signed_in`) and the
expected answer follows from the declaration and `access.ALLOWED`:

- not signed in: sent to log in;
- signed in without a verified second factor: sent to verify (or to enrol a device first),
  on every page but the second factor's own;
- verified, with the capability (or on a page for every verified user): neither 403 nor 404;
- verified without it: 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from caseroom.jitnetwork.access import ALLOWED, Can, Standing
from caseroom.jitnetwork.models import Expert, Request
from tests.matrix import pages_of

from .conftest import signed_in_only, verified

NAMESPACE = "jitnetwork"


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    kwargs: tuple[str, ...]
    view: Callable[..., HttpResponse]

    @property
    def needs(self) -> Can | None:
        need = getattr(self.view, "needs", None)
        return need if isinstance(need, Can) else None

    @property
    def verified_only(self) -> bool:
        return getattr(self.view, "verified_only", False) is True

    @property
    def signed_in(self) -> bool:
        return getattr(self.view, "signed_in", False) is True

    @property
    def declared(self) -> bool:
        return self.needs is not None or self.verified_only or self.signed_in


PAGES = pages_of(NAMESPACE, Page)

# Visitors: what each is in the network (verified), and three who are not past the gate.
STANDINGS: dict[str, frozenset[Standing]] = {
    "member": frozenset({Standing.MEMBER}),
    "proposed_expert": frozenset(),
    "national_coordinator": frozenset({Standing.NATIONAL}),
    "network_coordinator": frozenset({Standing.NETWORK}),
    "staff_outside_the_network": frozenset(),
}
UNVERIFIED = ("member_without_second_factor", "signed_in_without_device")
VISITORS = (*STANDINGS, *UNVERIFIED, "anonymous")


def expected(page: Page, visitor: str) -> str:
    if visitor == "anonymous":
        return "login"
    if page.signed_in:
        return "ok"
    if visitor == "member_without_second_factor":
        return "verify"
    if visitor == "signed_in_without_device":
        return "enrol"
    if page.verified_only:
        return "ok"
    assert page.needs is not None
    caps = {c for s in STANDINGS[visitor] for c in ALLOWED[s]}
    return "ok" if page.needs in caps else "forbidden"


@pytest.fixture
def visitors(
    mira: Expert, pavle: Expert, nada: User, nikola: User, stefan: User
) -> dict[str, Client]:
    return {
        "member": verified(mira.user),
        "proposed_expert": verified(pavle.user),
        "national_coordinator": verified(nada),
        "network_coordinator": verified(nikola),
        "staff_outside_the_network": verified(stefan),
        "member_without_second_factor": _with_device_unverified(mira.user),
        "signed_in_without_device": signed_in_only(
            User.objects.create_user("newcomer", password="pw")
        ),
        "anonymous": Client(),
    }


def _with_device_unverified(user: User) -> Client:
    verified(user)  # makes the device
    return signed_in_only(user)


def _url(page: Page, mira: Expert, pavle: Expert) -> str:
    # The object each page acts on: confirming takes a proposal, the rest a confirmed expert.
    wanted = Request.objects.create(author=mira.user, country="RS", area="mla", text="Prosecutor")
    values = {
        "expert_id": pavle.pk if page.name == "jitnetwork:confirm" else mira.pk,
        "request_id": wanted.pk,
    }
    missing = set(page.kwargs) - set(values)
    assert not missing, f"{page.name} takes {missing}: give the matrix an object for it"
    return reverse(page.name, kwargs={k: values[k] for k in page.kwargs})


def _mismatch(page: Page, visitor: str, url: str, client: Client) -> str | None:
    with transaction.atomic():
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        transaction.set_rollback(True)
    status, where = response.status_code, response.get("Location", "")
    want = expected(page, visitor)
    if want == "ok":
        good = status < 400 and not any(
            gate in where for gate in ("/accounts/login/", "/network/verify/", "/network/enrol/")
        )
        if page.signed_in:  # the gate's own pages send on to each other
            good = status < 400 and "/accounts/login/" not in where
    elif want == "forbidden":
        good = status == 403
    elif want == "verify":
        good = status == 302 and "/network/verify/" in where
    elif want == "enrol":
        good = status == 302 and "/network/enrol/" in where
    else:
        good = status == 302 and "/accounts/login/" in where
    return None if good else f"{visitor}: expected {want}, got {status} {where}".rstrip()


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_visitor_gets_what_the_page_declares(
    page: Page, visitors: dict[str, Client], mira: Expert, pavle: Expert
) -> None:
    assert page.declared, f"{page.name} declares none of needs, verified_only, signed_in"
    url = _url(page, mira, pavle)
    wrong = [
        problem
        for visitor, client in visitors.items()
        if (problem := _mismatch(page, visitor, url, client))
    ]
    assert not wrong, f"{url} ({page.name}, needs {page.needs}):\n  " + "\n  ".join(wrong)


def test_the_matrix_finds_the_network_pages() -> None:
    names = {page.name.removeprefix("jitnetwork:") for page in PAGES}
    assert {"home", "search", "expert", "contact", "propose", "confirm", "leave"} <= names
    assert {"audit", "audit_csv", "enrol", "verify", "board", "request"} <= names


def test_the_roles_can_what_the_issue_says() -> None:
    # Contact details to confirmed members only; coordinators propose, confirm and audit.
    assert Can.CONTACT in ALLOWED[Standing.MEMBER]
    assert all(Can.CONTACT not in ALLOWED[s] for s in (Standing.NATIONAL, Standing.NETWORK))
    assert {s for s in Standing if Can.PROPOSE in ALLOWED[s]} == {Standing.NATIONAL}
    assert {s for s in Standing if Can.CONFIRM in ALLOWED[s]} == {Standing.NETWORK}
    assert {s for s in Standing if Can.AUDIT in ALLOWED[s]} == {Standing.NETWORK}
