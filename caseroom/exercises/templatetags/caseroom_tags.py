"""Template helpers for scenario text: Markdown through nh3, string keys, case time."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from functools import lru_cache
from typing import Any

import nh3
from django import template
from django.conf import settings
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from caseroom.engine import Scenario
from caseroom.engine.expressions import EvalState
from caseroom.engine.textstate import format_duration, render_text
from caseroom.lib.markdown import plain_text, render_markdown
from caseroom.scenarios.texts import scenario_text

register = template.Library()


@register.filter
def markdown(value: object) -> SafeString:
    """Author Markdown as HTML; safe only because render_markdown sanitises it with nh3."""
    # A str as it is: a scenario text shown in its source language carries its `lang`.
    text = value if isinstance(value, str) else str(value or "")
    return mark_safe(render_markdown(text))  # noqa: S308 (sanitised by nh3)


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


@register.simple_tag
def state_markdown(
    scenario: Scenario, state: EvalState | None, key: str, *parts: Any
) -> SafeString:
    """A scenario string that may read the state (`{{ clock }}`, `{{ var.found }}`) as
    sanitised Markdown: its placeholders read `state` (None: the text as written)."""
    if parts:
        key = ".".join(str(p) for p in (key, *parts))
    # A page without a team has no state: Django gives '' for the missing variable.
    state = state or None
    shown = render_text(scenario, scenario_text(scenario, key), state, translation.get_language())
    return markdown(shown)


@register.filter
def duration(minutes: int | None) -> str:
    """Case time as '2d 3h 10m' (as texts that read the state show it)."""
    return "" if minutes is None else format_duration(int(minutes))


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


_INLINE_TAGS = {"strong", "em", "code", "a", "del", "s"}


@register.filter
def markdown_inline(value: object) -> SafeString:
    """Short author Markdown (an action's text, a title) as inline HTML: bold and links
    stay, paragraphs and lists go, so it fits inside a list item or a heading."""
    html = nh3.clean(
        render_markdown(value if isinstance(value, str) else str(value or "")),
        tags=_INLINE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    html = " ".join(html.split())
    lang = getattr(value, "lang", None)  # a scenario text shown in its source language
    if isinstance(lang, str) and html:
        return format_html('<span lang="{}">{}</span>', lang, mark_safe(html))  # noqa: S308
    return mark_safe(html)  # noqa: S308 (sanitised by nh3 just above)


@register.simple_tag
def inline_text(scenario: Scenario, key: str, *parts: Any) -> SafeString:
    """A scenario string rendered as inline Markdown (see `markdown_inline`)."""
    if parts:
        key = ".".join(str(p) for p in (key, *parts))
    return markdown_inline(scenario_text(scenario, key))


DOCUMENT_KINDS = {
    "report": pgettext_lazy("document kind", "Report"),
    "statement": pgettext_lazy("document kind", "Statement"),
    "record": pgettext_lazy("document kind", "Record"),
    "table": pgettext_lazy("document kind", "Table"),
    "photo": pgettext_lazy("document kind", "Photo"),
    "memo": pgettext_lazy("document kind", "Memo"),
    "legal": pgettext_lazy("document kind", "Legal text"),
    "request": pgettext_lazy("document kind", "Request"),
    "media": pgettext_lazy("document kind", "Media"),
}


@register.filter
def document_kind(kind: str) -> str:
    """A document's kind (the scenario format's fixed list) in the reader's language."""
    return str(DOCUMENT_KINDS.get(kind, kind))


TEAM_NAME = gettext_lazy("Team %(n)s")


@lru_cache(maxsize=16)
def _team_patterns() -> tuple[re.Pattern[str], ...]:
    """'Team 3' in every language of the interface: teams are named when they are created,
    in the facilitator's language, and read by people who chose another."""
    patterns = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words = gettext("Team %(n)s")
        head, _sep, tail = words.partition("%(n)s")
        patterns.append(re.compile(rf"^{re.escape(head)}(\d+){re.escape(tail)}$"))
    return tuple(patterns)


@register.filter
def team_name(name: str) -> str:
    """A team's name in the reader's language when it is a numbered default ('Team 3')."""
    for pattern in _team_patterns():
        match = pattern.match(str(name))
        if match:
            return str(TEAM_NAME) % {"n": match.group(1)}
    return str(name)


@register.filter
def case_date(value: object) -> str:
    """A scenario's date ('2026-11-25') in the reader's language's date format; any other
    text as the author wrote it."""
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    try:
        parsed = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return str(value or "")
    return formats.date_format(parsed, "DATE_FORMAT")


@register.filter
def plain(value: object) -> str:
    """Short Markdown as one line of plain text: for words read aloud (announcements)."""
    return plain_text(str(value or ""))
