"""Case text marked with its language where it falls back to the source (`lang="en"`), and
the page's one notice about the language of the case.

`{% load case_language %}`, then `{% marked_text scenario "scene" scene.id "title" %}` in
element content (never inside an attribute or `<title>`: use `{% text %}` there),
`{{ value|marked }}` for a text a builder resolved, `{% case_language_notice scenario %}` once
per page. Markdown needs nothing: `lib.markdown.render_markdown` wraps a fallback itself.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from caseroom.engine import Scenario
from caseroom.scenarios.texts import LanguageNotice, language_notice, scenario_text

register = template.Library()


@register.filter
def marked(value: object) -> SafeString:
    """The text escaped, inside `<span lang="…">` if it is shown in the source language."""
    lang = getattr(value, "lang", None)
    if isinstance(value, str) and isinstance(lang, str) and value:
        return format_html('<span lang="{}">{}</span>', lang, str(value))
    return SafeString(conditional_escape(str(value) if value is not None else ""))


@register.simple_tag
def marked_text(scenario: Scenario, key: str, *parts: Any) -> SafeString:
    """`{% text %}` for element content: marked with `lang` when it falls back."""
    if parts:
        key = ".".join(str(p) for p in (key, *parts))
    return marked(scenario_text(scenario, key))


@register.inclusion_tag("scenarios/_case_language.html")
def case_language_notice(scenario: Scenario) -> dict[str, LanguageNotice | None]:
    return {"notice": language_notice(scenario)}
