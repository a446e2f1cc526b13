"""Every network page needs a session verified by django-otp's TOTP; enrolment and
verification go through django-otp, never a TOTP of our own."""

from __future__ import annotations

import base64

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseroom.jitnetwork.models import Expert

from .conftest import device_of, signed_in_only


def code_of(device: TOTPDevice) -> str:
    """What the phone shows now (django-otp's own RFC 6238 implementation)."""
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def test_a_signed_in_but_unverified_member_is_sent_to_verify_and_back(mira: Expert) -> None:
    device = device_of(mira.user)
    client = signed_in_only(mira.user)
    search = reverse("jitnetwork:search")

    sent = client.get(search)
    assert sent.status_code == 302
    assert sent["Location"].startswith(reverse("jitnetwork:verify"))
    assert "next=%2Fnetwork%2Fdirectory%2F" in sent["Location"]

    wrong = client.post(
        sent["Location"], {"token": "000000" if code_of(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert b"not right" in wrong.content
    assert client.get(search).status_code == 302, "a wrong code verifies nothing"

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(sent["Location"], {"token": code_of(device)})
    assert right.status_code == 302
    assert right["Location"] == search
    assert client.get(search).status_code == 200


def test_a_user_without_a_device_enrols_with_a_qr_code_and_is_then_verified(db: None) -> None:
    user = User.objects.create_user("newcomer", password="pw")
    client = Client()
    client.force_login(user)
    home = reverse("jitnetwork:home")

    sent = client.get(home)
    assert sent["Location"].startswith(reverse("jitnetwork:enrol"))
    page = client.get(sent["Location"])
    assert page.status_code == 200
    assert b"<svg" not in page.content, "a GET makes no device"
    assert not TOTPDevice.objects.filter(user=user).exists()

    client.post(reverse("jitnetwork:enrol_start"), {"next": home})
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    page = client.get(reverse("jitnetwork:enrol"))
    assert b"<svg" in page.content
    assert b"otpauth" not in page.content, "the secret is in the QR code and the key only"
    key = page.context["manual_key"].replace(" ", "")
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key

    done = client.post(reverse("jitnetwork:enrol"), {"token": code_of(device), "next": home})
    assert done.status_code == 302 and done["Location"] == home
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(home).status_code == 200


def test_someone_holding_only_the_password_cannot_enrol_a_second_device(mira: Expert) -> None:
    device_of(mira.user)
    client = signed_in_only(mira.user)
    answer = client.post(reverse("jitnetwork:enrol_start"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("jitnetwork:verify"))
    assert TOTPDevice.objects.filter(user=mira.user).count() == 1
    page = client.get(reverse("jitnetwork:enrol"))
    assert page["Location"].startswith(reverse("jitnetwork:verify"))


def test_a_code_with_letters_is_refused_with_a_clear_message(mira: Expert) -> None:
    device_of(mira.user)
    client = signed_in_only(mira.user)
    answer = client.post(reverse("jitnetwork:verify"), {"token": "12ab56"})
    assert answer.status_code == 200
    assert b"digits only" in answer.content


def test_a_next_address_elsewhere_is_not_followed(mira: Expert) -> None:
    device = device_of(mira.user)
    client = signed_in_only(mira.user)
    answer = client.post(
        reverse("jitnetwork:verify"), {"token": code_of(device), "next": "https://evil.example/"}
    )
    assert answer["Location"] == reverse("jitnetwork:home")
