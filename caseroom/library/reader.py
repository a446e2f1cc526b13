"""What the reading pages show, as frozen dataclasses: a document in the reader's language
(with the fallback said), one section, and a pack per audience.

The language shown is the one asked for (?lang=, else the interface's), else English, else
the first the document has; each section falls back on its own, so a half-translated
document shows what exists and marks the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from caseroom.lib.markdown import render_markdown

from . import vocab
from .models import Document, DocumentVersion, SectionText

__all__ = [
    "DocumentPage",
    "Pack",
    "SectionRow",
    "VersionRow",
    "document_page",
    "pack",
    "pick",
]


@dataclass(frozen=True)
class VersionRow:
    language: str
    language_label: str
    title: str
    file_type: str
    file_size: int
    download_url: str
    current: bool
    page_url: str
    extraction_note: str


@dataclass(frozen=True)
class SectionRow:
    key: str
    anchor: str
    depth: int
    heading: str
    body: SafeString
    language: str
    fell_back: bool
    url: str

    @property
    def language_label(self) -> str:
        """The shown language's name, as the language menu writes it (its own name)."""
        return vocab.language_label(self.language)


@dataclass(frozen=True)
class DocumentPage:
    slug: str
    title: str
    short_title: str
    summary: str
    body: SafeString
    kind: str
    country: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    source: str
    issued_on: dt.date | None
    published: bool
    asked: str  # the language asked for
    shown: str  # the language of the title and summary
    fell_back: bool
    versions: tuple[VersionRow, ...]
    sections: tuple[SectionRow, ...]

    @property
    def shown_label(self) -> str:
        return vocab.language_label(self.shown)

    @property
    def asked_label(self) -> str:
        return vocab.language_label(self.asked)


def pick(languages: list[str], asked: str) -> str | None:
    """The language to show of those available: asked, English, else the first."""
    for candidate in (asked, vocab.FALLBACK_LANGUAGE):
        if candidate in languages:
            return candidate
    return languages[0] if languages else None


def _labels(vocabulary: tuple[vocab.Term, ...], mask: int) -> tuple[str, ...]:
    return tuple(str(term.label) for term in vocab.terms(vocabulary, mask))


def _versions(document: Document, shown: str | None) -> tuple[VersionRow, ...]:
    rows = []
    for version in (
        DocumentVersion.objects.filter(document=document)
        .defer("body", "extracted_text")
        .order_by("language")
    ):
        page_url = reverse("library:document", args=[document.slug])
        rows.append(
            VersionRow(
                language=version.language,
                language_label=vocab.language_label(version.language),
                title=version.title,
                file_type=version.file_type,
                file_size=version.file_size,
                download_url=(
                    reverse("library:download", args=[document.slug, version.language])
                    if version.file_type
                    else ""
                ),
                current=version.language == shown,
                page_url=f"{page_url}?lang={version.language}",
                extraction_note=version.extraction_note,
            )
        )
    return tuple(rows)


def sections_of(document: Document, asked: str, under: str | None = None) -> tuple[SectionRow, ...]:
    """The document's sections in order, each in the best language it has (one query);
    `under`: only that section and the ones inside it."""
    texts = SectionText.objects.filter(section__document=document).select_related("section")
    if under is not None:
        texts = texts.filter(section__key__in=_keys_under(document, under))
    by_section: dict[int, dict[str, SectionText]] = {}
    order: list[int] = []
    for text in texts.order_by("section__order", "section__pk"):
        if text.section_id not in by_section:
            by_section[text.section_id] = {}
            order.append(text.section_id)
        by_section[text.section_id][text.language] = text
    rows = []
    base_depth = under.count(".") if under else 0
    for section_id in order:
        texts_of = by_section[section_id]
        shown = pick(sorted(texts_of), asked)
        assert shown is not None
        text = texts_of[shown]
        section = text.section
        rows.append(
            SectionRow(
                key=section.key,
                anchor=section.anchor,
                depth=section.depth - base_depth,
                heading=text.heading,
                body=mark_safe(render_markdown(text.body)),  # sanitised by nh3
                language=shown,
                fell_back=shown != asked,
                url=reverse("library:section", args=[document.slug, section.key]),
            )
        )
    return tuple(rows)


def _keys_under(document: Document, key: str) -> list[str]:
    # Keys are short and a document has dozens of sections: filtering in Python keeps the
    # prefix rule ("4.2" holds "4.2.1", not "4.20") exact on both databases.
    keys = document.sections.values_list("key", flat=True)
    return [k for k in keys if k == key or k.startswith(key + ".")]


def document_page(document: Document, asked: str, *, sections: bool = True) -> DocumentPage:
    asked = vocab.library_language(asked)
    version = None
    available = list(
        DocumentVersion.objects.filter(document=document).values_list("language", flat=True)
    )
    shown = pick(sorted(available), asked)
    if shown is not None:
        version = DocumentVersion.objects.defer("extracted_text").get(
            document=document, language=shown
        )
    return DocumentPage(
        slug=document.slug,
        title=version.title if version else document.slug,
        short_title=version.label if version else document.slug,
        summary=version.summary if version else "",
        body=mark_safe(render_markdown(version.body))
        if version and version.body
        else mark_safe(""),
        kind=str(vocab.Kind(document.kind).label),
        country=str(vocab.Country(document.country).label),
        audiences=_labels(vocab.AUDIENCES, document.audiences),
        topics=_labels(vocab.TOPICS, document.topics),
        source=document.source,
        issued_on=document.issued_on,
        published=document.published,
        asked=asked,
        shown=shown or asked,
        fell_back=shown is not None and shown != asked,
        versions=_versions(document, shown),
        sections=sections_of(document, asked) if sections and document.structured else (),
    )


@dataclass(frozen=True)
class Pack:
    audience: str
    audience_label: str
    language: str
    documents: tuple[DocumentPage, ...]  # without sections: their title and summary
    guidelines: tuple[DocumentPage, ...]  # structured documents, with the relevant sections


def pack(audience: str, asked: str) -> Pack:
    """The published documents for an audience, and the sections of the guidelines that
    concern it (a section marked for no audience concerns all of its document's)."""
    asked = vocab.library_language(asked)
    term = next(t for t in vocab.AUDIENCES if t.code == audience)
    documents = Document.objects.filter(
        GreaterThan(F("audiences").bitand(term.bit), 0), published=True
    ).order_by("kind", "slug")
    plain: list[DocumentPage] = []
    structured: list[DocumentPage] = []
    for document in documents:
        page = document_page(document, asked, sections=False)
        if not document.structured:
            plain.append(page)
            continue
        relevant = {
            key
            for key, mask in document.sections.values_list("key", "audiences")
            if mask == 0 or mask & term.bit
        }
        rows = tuple(row for row in sections_of(document, asked) if row.key in relevant)
        structured.append(_with_sections(page, rows))
    return Pack(audience, str(term.label), asked, tuple(plain), tuple(structured))


def _with_sections(page: DocumentPage, rows: tuple[SectionRow, ...]) -> DocumentPage:
    return dataclasses.replace(page, sections=rows)
