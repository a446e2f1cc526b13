"""The demo library: the regional cooperation guidelines (30 citable sections in English,
Serbian and Macedonian) and 30 other documents, all published.

`load_demo_library()` is idempotent: a second call finds every document by its slug and
writes the same content again (no duplicates), so `loaddemo` may run it on every start.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .. import actions, vocab
from ..models import Document
from . import documents, guidelines

__all__ = ["GUIDELINES_SLUG", "load_demo_library"]

GUIDELINES_SLUG = guidelines.SLUG
DEMO_DATE = dt.date(2026, 3, 1)


def _guidelines() -> Document:
    document = actions.save_document(
        guidelines.SLUG,
        actions.DocumentFields(
            kind=vocab.Kind.GUIDELINES,
            country=vocab.Country.REGIONAL,
            audiences=vocab.bits(
                vocab.AUDIENCES, ["police", "prosecutors", "judges", "border-migration"]
            ),
            topics=vocab.bits(
                vocab.TOPICS, ["mla", "informal-exchange", "jit", "victim-protection"]
            ),
            source="Caseroom demo content (fictional authorship)",
            issued_on=DEMO_DATE,
            structured=True,
            published=True,
        ),
    )
    sections = [
        actions.SectionData(key=key, texts=texts, audiences=vocab.bits(vocab.AUDIENCES, audiences))
        for key, audiences, texts in guidelines.SECTIONS
    ]
    actions.save_sections(document, sections)
    for language, (title, short_title, summary) in guidelines.TITLES.items():
        actions.save_version(
            document, language, title=title, short_title=short_title, summary=summary
        )
    return document


def _other(item: documents.DemoDocument) -> None:
    document = actions.save_document(
        item.slug,
        actions.DocumentFields(
            kind=item.kind,
            country=item.country,
            audiences=vocab.bits(vocab.AUDIENCES, item.audiences),
            topics=vocab.bits(vocab.TOPICS, item.topics),
            source=item.source,
            issued_on=None if item.kind == vocab.Kind.LAW else DEMO_DATE,
            published=True,
        ),
    )
    for language, (title, summary) in item.titles.items():
        body = item.body if language == vocab.FALLBACK_LANGUAGE else ""
        actions.save_version(document, language, title=title, summary=summary, body=body)


def load_demo_library() -> Document:
    """The demo guidelines and documents, created or brought back to the shipped content;
    returns the guidelines."""
    with transaction.atomic():
        found = _guidelines()
        for item in documents.documents():
            _other(item)
    return found
