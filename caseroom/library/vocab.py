"""The library's fixed vocabularies: audiences, topics, countries, kinds and languages.

Audiences and topics are small fixed lists with translated labels, stored on a document as a
bit mask (one integer column): a filter is `mask & bit`, the list page needs no join or
prefetch, and a pack per audience is one indexed scan. The bit of an entry is its position in
the tuple, so entries are only ever appended, never reordered or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AUDIENCES",
    "FALLBACK_LANGUAGE",
    "LANGUAGES",
    "TOPICS",
    "Country",
    "Kind",
    "Term",
    "bits",
    "codes",
    "language_label",
    "library_language",
    "terms",
]


@dataclass(frozen=True)
class Term:
    code: str
    label: str | Promise
    bit: int


def _terms(entries: Iterable[tuple[str, str | Promise]]) -> tuple[Term, ...]:
    return tuple(Term(code, label, 1 << i) for i, (code, label) in enumerate(entries))


# Append only: a term's bit is its position (see the module docstring).
AUDIENCES = _terms(
    [
        ("police", _("Police")),
        ("prosecutors", _("Prosecutors")),
        ("judges", _("Judges")),
        ("labour-inspectors", _("Labour inspectors")),
        ("social-workers", _("Social workers")),
        ("ngos", _("NGOs")),
        ("border-migration", _("Border and migration officials")),
    ]
)
TOPICS = _terms(
    [
        ("mla", _("Mutual legal assistance")),
        ("informal-exchange", _("Informal exchange of information")),
        ("jit", _("Joint investigation teams")),
        ("victim-identification", _("Victim identification")),
        ("victim-protection", _("Victim and witness protection")),
        ("financial-investigation", _("Financial investigation")),
        ("smuggling", _("Smuggling of migrants")),
        ("trafficking", _("Trafficking in persons")),
        ("evidence", _("Evidence and admissibility")),
        ("legislation", _("Legislation")),
    ]
)
# Room for every term in a PositiveSmallIntegerField / PositiveIntegerField.
assert len(AUDIENCES) <= 15 and len(TOPICS) <= 31


def bits(vocabulary: tuple[Term, ...], selected: Iterable[str]) -> int:
    """The mask of the selected codes (unknown codes are a bug: KeyError)."""
    by_code = {term.code: term.bit for term in vocabulary}
    mask = 0
    for code in selected:
        mask |= by_code[code]
    return mask


def terms(vocabulary: tuple[Term, ...], mask: int) -> tuple[Term, ...]:
    return tuple(term for term in vocabulary if mask & term.bit)


def codes(vocabulary: tuple[Term, ...], mask: int) -> list[str]:
    return [term.code for term in terms(vocabulary, mask)]


class Kind(models.TextChoices):
    GUIDELINES = "guidelines", _("Guidelines")
    LAW = "law", _("Law")
    HANDBOOK = "handbook", _("Handbook")
    INDICATOR_CARD = "indicator-card", _("Indicator card")
    TEMPLATE = "template", _("Template")
    REFERENCE_CARD = "reference-card", _("Reference card")


class Country(models.TextChoices):
    """Where a document applies: a State of the region, or the whole region, or beyond."""

    REGIONAL = "regional", _("Regional")
    INTERNATIONAL = "international", _("International")
    AL = "AL", _("Albania")
    BA = "BA", _("Bosnia and Herzegovina")
    HR = "HR", _("Croatia")
    XK = "XK", _("Kosovo*")
    ME = "ME", _("Montenegro")
    MK = "MK", _("North Macedonia")
    RS = "RS", _("Serbia")


# The languages documents are written in: the guidelines of the region were published in
# English, Albanian, Bosnian, Croatian and Macedonian, and used in Serbian and Montenegrin.
# Codes follow settings.LANGUAGES where the UI has the language ("sr-latn").
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("sq", "Shqip"),
    ("bs", "Bosanski"),
    ("hr", "Hrvatski"),
    ("mk", "Македонски"),
    ("sr-latn", "Srpski (latinica)"),
    ("sr-cyrl", "Српски (ћирилица)"),
    ("cnr", "Crnogorski"),
)
FALLBACK_LANGUAGE = "en"
_KNOWN = {code for code, _name in LANGUAGES}
# What a browser or Django may call a language we hold under another code.
_ALIASES = {"sr": "sr-latn", "sr-latin": "sr-latn", "sr-cyrillic": "sr-cyrl", "me": "cnr"}


def library_language(code: str | None) -> str:
    """A reader's language code as the library stores it ("sr-Latn" → "sr-latn", "en-gb" →
    "en"); English when nothing fits."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in _KNOWN:
        return code
    if code in _ALIASES:
        return _ALIASES[code]
    primary = code.split("-")[0]
    if primary in _KNOWN:
        return primary
    return _ALIASES.get(primary, FALLBACK_LANGUAGE)


def language_label(code: str) -> str:
    return dict(LANGUAGES).get(code, code)
