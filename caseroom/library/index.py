"""The search index: a document's passages rebuilt from its versions and sections.

Called by the actions inside their transaction, so the index never lags a write: passages are
derived rows (models.Passage). On SQLite their copy in the FTS5 table (migration 0002) is kept
by triggers on the passage table (migration 0005), whatever deletes or writes a passage;
PostgreSQL computes its tsvector column itself. `reindex_all` rebuilds everything, e.g. after
a restore that copied the tables but not SQLite's FTS5 table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from django.db import connection

from caseroom.lib.markdown import plain_text

from .models import Document, DocumentVersion, Passage, Section, SectionText

__all__ = ["PASSAGE_CHARS", "chunks", "clean", "forget", "reindex", "reindex_all", "reindex_many"]

# A file's text is cut into passages this long: the passage shown is one of them, and
# PostgreSQL's ts_headline works through the whole passage it is given.
PASSAGE_CHARS = 2000
FTS_TABLE = "library_passage_fts"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # \x02/\x03 mark matches (search.py)
_BATCH = 500


def clean(text: str) -> str:
    """Text fit for the index: no control characters (the match markers are two of them)."""
    return _CONTROL.sub(" ", text)


def chunks(text: str, size: int = PASSAGE_CHARS) -> Iterator[str]:
    """The text in pieces of at most `size` characters, cut at whitespace where possible."""
    text = clean(text).strip()
    while text:
        if len(text) <= size:
            yield text
            return
        cut = text.rfind(" ", size // 2, size)
        cut = size if cut < 0 else cut
        yield text[:cut].strip()
        text = text[cut:].lstrip()


def _version_passages(document: Document, version: DocumentVersion) -> Iterator[Passage]:
    about = " ".join(part for part in (version.short_title, version.summary) if part)
    yield Passage(
        document=document,
        language=version.language,
        part=Passage.Part.ABOUT,
        heading=clean(version.title),
        text=clean(about),
    )
    for source in (plain_text(version.body) if version.body else "", version.extracted_text):
        for piece in chunks(source):
            yield Passage(
                document=document,
                language=version.language,
                part=Passage.Part.TEXT,
                heading=clean(version.title),
                text=piece,
            )


def _section_passages(document: Document, text: SectionText, key: str) -> Iterator[Passage]:
    heading = clean(f"§{key} {text.heading}")
    pieces = list(chunks(plain_text(text.body))) if text.body else []
    for piece in pieces or [""]:
        yield Passage(
            document=document,
            section_id=text.section_id,
            language=text.language,
            part=Passage.Part.SECTION,
            heading=heading,
            text=piece,
        )


def _passages(documents: Sequence[Document]) -> list[Passage]:
    by_id = {document.pk: document for document in documents}
    versions = DocumentVersion.objects.filter(document__in=documents).order_by("pk")
    keys = dict(Section.objects.filter(document__in=documents).values_list("pk", "key").order_by())
    texts = SectionText.objects.filter(section__document__in=documents).select_related("section")
    passages: list[Passage] = []
    for version in versions:
        passages += _version_passages(by_id[version.document_id], version)
    for text in texts.order_by("section__order", "pk"):
        document = by_id[text.section.document_id]
        passages += _section_passages(document, text, keys[text.section_id])
    return passages


def forget(documents: Sequence[Document]) -> None:
    """Remove the documents' passages from the index (before they are deleted or rebuilt)."""
    Passage.objects.filter(document__in=documents).delete()  # FTS5 rows: by trigger


def reindex_many(documents: Sequence[Document]) -> int:
    """Rebuild the passages of these documents; returns how many there are now. Call it
    inside the transaction that changed them."""
    documents = list(documents)
    if not documents:
        return 0
    forget(documents)
    created = Passage.objects.bulk_create(_passages(documents), batch_size=_BATCH)
    return len(created)  # FTS5 rows: by trigger


def reindex(document: Document) -> int:
    return reindex_many([document])


def reindex_all() -> int:
    """Every document again, from an empty index (after a restore, or a change of rules)."""
    if connection.vendor == "sqlite":  # an FTS5 table out of step (a restore): emptied too
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    Passage.objects.all().delete()
    total = 0
    documents = list(Document.objects.order_by("pk"))
    for start in range(0, len(documents), _BATCH):
        total += reindex_many(documents[start : start + _BATCH])
    return total
