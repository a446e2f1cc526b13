"""The network's second factor, all through django-otp's TOTP devices (no TOTP of our own).

A user enrols once: `start_enrolment` makes an unconfirmed device whose otpauth URI is shown
as a QR code; the first correct code confirms it and verifies the session. Later sessions
are verified with `verify`. A user who has a confirmed device cannot enrol another here
(someone holding only the password must not add their own authenticator).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Caseroom JIT network"


def has_confirmed_device(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def pending_device(user: User) -> TOTPDevice | None:
    """The device being enrolled (not yet confirmed), if any; a GET reads, never makes one."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def start_enrolment(user: User) -> TOTPDevice | None:
    """A fresh unconfirmed device (replacing an earlier unconfirmed one); None if the user
    already has a confirmed device."""
    with transaction.atomic():
        if has_confirmed_device(user):
            return None
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth URI as an inline SVG QR code (segno: no network, no script)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4))


def manual_key(device: TOTPDevice) -> str:
    """The device's secret in base32 groups of four, for typing into an app that cannot scan
    (or a screen reader's user): what the QR code holds, nothing more."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm_enrolment(request: HttpRequest, user: User, token: str) -> bool:
    """The first code from the new device: confirms it and verifies this session."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify(request: HttpRequest, user: User, token: str) -> bool:
    """A code from one of the user's confirmed devices verifies this session (django-otp
    throttles repeated failures per device)."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                otp_login(request, locked)
                return True
    return False
