"""Template helpers for scenario text: Markdown through nh3, string keys, case time."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caseroom.engine import Scenario
from caseroom.engine.strings import text as engine_text
from caseroom.lib.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(value: object) -> SafeString:
    """Author Markdown as HTML; safe only because render_markdown sanitises it with nh3."""
    return mark_safe(render_markdown(str(value or "")))  # noqa: S308 (sanitised by nh3)


def scenario_text(scenario: Scenario, key: str | None) -> str:
    """The text of a scenario string key in the active language (source text as fallback)."""
    return engine_text(scenario, key, get_language())


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


def case_time(scenario: Scenario, minutes: int) -> dt.datetime:
    """The case's date and time after `minutes` of case time (naive: the case's local time)."""
    start = dt.datetime.fromisoformat(scenario.doc.clock.start)
    try:
        return start.replace(tzinfo=None) + dt.timedelta(minutes=minutes)
    except OverflowError:
        # Repeatable actions can push a case clock past year 9999: show the last moment
        # a calendar has rather than fail the page.
        return dt.datetime.max  # noqa: DTZ901 (case time is naive on purpose, see above)


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
