"""What a person typed into the search box, made safe for either full-text engine.

Only words reach the database: letters and digits of any script. FTS5 and tsquery syntax
(quotes, `*`, `^`, `:`, parentheses, NEAR, AND/OR/NOT as operators) is dropped, so no query
can raise a syntax error; AND/OR/NOT typed as words are searched as words. The backends
build their own query from `Terms` (search_sqlite.py, search_postgres.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

__all__ = ["MAX_QUERY_CHARS", "MAX_TERMS", "Terms", "parse"]

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 40
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Terms:
    words: tuple[tuple[str, ...], ...]  # each word with its spelling variants, all required
    notice: str  # what was changed in the query, for the reader ("" if nothing)

    def __bool__(self) -> bool:
        return bool(self.words)


def _variants(word: str) -> tuple[str, ...]:
    """The word as typed, and with "dj" written "đ" or back: Serbian and Croatian names are
    often typed without đ ("Djordjevic" for "Đorđević"); the other diacritics are folded by
    the index itself (FTS5 remove_diacritics, PostgreSQL unaccent)."""
    found = [word]
    for other in (word.replace("dj", "đ"), word.replace("đ", "dj")):
        if other not in found:
            found.append(other)
    return tuple(found)


def parse(query: str) -> Terms:
    # NFKC: fullwidth and compatibility forms ("ｗａｇｅｓ", "ﬁ") are the letters they show.
    text = unicodedata.normalize("NFKC", query).strip()
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(
            _("Only the first %(n)d characters of the query were searched.")
            % {"n": MAX_QUERY_CHARS}
        )
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word[:MAX_TERM_CHARS]
        if word not in words:
            words.append(word)
    if len(words) > MAX_TERMS:
        words = words[:MAX_TERMS]
        notes.append(_("Only the first %(n)d words were searched.") % {"n": MAX_TERMS})
    if text and not words:
        notes.append(_("Type at least one word: punctuation alone is not searched."))
    return Terms(tuple(_variants(word) for word in words), " ".join(notes))
