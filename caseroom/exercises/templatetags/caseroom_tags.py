"""Template helpers for scenario text: Markdown through nh3, string keys, case time."""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from caseroom.engine import Scenario
from caseroom.lib.markdown import render_markdown
from caseroom.scenarios.texts import scenario_text

register = template.Library()


@register.filter
def markdown(value: object) -> SafeString:
    """Author Markdown as HTML; safe only because render_markdown sanitises it with nh3."""
    return mark_safe(render_markdown(str(value or "")))  # noqa: S308 (sanitised by nh3)


@register.simple_tag
def text(scenario: Scenario, key: str | None, *parts: Any) -> str:
    """`{% text scenario "scene.stop.title" %}` or `{% text scenario "scene" id "title" %}`.

    Returns plain text; Django escapes it unless it is piped through `markdown`.
    """
    if parts:
        key = ".".join(str(p) for p in (key, *parts))
    return scenario_text(scenario, key)


@register.simple_tag
def markdown_text(scenario: Scenario, key: str, *parts: Any) -> SafeString:
    """A scenario string rendered as sanitised Markdown."""
    if parts:
        key = ".".join(str(p) for p in (key, *parts))
    return markdown(scenario_text(scenario, key))


@register.filter
def duration(minutes: int | None) -> str:
    """Case time as '2d 3h 10m'."""
    if minutes is None:
        return ""
    days, rest = divmod(int(minutes), 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if mins or not parts:
        parts.append(f"{mins}m")
    return " ".join(parts)


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds left as on a clock: 7:05, or 1:02:09 past an hour."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.simple_tag
def idempotency_key() -> str:
    """A fresh key for a form rendered inside a loop (one per form, see forms.new_key)."""
    return uuid.uuid4().hex
