"""Rendering a coordination's page with what every such page needs (seat, menu rights), and
the labels of countries and agencies the pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from . import access
from .access import Can
from .models import COUNTRIES, Coordination


def language() -> str:
    return translation.get_language() or ""


def country_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in COUNTRIES]


def render_page(
    request: HttpRequest, template: str, coordination: Coordination, **context: Any
) -> HttpResponse:
    """`template` (extending cooperation/base.html) for a member of `coordination`."""
    scope = access.scope_in(request.user, coordination.pk)
    return render(
        request,
        template,
        {
            "coordination": coordination,
            "scope": scope,
            "can_see_answers": access.may(scope, Can.SEE_ANSWERS),
            "can_measure": access.may(scope, Can.MEASURE),
            "can_manage": access.may(scope, Can.MANAGE),
            **context,
        },
    )
