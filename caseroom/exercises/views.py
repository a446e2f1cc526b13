"""Participant pages (thin: parse, check access, call an action, render)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "exercises/home.html")


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: the load benchmark's baseline and a liveness probe."""
    return JsonResponse({"ok": True})
