"""Keys that let the same person be found however their name was typed.

A registration list from Skopje may say "Петровска", one from Belgrade "Petrovska", a third
"PETROVSKA": all three must meet. `match_key` lower-cases, transliterates Serbian and
Macedonian Cyrillic to Latin and strips accents, giving "family given" in plain ASCII
letters. The table below is the one both scripts' official romanisations agree on, with the
letters whose Latin form has no decomposition in Unicode (đ, Macedonian ǵ and ḱ) spelt the
way people type them without a local keyboard:

    Cyrillic  Latin        Cyrillic  Latin        Cyrillic  Latin
    а б в г   a b v g      л љ м н   l lj m n     ћ ќ у ф   c kj u f
    д ђ ѓ е   d dj gj e    њ о п р   nj o p r    х ц ч џ   h c c dz
    ж з ѕ и   z z dz i     с т       s t          ш         s
    ј к       j k

    Latin đ → dj, ǵ → gj, ḱ → kj; č ć š ž and Albanian ç ë lose their marks (c c s z c e).

Russian, Ukrainian and Bulgarian letters that turn up in names (й я ю ё ы э щ ъ ь є і ї)
are mapped too, so a trainer from elsewhere is not split in two. Digits are kept; hyphens,
apostrophes and other punctuation become spaces ("Hoxha-Berisha" = "Hoxha Berisha").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["email_key", "match_key", "phone_key", "plain"]

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "ѓ": "gj", "е": "e",
    "ж": "z", "з": "z", "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj",
    "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "ћ": "c", "ќ": "kj", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz",
    "ш": "s",
    # Neighbouring alphabets.
    "й": "j", "я": "ja", "ю": "ju", "ё": "e", "ы": "y", "э": "e", "щ": "s", "ъ": "",
    "ь": "", "є": "je", "і": "i", "ї": "ji",
}  # fmt: skip
# Latin letters with no Unicode decomposition, or whose usual ASCII spelling is two letters.
_LATIN = {"đ": "dj", "ǵ": "gj", "ḱ": "kj", "ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\D+")


def plain(text: str) -> str:
    """`text` as lower-case ASCII words separated by single spaces."""
    lowered = unicodedata.normalize("NFC", text).casefold().translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Letters of other scripts (Greek, Arabic) drop out here; the key then rests on the rest.
    return _NOT_ALNUM.sub(" ", ascii_only.casefold()).strip()


def match_key(given_name: str, family_name: str) -> str:
    """ "family given", the key under which the same person is looked up (Person.match_key)."""
    return f"{plain(family_name)} {plain(given_name)}".strip()[:210]


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    """The last eight digits: "+381 64 123 4567" and "064/123-4567" meet; shorter is no key."""
    digits = _DIGITS.sub("", phone)
    return digits[-8:] if len(digits) >= 6 else ""
