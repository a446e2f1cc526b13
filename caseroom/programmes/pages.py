"""Rendering a programme's staff page with what every such page needs (role, menu rights)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import access
from .access import Can
from .models import Programme


def render_page(
    request: HttpRequest, template: str, programme: Programme, **context: Any
) -> HttpResponse:
    """Renders `template` (which extends programmes/base.html) for a member of `programme`."""
    role = access.role_in(request.user, programme.pk)
    return render(
        request,
        template,
        {
            "programme": programme,
            "role": role,
            "can_see_people": access.may(role, Can.SEE_PEOPLE),
            "can_deliver": access.may(role, Can.DELIVER),
            "can_manage": access.may(role, Can.MANAGE),
            **context,
        },
    )
