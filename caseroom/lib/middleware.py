"""Middleware of our own: few, and each says why it exists."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class OneThreadMiddlewareChain:
    """Innermost and sync-only, so that Django runs the whole middleware chain synchronously.

    Under ASGI Django starts from an async handler and runs every middleware that can be
    both sync and async (most of Django's own) in async mode, where each of its sync hooks
    is a separate hand-off to a thread: about fifteen per request here, 4-5 ms of a trivial
    request's 5.6 ms through uvicorn (Django's AsyncClient: 3.4 ms → 1.4 ms per request).
    Being sync-only at the bottom turns every middleware above into sync mode: a request
    then crosses into a thread once, and the view runs there.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
