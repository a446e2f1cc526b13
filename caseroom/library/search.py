"""Full-text search over every language of the library, one function whatever the database.

`search(query, filters, language)` returns a `SearchPage`: documents ranked by their best
matching passage, each with that passage highlighted (HTML-escaped first, then marked),
filtered by audience, topic, country, kind and language, in pages of PAGE_SIZE up to
MAX_PAGE. The query is reduced to words first (query.py), so no input reaches the engine
as syntax. An empty query lists the documents the filters select.

Backends: SQLite FTS5 (search_sqlite.py) and PostgreSQL full-text search
(search_postgres.py); both take the same `Terms` and `Filters` and answer in three queries
(ranked page with its total, passages with their highlight, titles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import vocab
from .models import Document, DocumentVersion
from .query import Terms, parse

__all__ = ["MAX_PAGE", "PAGE_SIZE", "Filters", "Hit", "SearchPage", "search"]

PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 results: beyond that a reader refines the query
START, STOP = "\x02", "\x03"  # match markers: control characters index.clean removes from text


@dataclass(frozen=True)
class Filters:
    audience: str = ""
    topic: str = ""
    country: str = ""
    kind: str = ""
    language: str = ""
    include_drafts: bool = False  # staff only (access.py decides)

    def documents(self, prefix: str = "") -> Q:
        """The condition on documents, for a queryset of documents or (prefix) of rows
        pointing at one."""
        condition = Q()
        if not self.include_drafts:
            condition &= Q(**{f"{prefix}published": True})
        if self.country:
            condition &= Q(**{f"{prefix}country": self.country})
        if self.kind:
            condition &= Q(**{f"{prefix}kind": self.kind})
        if self.audience:
            bit = vocab.bits(vocab.AUDIENCES, [self.audience])
            condition &= Q(GreaterThan(F(f"{prefix}audiences").bitand(bit), 0))
        if self.topic:
            bit = vocab.bits(vocab.TOPICS, [self.topic])
            condition &= Q(GreaterThan(F(f"{prefix}topics").bitand(bit), 0))
        return condition


@dataclass(frozen=True)
class Ranked:
    document_id: int
    passage_id: int
    hits: int  # matching passages of the document


@dataclass(frozen=True)
class Marked:
    """A passage as the backend returns it: text with START/STOP around matches."""

    heading: str
    text: str
    part: str
    language: str
    section_key: str | None


class Backend(Protocol):
    def rank(
        self, terms: Terms, filters: Filters, offset: int, limit: int
    ) -> tuple[int, list[Ranked], bool]:
        """(documents matching, the page's documents, whether the query was so common that
        only the documents it matches in their title, summary or a section heading were
        ranked; the total then counts those)."""

    def passages(self, terms: Terms, ids: list[int]) -> dict[int, Marked]: ...


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    kind: str
    url: str
    where: str  # "§4.2 Joint investigation teams", "Title and summary", "Text"
    language: str
    heading: SafeString
    passage: SafeString
    more: int  # other matching passages of the same document


@dataclass(frozen=True)
class SearchPage:
    query: str
    notice: str
    hits: tuple[Hit, ...]
    total: int
    page: int
    pages: int

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .search_postgres import PostgresBackend

        return PostgresBackend()
    from .search_sqlite import SqliteBackend

    return SqliteBackend()


def marked(text: str) -> SafeString:
    """Escaped text with the backend's markers turned into <mark>; unbalanced markers (a
    passage cut inside a match) are closed or dropped."""
    html, open_ = [], False
    for piece in escape(text).replace(STOP, START).split(START):
        html.append(piece)
        html.append("</mark>" if open_ else "<mark>")
        open_ = not open_
    html.pop()
    if not open_:
        html.append("</mark>")
    return mark_safe("".join(html))  # escaped above; only <mark> added


def _titles(ids: list[int], language: str) -> dict[int, tuple[Document, DocumentVersion | None]]:
    """Each document with its version in the reader's language, else English, else any."""
    versions = (
        DocumentVersion.objects.filter(document_id__in=ids)
        .select_related("document")
        .only("document_id", "language", "title", "short_title", "summary", "document")
        .order_by("pk")
    )
    best: dict[int, tuple[Document, DocumentVersion | None]] = {}
    order = {language: 0, vocab.FALLBACK_LANGUAGE: 1}
    for version in versions:
        known = best.get(version.document_id)
        if known is None or (
            known[1] is not None
            and order.get(version.language, 2) < order.get(known[1].language, 2)
        ):
            best[version.document_id] = (version.document, version)
    return best


def _pages(total: int) -> int:
    return max(1, min(MAX_PAGE, -(-total // PAGE_SIZE)))


def _where(part: Marked) -> str:
    if part.section_key is not None:
        return part.heading
    return _("Title and summary") if part.part == "about" else _("Text")


def _url(slug: str, section_key: str | None) -> str:
    if section_key is None:
        return reverse("library:document", args=[slug])
    return reverse("library:section", args=[slug, section_key])


def _kind(document: Document) -> str:
    return str(vocab.Kind(document.kind).label)


def search(query: str, filters: Filters, language: str, page: int = 1) -> SearchPage:
    """One page of results for `query` (see the module docstring)."""
    language = vocab.library_language(language)
    terms = parse(query)
    page = max(1, min(MAX_PAGE, page))
    if not terms:
        return _listing(query, terms.notice, filters, language, page)
    engine = backend()
    total, ranked, capped = engine.rank(terms, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    if not ranked and total and page > 1:  # past the end: show the last page instead
        page = _pages(total)
        total, ranked, capped = engine.rank(terms, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    notice = terms.notice
    if capped:
        notice = " ".join(
            filter(
                None,
                [
                    notice,
                    _("Very many passages match: add a word to narrow the search."),
                    _(
                        "Shown: the documents with these words in their title, summary or "
                        "a section heading."
                    ),
                ],
            )
        )
    parts = engine.passages(terms, [r.passage_id for r in ranked])
    titles = _titles([r.document_id for r in ranked], language)
    hits = []
    for found in ranked:
        document, version = titles[found.document_id]
        part = parts[found.passage_id]
        hits.append(
            Hit(
                slug=document.slug,
                title=version.title if version else document.slug,
                kind=_kind(document),
                url=_url(document.slug, part.section_key),
                where=_where(part),
                language=part.language,
                heading=marked(part.heading),
                passage=marked(part.text),
                more=found.hits - 1,
            )
        )
    return SearchPage(query, notice, tuple(hits), total, page, _pages(total))


def _listing(query: str, notice: str, filters: Filters, language: str, page: int) -> SearchPage:
    """No words to search: the documents the filters select, by kind and short name."""
    documents: QuerySet[Document] = Document.objects.filter(filters.documents())
    if filters.language:
        documents = documents.filter(versions__language=filters.language)
    total = documents.count()
    page = min(page, _pages(total))
    start = (page - 1) * PAGE_SIZE
    ids = list(
        documents.order_by("kind", "slug").values_list("pk", flat=True)[start : start + PAGE_SIZE]
    )
    titles = _titles(ids, language)
    hits = []
    for pk in ids:
        if pk not in titles:  # a document without any version yet (being set up)
            continue
        document, version = titles[pk]
        summary = version.summary if version else ""
        hits.append(
            Hit(
                slug=document.slug,
                title=version.title if version else document.slug,
                kind=_kind(document),
                url=_url(document.slug, None),
                where="",
                language=version.language if version else "",
                heading=mark_safe(""),
                passage=marked(summary[:400] + ("…" if len(summary) > 400 else "")),
                more=0,
            )
        )
    return SearchPage(query, notice, tuple(hits), total, page, _pages(total))
