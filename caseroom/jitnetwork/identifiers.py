"""Obvious identifiers in a request-board text: e-mail addresses, IBANs, phone numbers and
ID-like numbers. Pure Python; a check, not a guarantee, so the form also warns in words.

Each finding carries its span, so the refusal can quote exactly what to remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Two letters, two check digits, then 11 to 30 letters or digits, in groups or not.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
# A phone number: an optional +, then 8 to 15 digits with spaces, dots, dashes, slashes or
# brackets between them (years such as "2019 2022" have too few digits in a row to match).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\d ./()-]{6,20})\d\b")
# ID-like: a personal number (JMBG/EMBG 13 digits, other national numbers 7 to 12) or a
# document number of letters and digits (AB1234567).
# Years alone ("2019, 2022", "2024-2025") are what the board is for, not a phone number.
_YEARS = re.compile(r"(?:19|20)\d\d(?:[ ,./-]+(?:19|20)\d\d)*")
_ID = re.compile(r"\b(?:\d{7,13}|[A-Z]{1,3}\d{6,9})\b")


@dataclass(frozen=True)
class Finding:
    kind: str  # "email", "iban", "phone", "id"
    start: int
    end: int
    text: str


def _iban_ok(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def find_identifiers(text: str) -> list[Finding]:
    """Every obvious identifier in `text`, in order, none overlapping another."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, start, end, text[start:end]))

    for match in _EMAIL.finditer(text):
        add("email", *match.span())
    for match in _IBAN.finditer(text.upper()):
        # The pattern runs on into a following word ("… 984 OK"): the longest prefix whose
        # check digits are right is the IBAN.
        for end in range(match.end(), match.start() + 14, -1):
            if text[end - 1 : end] != " " and _iban_ok(text.upper()[match.start() : end]):
                add("iban", match.start(), end)
                break
    for match in _ID.finditer(text):
        add("id", *match.span())
    for match in _PHONE.finditer(text):
        if 8 <= _digits(match.group()) <= 15 and not _YEARS.fullmatch(match.group()):
            add("phone", *match.span())
    return sorted(found, key=lambda f: f.start)
