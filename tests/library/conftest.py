"""Fixtures of the library tests: a file store of the test's own, the demo library, and a
small helper to write a document with its versions and sections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caseroom.library import actions, vocab
from caseroom.library.demo import load_demo_library
from caseroom.library.models import Document


@pytest.fixture(autouse=True)
def _library_store(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to the test's own folder, never to var/library."""
    store = tmp_path / "library"
    settings.LIBRARY_STORE = store
    return store


@pytest.fixture
def demo(db: None) -> Document:
    return load_demo_library()


def make_document(
    slug: str,
    titles: dict[str, tuple[str, str]],
    *,
    published: bool = True,
    kind: str = vocab.Kind.HANDBOOK,
    country: str = vocab.Country.REGIONAL,
    audiences: tuple[str, ...] = ("police",),
    topics: tuple[str, ...] = (),
    sections: list[actions.SectionData] | None = None,
    body: str = "",
) -> Document:
    """A document with a version per language of `titles` (title, summary)."""
    document = actions.save_document(
        slug,
        actions.DocumentFields(
            kind=kind,
            country=country,
            audiences=vocab.bits(vocab.AUDIENCES, audiences),
            topics=vocab.bits(vocab.TOPICS, topics),
            published=published,
        ),
    )
    for language, (title, summary) in titles.items():
        actions.save_version(document, language, title=title, summary=summary, body=body)
    if sections:
        actions.save_sections(document, sections)
    return document
