"""The request type of views that read django-htmx's `request.htmx` (typed for mypy)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

__all__ = ["HtmxHttpRequest"]


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
