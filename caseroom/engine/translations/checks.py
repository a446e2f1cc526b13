"""What the validator says about a scenario's translations, each at the file and line where
the translator has to look: unknown languages and keys, missing, stale and fuzzy-stale
entries, placeholders and Markdown structure that differ from the source.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from ..diagnostics import Diagnostic, Location, Severity
from .files import CODE, TranslationFile, is_language_tag, normalise_language
from .localise import is_stale, placeholders, source_language

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = ["check_translations", "markdown_shape"]

# The parser the app renders with (caseroom/lib/markdown.py: CommonMark and tables), so a
# difference found here is a difference a participant would see.
_md = MarkdownIt("commonmark").enable("table")
# Token types that make the structure, by what an author calls them. Text, soft breaks and
# the order of inline marks may differ between languages; their number may not.
_SHAPES = {
    "paragraph_open": "paragraphs",
    "heading_open": "headings",
    "bullet_list_open": "bulleted lists",
    "ordered_list_open": "numbered lists",
    "list_item_open": "list items",
    "blockquote_open": "quotes",
    "table_open": "tables",
    "tr_open": "table rows",
    "th_open": "table cells",
    "td_open": "table cells",
    "fence": "code blocks",
    "code_block": "code blocks",
    "hr": "rules",
    "link_open": "links",
    "em_open": "emphasis",
    "strong_open": "strong emphasis",
    "code_inline": "code spans",
    "image": "images",
    "hardbreak": "line breaks",
}


@lru_cache(maxsize=8192)
def markdown_shape(text: str) -> tuple[tuple[str, int], ...]:
    """How many of each Markdown element a text has, and its link targets, sorted."""
    counts: Counter[str] = Counter()
    for token in _md.parse(text):
        for item in [token, *(token.children or [])]:
            name = _SHAPES.get(item.type)
            if name is not None:
                counts[name] += 1
            if item.type == "link_open":
                counts[f"link to {item.attrGet('href')}"] += 1
    return tuple(sorted(counts.items()))


def _markdown_difference(source: str, translation: str) -> str:
    before, after = dict(markdown_shape(source)), dict(markdown_shape(translation))
    changes = [
        f"{name} {before.get(name, 0)} → {after.get(name, 0)}"
        for name in sorted(set(before) | set(after))
        if before.get(name, 0) != after.get(name, 0)
    ]
    return ", ".join(changes)


def _warn(file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(Location(file, line, 1 if line else 0), message, Severity.warning, CODE)


def _check_file(
    scenario: Scenario, table: TranslationFile, source: dict[str, str]
) -> list[Diagnostic]:
    found = list(table.notes)
    lang = table.lang
    declared = {normalise_language(code) for code in scenario.doc.languages}
    if not is_language_tag(lang):
        found.append(
            _warn(
                table.file,
                0,
                f"'{lang}' is not a language code: a translation file is named after its "
                "language (mk.po, sq.po, sr-latn.po)",
            )
        )
    elif lang not in declared and lang.split("-")[0] not in declared:
        found.append(
            Diagnostic(
                scenario.source.locate(("languages",)),
                f"{table.file} exists but '{lang}' is not in languages",
                Severity.warning,
                CODE,
            )
        )
    if table.language_header and normalise_language(table.language_header) != lang:
        found.append(
            _warn(
                table.file,
                1,
                f"the header says Language: {table.language_header}, the file name '{lang}'",
            )
        )
    for key, entry in table.entries.items():
        text = source.get(key)
        if text is None:
            found.append(_warn(table.file, entry.line, f"unknown string key '{key}'"))
            continue
        if not entry.msgstr.strip():
            continue  # counted with the missing ones below
        if is_stale(entry, text):
            found.append(
                _warn(
                    table.file,
                    entry.line,
                    f"stale: the source of '{key}' changed since this was translated; it is "
                    f"shown in the source language until the translation is updated "
                    f"(`caseroom strings FOLDER --po {lang}` marks what changed)",
                )
            )
            continue
        want, got = placeholders(text), placeholders(entry.msgstr)
        if want != got:
            lost = ", ".join(sorted((want - got).elements())) or "none"
            extra = ", ".join(sorted((got - want).elements())) or "none"
            found.append(
                _warn(
                    table.file,
                    entry.line,
                    f"'{key}': placeholders differ from the source (missing: {lost}; "
                    f"not in the source: {extra}); the source is shown instead",
                )
            )
            continue
        difference = _markdown_difference(text, entry.msgstr)
        if difference:
            found.append(
                _warn(
                    table.file,
                    entry.line,
                    f"'{key}': the Markdown differs from the source ({difference})",
                )
            )
    translated = {key for key, entry in table.entries.items() if entry.msgstr.strip()}
    missing = sum(1 for key in source if key not in translated)
    if missing:
        found.append(
            _warn(
                table.file,
                0,
                f"{missing} of {len(source)} strings have no '{lang}' translation and are shown "
                f"in the source language (list them: caseroom strings FOLDER --lang {lang} "
                "--missing)",
            )
        )
    return found


def check_translations(scenario: Scenario) -> list[Diagnostic]:
    """Every finding about the scenario's translation files (warnings: the case still plays,
    with the source text wherever a translation cannot be shown)."""
    from ..strings import catalogue

    source = catalogue(scenario)
    found: list[Diagnostic] = []
    source_lang = source_language(scenario)
    for lang, table in scenario.source.translations.items():
        if lang == source_lang:
            found.append(
                _warn(table.file, 0, f"'{lang}' is the source language: nothing to translate")
            )
            continue
        found.extend(_check_file(scenario, table, source))
    return found
