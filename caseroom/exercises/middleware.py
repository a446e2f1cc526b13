"""A team whose log is damaged gets a page that says so, not a 500 on every request."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django_htmx.http import HttpResponseClientRefresh

from .sessions import DamagedLog

log = logging.getLogger(__name__)


class DamagedLogAnswer(MiddlewareMixin):
    """503 with what to do; HTMX requests reload the page to show it (htmx swaps no 5xx)."""

    get_response: Callable[[HttpRequest], HttpResponse]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DamagedLog):
            return None
        log.error("refusing a damaged team log: %s", exception)
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRefresh()
        return render(request, "exercises/damaged.html", {"team": exception.team}, status=503)
