"""Settings read from the environment refuse values they cannot read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from caseroom.settings import envbool, envint


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("ON", True), ("0", False), ("", None)])
def test_envbool_reads_yes_and_no(monkeypatch: pytest.MonkeyPatch, raw: str, value: bool) -> None:
    monkeypatch.setenv("CASEROOM_FLAG", raw)
    assert envbool("CASEROOM_FLAG", default=True) is (True if value is None else value)


def test_envbool_refuses_what_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEROOM_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="CASEROOM_FLAG='ture'"):
        envbool("CASEROOM_FLAG")


def test_envint_refuses_what_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEROOM_N", "12x")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("CASEROOM_N", 3)
