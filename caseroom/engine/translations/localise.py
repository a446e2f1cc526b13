"""A scenario's texts in one language, string by string, with the source language wherever a
translation is missing, empty, stale or breaks a placeholder.

Only text changes: ids, conditions and the event log are the same in every language, so a
team whose members read different languages plays one session, and replays are untouched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .files import Entry, TranslationFile, normalise_language

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = [
    "Fallback",
    "LocalisedTexts",
    "file_for",
    "is_stale",
    "localise",
    "placeholders",
    "shown",
    "source_language",
]

# What the app or a later version may substitute into a text: Jinja/Django `{{ name }}` and
# Python's `%(name)s`. None of the shipped scenarios uses them; a translation that drops or
# invents one would show a participant something else, so it is not shown.
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]")


class Fallback(str):
    """A text shown in the source language because the reader's has no usable translation.

    A `str` everywhere (compared, joined, escaped as one); templates that can say so mark it
    with `lang` (`Fallback.lang`, the scenario's source language).
    """

    lang: str

    def __new__(cls, text: str, lang: str) -> Fallback:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __reduce__(self) -> tuple[type[Fallback], tuple[str, str]]:
        return (Fallback, (str(self), self.lang))


@dataclass(frozen=True)
class LocalisedTexts:
    """Every key of a scenario in `lang`: `texts[key]` is the translation or a `Fallback`."""

    lang: str | None  # as asked (the reader's language); None: the source
    source_lang: str
    translated_from: str | None  # the file used (`translations/mk.po`), None if none
    texts: Mapping[str, str]
    fallback: frozenset[str]  # keys shown in the source language
    drafts: frozenset[str]  # keys whose translation is a draft for review (`#, fuzzy`)

    @property
    def is_source(self) -> bool:
        """The reader reads the source language: nothing is translated or missing."""
        return self.translated_from is None and not self.fallback

    def text(self, key: str | None) -> str:
        return self.texts.get(key, "") if key is not None else ""


def source_language(scenario: Scenario) -> str:
    """The language the scenario is written in: the first of `languages`."""
    languages = scenario.doc.languages
    return normalise_language(languages[0]) if languages else "en"


def _base(code: str) -> str:
    return code.split("-", 1)[0]


def file_for(scenario: Scenario, lang: str) -> TranslationFile | None:
    """The translation for `lang`: its own file (`sr-latn.po`), else its language's (`sr.po`)."""
    files = scenario.source.translations
    wanted = normalise_language(lang)
    return files.get(wanted) or files.get(_base(wanted))


def placeholders(text: str) -> Counter[str]:
    return Counter(match.group() for match in _PLACEHOLDER.finditer(text))


def is_stale(entry: Entry, source: str) -> bool:
    """The source changed since this was translated: the msgid is not the current text, or
    an update marked it fuzzy with the text it had before (`#| msgid`)."""
    if entry.msgid is not None and entry.msgid != source:
        return True
    return entry.fuzzy and entry.previous is not None and entry.previous != entry.msgid


def shown(entry: Entry | None, source: str) -> bool:
    """Whether a participant sees this translation (else the source text)."""
    return (
        entry is not None
        and bool(entry.msgstr.strip())
        and not is_stale(entry, source)
        and placeholders(entry.msgstr) == placeholders(source)
    )


def localise(scenario: Scenario, lang: str | None) -> LocalisedTexts:
    """The texts of `scenario` in `lang`, computed once per loaded scenario and language (the
    registry keeps one loaded scenario per version, so this is per digest and language)."""
    cache_key = f"localised:{lang}"
    cached = scenario.cache.get(cache_key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from ..strings import catalogue  # the strings module builds on scenarios that import this

    source = catalogue(scenario)
    source_lang = source_language(scenario)
    found = None
    if lang is not None and _base(normalise_language(lang)) != _base(source_lang):
        found = file_for(scenario, lang)
    if lang is None or (found is None and _base(normalise_language(lang)) == _base(source_lang)):
        result = LocalisedTexts(lang, source_lang, None, source, frozenset(), frozenset())
    else:
        texts: dict[str, str] = {}
        fallback: set[str] = set()
        drafts: set[str] = set()
        entries = found.entries if found is not None else {}
        for key, text in source.items():
            entry = entries.get(key)
            if entry is not None and shown(entry, text):
                texts[key] = entry.msgstr
                if entry.fuzzy:
                    drafts.add(key)
            else:
                texts[key] = Fallback(text, source_lang)
                fallback.add(key)
        result = LocalisedTexts(
            lang,
            source_lang,
            found.file if found is not None else None,
            texts,
            frozenset(fallback),
            frozenset(drafts),
        )
    scenario.cache[cache_key] = result
    return result
