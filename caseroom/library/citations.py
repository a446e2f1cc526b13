"""Citing the library from other apps: "coop-guidelines#4.2" → a link and a label.

A reference is "<document slug>#<section key>" (a section) or "<document slug>" (the whole
document). `cite` and `resolve_many` give a `Citation` in the reader's language, falling back
to English (and then to any language the document has) and saying so; an unknown or
malformed reference gives None and the caller decides what to show. Only published documents
are cited unless `include_drafts` (staff pages). `unknown_refs` is for importers: the
references that name nothing, drafts included.

    >>> cite("coop-guidelines#4.2", "sr-latn")  # doctest: +SKIP
    Citation(url='/library/coop-guidelines/s/4.2/?lang=sr-latn',
             label='Smernice §4.2 — Zajednički istražni timovi', language_shown='sr-latn',
             fell_back=False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from . import vocab
from .models import KEY_PATTERN, SLUG_CHARS, Document, DocumentVersion, SectionText

__all__ = ["MAX_REFS", "Citation", "cite", "parse_ref", "resolve_many", "unknown_refs"]

MAX_REFS = 500  # one page cites a few dozen; an importer checks a form's few hundred
_SLUG = re.compile(rf"^[-a-zA-Z0-9_]{{1,{SLUG_CHARS}}}$")
_KEY = re.compile(KEY_PATTERN)


@dataclass(frozen=True)
class Citation:
    url: str
    label: str  # "Guidelines §4.2 — Joint investigation teams"
    language_shown: str
    fell_back: bool  # the label (and the page) is not in the language asked for


def parse_ref(ref: str) -> tuple[str, str | None] | None:
    """(slug, key or None) of a well-formed reference, else None."""
    if not isinstance(ref, str):
        return None
    slug, _hash, key = ref.strip().partition("#")
    if not _SLUG.match(slug) or (_hash and not _KEY.match(key)):
        return None
    return slug, (key if _hash else None)


def _choose(by_language: Mapping[str, object], language: str) -> str | None:
    for candidate in (language, vocab.FALLBACK_LANGUAGE):
        if candidate in by_language:
            return candidate
    return min(by_language) if by_language else None


def _parsed(refs: Iterable[str], limit: int | None = MAX_REFS) -> dict[str, tuple[str, str | None]]:
    parsed: dict[str, tuple[str, str | None]] = {}
    for ref in refs:
        found = parse_ref(ref)
        if found is not None:
            parsed[ref] = found
        if limit is not None and len(parsed) >= limit:
            break
    return parsed


def resolve_many(
    refs: Iterable[str], language: str, *, include_drafts: bool = False
) -> dict[str, Citation]:
    """The citations of the references that resolve (two queries whatever their number,
    up to MAX_REFS distinct references)."""
    language = vocab.library_language(language)
    parsed = _parsed(refs)
    slugs = {slug for slug, _key in parsed.values()}
    if not slugs:
        return {}
    documents = Q(document__slug__in=slugs)
    if not include_drafts:
        documents &= Q(document__published=True)
    titles: dict[str, dict[str, tuple[str, str]]] = {}
    for slug, lang, title, short in DocumentVersion.objects.filter(documents).values_list(
        "document__slug", "language", "title", "short_title"
    ):
        titles.setdefault(slug, {})[lang] = (title, short or title)
    keys = {key for _slug, key in parsed.values() if key is not None}
    headings: dict[tuple[str, str], dict[str, str]] = {}
    if keys:
        # Slugs × keys may name a few rows no reference asked for: ignored below.
        texts = SectionText.objects.filter(section__document__slug__in=slugs, section__key__in=keys)
        if not include_drafts:
            texts = texts.filter(section__document__published=True)
        for slug, key, lang, heading in texts.values_list(
            "section__document__slug", "section__key", "language", "heading"
        ):
            headings.setdefault((slug, key), {})[lang] = heading
    found: dict[str, Citation] = {}
    for ref, (ref_slug, ref_key) in parsed.items():
        citation = _citation(ref_slug, ref_key, language, titles.get(ref_slug, {}), headings)
        if citation is not None:
            found[ref] = citation
    return found


def _citation(
    slug: str,
    key: str | None,
    language: str,
    titles: dict[str, tuple[str, str]],
    headings: dict[tuple[str, str], dict[str, str]],
) -> Citation | None:
    if not titles:
        return None
    if key is None:
        shown = _choose(titles, language)
        assert shown is not None
        url = reverse("library:document", args=[slug])
        return Citation(_with_language(url, language), titles[shown][0], shown, shown != language)
    texts = headings.get((slug, key))
    shown = _choose(texts, language) if texts else None
    if texts is None or shown is None:
        return None
    title_language = shown if shown in titles else _choose(titles, shown)
    assert title_language is not None
    label = f"{titles[title_language][1]} §{key} — {texts[shown]}"
    url = reverse("library:section", args=[slug, key])
    return Citation(_with_language(url, language), label, shown, shown != language)


def _with_language(url: str, language: str) -> str:
    return f"{url}?{urlencode({'lang': language})}"


def cite(ref: str, language: str, *, include_drafts: bool = False) -> Citation | None:
    """The citation of one reference, or None (see the module docstring)."""
    return resolve_many([ref], language, include_drafts=include_drafts).get(ref)


def unknown_refs(refs: Iterable[str]) -> list[str]:
    """The references, in their order, that are malformed or name no document or section
    (drafts count as known: a questionnaire may be prepared before the guidelines are
    published). Two queries."""
    refs = list(dict.fromkeys(refs))
    parsed = _parsed(refs, limit=None)
    slugs = {slug for slug, _key in parsed.values()}
    known_documents = set(Document.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    keys = {key for slug, key in parsed.values() if key is not None and slug in known_documents}
    known_sections = (
        set(
            SectionText.objects.filter(
                section__document__slug__in=known_documents, section__key__in=keys
            ).values_list("section__document__slug", "section__key")
        )
        if keys
        else set()
    )
    unknown = []
    for ref in refs:
        found = parsed.get(ref)
        missing_section = found is not None and found[1] is not None and found not in known_sections
        if found is None or found[0] not in known_documents or missing_section:
            unknown.append(ref)
    return unknown
