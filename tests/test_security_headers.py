"""Every page carries a Content-Security-Policy and a Permissions-Policy; the hosts the app
answers to come from where `make run` serves, never "*"."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from caseroom.lib.hosts import LOOPBACK, allowed_hosts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/join/ZZZZZ2/"])
def test_every_page_forbids_inline_and_foreign_script(path: str) -> None:
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


def test_htmx_is_configured_without_eval_or_injected_styles() -> None:
    page = Client().get("/").content.decode()
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page


def test_no_template_has_inline_script_or_event_handlers() -> None:
    found = []
    for template in settings.BASE_DIR.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for marker in ("<script>", " onclick=", " onload=", " onsubmit=", "hx-on", "javascript:"):
            if marker in text:
                found.append(f"{template.name}: {marker}")
    assert found == []


def test_the_default_hosts_are_loopback_only() -> None:
    assert "*" not in settings.ALLOWED_HOSTS
    assert allowed_hosts(None) == LOOPBACK
    assert allowed_hosts("127.0.0.1") == LOOPBACK


def test_serving_one_address_answers_to_it() -> None:
    assert allowed_hosts("192.168.4.10") == [*LOOPBACK, "192.168.4.10"]
    assert allowed_hosts("fd00::5")[-1] == "[fd00::5]"


def test_serving_every_interface_answers_to_this_machines_name_and_address() -> None:
    import socket

    hosts = allowed_hosts("0.0.0.0")
    assert "*" not in hosts
    assert hosts[: len(LOOPBACK)] == LOOPBACK
    assert socket.gethostname() in hosts


def test_an_unknown_host_is_refused() -> None:
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400
