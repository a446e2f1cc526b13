"""A scenario in other languages: translation files read, checked, written, and applied.

Translators work in gettext: `translations/<lang>.po` in the scenario folder, one entry per
string with the stable key of `strings.catalogue` as `msgctxt`, the source text as `msgid`
and the translation as `msgstr` (Poedit, Weblate and Lokalise open it). `files` reads them,
`localise` gives a reader's texts with the source language as fallback string by string,
`checks` says what the validator reports, `pofile` writes and updates the files.
"""

from .checks import check_translations, markdown_shape
from .files import Entry, TranslationFile, is_language_tag, normalise_language, parse_po
from .localise import (
    Fallback,
    LocalisedTexts,
    file_for,
    is_stale,
    localise,
    placeholders,
    shown,
    source_language,
)
from .pofile import UpdateReport, update_po

__all__ = [
    "Entry",
    "Fallback",
    "LocalisedTexts",
    "TranslationFile",
    "UpdateReport",
    "check_translations",
    "file_for",
    "is_language_tag",
    "is_stale",
    "localise",
    "markdown_shape",
    "normalise_language",
    "parse_po",
    "placeholders",
    "shown",
    "source_language",
    "update_po",
]
