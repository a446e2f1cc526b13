"""The network's named people, each a browser past the second factor unless said otherwise.

`mira` is a confirmed member (North Macedonia), `pavle` a proposed one (Serbia), `nada` the
national coordinator of North Macedonia, `nikola` the network coordinator and `stefan`
programme staff with no standing in the network; `verified(user)` gives a browser whose
session django-otp counts as verified (a confirmed TOTP device, logged in through it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseroom.jitnetwork.models import Area, Expert, Expertise, NetworkRole


def device_of(user: User) -> TOTPDevice:
    found: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if found is not None:
        return found
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device


def verified(user: User) -> Client:
    """A browser signed in as `user` whose session passed the second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session.save()
    return client


def signed_in_only(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_expert(
    username: str,
    *,
    country: str = "MK",
    state: str = Expert.State.CONFIRMED,
    areas: tuple[str, ...] = (Area.JIT_SETUP,),
    function: str = "Public prosecutor",
    languages: str = "English, Macedonian",
) -> Expert:
    user = User.objects.create_user(username, password="pw", first_name=username.title())
    expert = Expert.objects.create(
        user=user,
        country=country,
        institution="Public Prosecutor's Office",
        function=function,
        languages=languages,
        jits_count=2,
        jit_years="2019, 2022",
        email=f"{username}@example.org",
        phone="+389 2 000 000",
        state=state,
        confirmed_at=timezone.now() if state == Expert.State.CONFIRMED else None,
        proposed_at=timezone.now() - dt.timedelta(days=1),
    )
    Expertise.objects.bulk_create(Expertise(expert=expert, area=a) for a in areas)
    return expert


@pytest.fixture
def mira(db: None) -> Expert:
    return make_expert("mira")


@pytest.fixture
def pavle(db: None) -> Expert:
    return make_expert("pavle", country="RS", state=Expert.State.PROPOSED)


@pytest.fixture
def nada(db: None) -> User:
    user = User.objects.create_user("nada", password="pw")
    NetworkRole.objects.create(user=user, role=NetworkRole.Role.NATIONAL_COORDINATOR, country="MK")
    return user


@pytest.fixture
def nikola(db: None) -> User:
    user = User.objects.create_user("nikola", password="pw")
    NetworkRole.objects.create(user=user, role=NetworkRole.Role.NETWORK_COORDINATOR)
    return user


@pytest.fixture
def stefan(db: None) -> User:
    return User.objects.create_user("stefan", password="pw", is_staff=True)
