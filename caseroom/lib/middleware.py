"""Middleware of our own: few, and each says why it exists."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _


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


class SecurityHeaders(MiddlewareMixin):
    """Headers Django does not set itself: the Permissions-Policy of settings.py.

    MiddlewareMixin, like Django's own, so that it runs sync or async as the chain does
    (OneThreadMiddlewareChain decides, see above)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNulCharacters(MiddlewareMixin):
    """400 for a request whose query or form fields carry a NUL character.

    PostgreSQL cannot store U+0000 in text or jsonb (SQLite can), so a NUL that reached a
    write answered 500 on one database and was stored on the other. Django's form fields
    refuse it already; this covers what views read without a form (answers, keys, ids) and
    every app to come. The multipart body of the scenario upload is left alone: reading it
    here would fix its upload handlers before the view can bound the upload, and its fields
    go through a form.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        fields = [request.GET]
        if request.method == "POST" and (
            request.content_type == FORM_TYPE
            or (request.content_type == MULTIPART and not request.path.startswith(SELF_BOUNDED))
        ):
            fields.append(request.POST)
        if "\x00" in request.path or any(_has_nul(f) for f in fields):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no text here may contain."),
                content_type="text/plain; charset=utf-8",
            )
        return None


FORM_TYPE, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
# Paths whose views install their own upload handlers (scenarios.views.upload).
SELF_BOUNDED = ("/scenarios/upload/",)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
