"""Translation files of a scenario folder read into entries: `translations/<lang>.po` (gettext,
what Poedit, Weblate and Lokalise open) and the older `translations/<lang>.yaml` (key: text).

A file comes from an upload like every other scenario file, so reading is bounded (the folder
reader checks `limits.MAX_TRANSLATION_*` first) and never raises: a broken file becomes a
diagnostic with its file and line, and the scenario is not loaded until it is fixed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import polib  # type: ignore[import-untyped]  # polib ships no type information

from ..diagnostics import Diagnostic, Location, Severity

__all__ = [
    "Entry",
    "TranslationFile",
    "is_language_tag",
    "normalise_language",
    "parse_po",
    "from_mapping",
]

CODE = "translation"
# BCP 47 as far as file names need it: a 2-3 letter language, then subtags (sr-latn, pt-br).
_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_LINE = re.compile(r"\(line (\d+)\)")


def normalise_language(code: str) -> str:
    """`sr_Latn`, `sr-Latn` and `sr-latn` are one language: lower case with hyphens."""
    return code.strip().replace("_", "-").lower()


def is_language_tag(code: str) -> bool:
    return bool(_TAG.match(normalise_language(code)))


@dataclass(frozen=True)
class Entry:
    """One translated string: its key, the translation and what the translator saw."""

    key: str
    msgstr: str
    line: int
    # The source text the translation was made from; None in the YAML form, which has no
    # record of it (so a YAML translation is never found stale).
    msgid: str | None = None
    # gettext's `#| msgid`: the source before it last changed (set by `caseroom strings --po`
    # and msgmerge together with `fuzzy`).
    previous: str | None = None
    fuzzy: bool = False


@dataclass
class TranslationFile:
    """A language's translations: entries by key, and what was wrong with the file itself."""

    lang: str
    file: str  # relative to the scenario folder, as diagnostics name it
    entries: dict[str, Entry] = field(default_factory=dict)
    notes: list[Diagnostic] = field(default_factory=list)  # warnings, reported by the validator
    language_header: str | None = None


def _warn(file: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(Location(file, line, 1 if line else 0), message, Severity.warning, CODE)


def parse_po(text: str, rel: str, lang: str, problems: list[Diagnostic]) -> TranslationFile | None:
    """A .po file's entries; None (with an error in `problems`) when it cannot be read."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(
            Diagnostic(Location(rel, line, 1), "a NUL character in the file", code=CODE)
        )
        return None
    result = TranslationFile(lang, rel)
    if not text.strip():
        return result
    # polib reads its argument as a file name when a file of that name exists: content that
    # is one line (a path such as /etc/passwd) is never handed to it. A .po entry needs two
    # lines (msgid and msgstr), so no real file is lost.
    if "\n" not in text.strip() or os.path.lexists(text):
        problems.append(
            Diagnostic(
                Location(rel, 1, 1), "not a gettext file: no msgid/msgstr entries", code=CODE
            )
        )
        return None
    try:
        po: Any = polib.pofile(text, encoding="utf-8", wrapwidth=0)
    except Exception as error:  # noqa: BLE001 (a third-party parser fed uploaded text: any failure is the file's)
        found = _LINE.search(str(error))
        line = int(found.group(1)) if found else 0
        detail = str(error).split(":", 1)[1].strip() if ": " in str(error) else ""
        problems.append(
            Diagnostic(
                Location(rel, line, 1 if line else 0),
                "gettext syntax error"
                + (f" ({detail})" if detail else "")
                + ": each entry is msgctxt, msgid and msgstr lines with text in double quotes",
                code=CODE,
            )
        )
        return None
    header = po.metadata.get("Language")
    result.language_header = header if isinstance(header, str) and header else None
    for entry in po:
        if entry.obsolete:
            continue
        line = max(int(entry.linenum), 1)
        if entry.msgid_plural:
            result.notes.append(
                _warn(rel, line, "plural forms are not used in scenario texts; entry ignored")
            )
            continue
        key = entry.msgctxt
        if not key:
            result.notes.append(
                _warn(rel, line, "an entry without msgctxt: the string's key goes in msgctxt")
            )
            continue
        if key in result.entries:
            first = result.entries[key].line
            result.notes.append(
                _warn(
                    rel,
                    line,
                    f"'{key}' is translated twice (first at line {first}); this one is ignored",
                )
            )
            continue
        result.entries[key] = Entry(
            key=key,
            msgstr=entry.msgstr,
            line=line,
            msgid=entry.msgid,
            previous=entry.previous_msgid or None,
            fuzzy="fuzzy" in entry.flags,
        )
    return result


def from_mapping(data: Any, rel: str, lang: str, lines: dict[str, int]) -> TranslationFile:
    """The YAML form (`key: translated text`) as entries; `lines` gives each key's line."""
    result = TranslationFile(lang, rel)
    if not isinstance(data, dict):
        result.notes.append(_warn(rel, 1, "a translation file maps string keys to text"))
        return result
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if not isinstance(key, str) or not isinstance(value, str):
            result.notes.append(_warn(rel, line, f"'{key}' is not translated as text; ignored"))
            continue
        result.entries[key] = Entry(key=key, msgstr=value, line=line)
    return result
