"""Sanitised HTML fragments (what `lib.markdown.render_markdown` lets through) for a Word
document: as paragraphs and runs of python-docx, or as plain text for a table cell.

Pure Python: the python-docx Document is passed in, so this module imports nothing of it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

__all__ = ["add_html", "plain"]


class _HtmlToDocx(HTMLParser):
    """Writes the sanitised HTML of render_markdown as Word paragraphs and runs.

    Handles what render_markdown lets through: paragraphs, headings, lists, quotes, code,
    emphasis, line breaks; table cells become tab-separated lines.
    """

    def __init__(self, document: Any, base_level: int = 3) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.base_level = base_level
        self.paragraph: Any = None
        self.lists: list[str] = []
        self.bold = 0
        self.italic = 0
        self.code = 0
        self.quote = 0
        self.cells = 0

    def _new(self, style: str | None = None) -> Any:
        self.paragraph = self.document.add_paragraph(style=style)
        return self.paragraph

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "pre"}:
            if not self.lists:
                self._new("Quote" if self.quote else None)
        elif tag in {"h1", "h2", "h3", "h4"}:
            level = min(self.base_level + int(tag[1]) - 1, 9)
            self.paragraph = self.document.add_heading(level=level)
        elif tag in {"ul", "ol"}:
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self._new(style)
        elif tag in {"strong", "b", "th"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "tr":
            self._new()
            self.cells = 0
        elif tag in {"td", "th"}:
            if self.cells and self.paragraph is not None:
                self.paragraph.add_run("\t")
            self.cells += 1
            if tag == "th":
                return
        elif tag == "hr":
            self._new()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"p", "pre", "h1", "h2", "h3", "h4", "li", "tr"}:
            self.paragraph = None
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag in {"strong", "b", "th"}:
            self.bold = max(self.bold - 1, 0)
        elif tag in {"em", "i"}:
            self.italic = max(self.italic - 1, 0)
        elif tag == "code":
            self.code = max(self.code - 1, 0)
        elif tag == "blockquote":
            self.quote = max(self.quote - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.paragraph is None:
            if not data.strip():
                return
            self._new()
        text = data if self.code else " ".join(data.split("\n"))
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Consolas"


def add_html(document: Any, html: str) -> None:
    """Append a sanitised HTML fragment (render_markdown's output) to a python-docx Document."""
    parser = _HtmlToDocx(document)
    parser.feed(html)
    parser.close()


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "li", "br", "tr"} and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain(html: str) -> str:
    """The text of a sanitised HTML fragment, paragraphs on their own lines."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.parts).splitlines() if line.strip())
