"""Author and user Markdown to safe HTML: rendered by markdown-it, then sanitised by nh3.

A scenario is written by trainers and may be uploaded by anyone with a trainer account;
whatever it contains, participants' browsers must never run script from it.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape, unescape

import nh3
from markdown_it import MarkdownIt

__all__ = ["plain_text", "render_markdown"]

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    "table"
)
_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "del",
}


def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown text. A text that carries a language of its own (a scenario
    text shown in its source language because the reader's has no translation of it,
    `engine.translations.Fallback`) is wrapped in `<div lang="…">` so screen readers switch."""
    html = _render(str(text or ""))
    lang = getattr(text, "lang", None)
    if isinstance(lang, str) and html:
        return f'<div lang="{escape(lang, quote=True)}">{html}</div>'
    return html


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """(Cached: scenario texts repeat on every page.)"""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """A short Markdown text (an action, a title) as one line of plain text, for places
    that show no formatting: lists of options, charts, spreadsheets, the projector."""
    stripped = nh3.clean(_md.render(text or ""), tags=set())
    return " ".join(unescape(stripped).split())
