"""Log-in rules of our own: a publicly known password never opens a session from the network.

`make run` used to create `trainer`/`caseroom-demo` (a superuser) and the README recommends
serving the room's Wi-Fi, so anyone in the room could own the admin. Demo passwords are now
random per installation (`loaddemo`), `loaddemo` refuses to serve beyond loopback while a
staff account has a well-known password, and these forms refuse such a password from any
address but the laptop's own, whoever started the server and however.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from caseroom.lib.hosts import is_loopback

__all__ = ["AdminLoginForm", "LoginForm", "from_loopback", "is_well_known"]

# Passwords anyone can guess from this repository or a first try.
WELL_KNOWN_PASSWORDS = frozenset(
    {"caseroom-demo", "caseroom", "admin", "password", "changeme", "trainer", "facilitator"}
)


def is_well_known(username: str, password: str) -> bool:
    lowered = password.strip().lower()
    return lowered in WELL_KNOWN_PASSWORDS or lowered == username.strip().lower()


def from_loopback(request: HttpRequest | None) -> bool:
    """Whether the request comes from the serving computer itself."""
    return request is not None and is_loopback(str(request.META.get("REMOTE_ADDR") or ""))


def _refuse_known_password(form: AuthenticationForm, cleaned: dict[str, Any]) -> None:
    username, password = str(cleaned.get("username") or ""), str(cleaned.get("password") or "")
    if password and is_well_known(username, password) and not from_loopback(form.request):
        raise forms.ValidationError(
            _(
                "This password is publicly known, so it only works on the computer that "
                "serves Caseroom. Log in there and change it first."
            ),
            code="well_known_password",
        )


class LoginForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        _refuse_known_password(self, self.cleaned_data)
        return super().clean()


class AdminLoginForm(AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        _refuse_known_password(self, self.cleaned_data)
        return super().clean()
