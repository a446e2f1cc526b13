"""Throttles on what a stranger could guess (codes, tokens), for any app: failures counted
per address.

Only failures count, per client address, in the cache (Redis, shared by every server process,
when REDIS_URL is set; the laptop's single process otherwise), through django-ratelimit. A
whole room behind one address mistypes a code now and then, far below the limits; someone
trying codes meets them after a few dozen attempts. Each app names its limits (e.g.
`exercises/throttle.py`); log-ins are throttled by django-axes (settings.AXES_*), not here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

__all__ = ["Limit", "Throttled", "check", "count_failure", "guard", "minutes_left", "response"]


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


def response(request: HttpRequest, error: Throttled) -> HttpResponse:
    """429 with the words a person needs: why, and how long to wait."""
    page = render(request, "throttled.html", {"minutes": minutes_left(error)}, status=429)
    page["Retry-After"] = str(error.seconds)
    return page


View = Callable[..., HttpResponse]


def guard(limit: Limit) -> Callable[[View], View]:
    """A view that answers 429 while this address has used up `limit`'s failures (the view
    itself counts them with `count_failure`)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                check(request, limit)
            except Throttled as error:
                return response(request, error)
            return view(request, *args, **kwargs)

        return guarded

    return decorate
