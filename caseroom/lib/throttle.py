"""Throttles on what a stranger could guess (codes), for any app: failures counted per address.

Only failures count, per client address, in the cache (Redis, shared by every server process,
when REDIS_URL is set; the laptop's single process otherwise), through django-ratelimit. The
app says what a limit is and renders its own 429 page; `exercises/throttle.py` predates this
module and keeps its own copy of the same few lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django_ratelimit.core import get_usage

__all__ = ["Limit", "Throttled", "check", "count_failure", "minutes_left"]


@dataclass(frozen=True)
class Limit:
    group: str  # the counter's name in the cache, e.g. "caseroom.survey-code"
    rate: str  # django-ratelimit's "N/period", e.g. "30/10m"


class Throttled(Exception):
    """Too many failed attempts from this address; `seconds` until the window ends."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"throttled for {seconds} s")
        self.seconds = seconds


def _usage(request: HttpRequest, limit: Limit, increment: bool) -> dict[str, int] | None:
    usage: dict[str, int] | None = get_usage(
        request, group=limit.group, key="ip", rate=limit.rate, increment=increment
    )
    return usage


def check(request: HttpRequest, limit: Limit) -> None:
    """Raise Throttled when this address has used up its failures."""
    usage = _usage(request, limit, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise Throttled(max(1, int(usage["time_left"])))


def count_failure(request: HttpRequest, limit: Limit) -> None:
    _usage(request, limit, increment=True)


def minutes_left(error: Throttled) -> int:
    """Whole minutes to tell a person to wait (rounded up)."""
    return max(1, -(-error.seconds // 60))
