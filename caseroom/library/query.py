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


# Serbian is written in both scripts and Macedonian in Cyrillic: a person typing on a Latin
# keyboard ("trgovina ljudima", "lugje") must find the Cyrillic text ("трговина људима",
# "луѓе") and back. Serbian Latin and Cyrillic map letter for letter (lj, nj, dž are one
# letter each); Macedonian's ѓ, ќ, ѕ are written gj, kj, dz in Latin.
_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
# Latin to Cyrillic: one letter for each of the table's, and the two-letter ones of each
# language first ("dz" is ѕ in Macedonian only; Serbian writes д and з).
_SINGLE = {latin: cyrillic for cyrillic, latin in _TO_LATIN.items() if len(latin) == 1}
_SERBIAN_LETTERS = {"dž": "џ", "lj": "љ", "nj": "њ"}
_MACEDONIAN_LETTERS = {**_SERBIAN_LETTERS, "gj": "ѓ", "kj": "ќ", "dz": "ѕ"}
# Words of the Serbian Latin alphabet only (no q, w, x, y): others are not transliterated.
_LATIN_WORD = re.compile(r"[a-pr-vzčćđšž]+")
_CYRILLIC_WORD = re.compile(f"[{''.join(_TO_LATIN)}]+")  # not Russian й, ы…: left as typed


def _to_cyrillic(word: str, letters: dict[str, str]) -> str:
    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in letters:
            out.append(letters[pair])
            i += 2
        else:
            out.append(_SINGLE.get(word[i], word[i]))
            i += 1
    return "".join(out)


def _variants(word: str) -> tuple[str, ...]:
    """The word as typed; with "dj" written "đ" or back (Serbian and Croatian names are
    often typed without đ: "Djordjevic" for "Đorđević"); and in the other script (Serbian
    and Macedonian Cyrillic for a Latin word, Latin for a Cyrillic one). The other
    diacritics are folded by the index itself (FTS5 remove_diacritics, PostgreSQL
    unaccent) — in Latin only: "krijumcarenje" typed without č finds "krijumčarenje" but
    not "кријумчарење", whose ч is a letter of its own."""
    found = [word]

    def add(other: str) -> None:
        if other not in found:
            found.append(other)

    for other in (word.replace("dj", "đ"), word.replace("đ", "dj")):
        add(other)
    if _LATIN_WORD.fullmatch(word):
        for spelling in list(found):
            add(_to_cyrillic(spelling, _SERBIAN_LETTERS))
            add(_to_cyrillic(spelling, _MACEDONIAN_LETTERS))
    elif _CYRILLIC_WORD.fullmatch(word):
        add("".join(_TO_LATIN[letter] for letter in word))
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
