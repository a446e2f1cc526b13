"""Every write to the library: one transaction each, the search index rebuilt inside it.

Writes are naturally repeatable, so no idempotency key is needed: a document is found by
its slug, a version by (document, language), a section by (document, key), and a file by
its digest; sending the same form twice stores the same thing once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import index, store
from .extract import Extracted
from .models import KEY_PATTERN, Document, DocumentVersion, Section, SectionText

__all__ = [
    "DocumentFields",
    "Refused",
    "SectionData",
    "save_document",
    "save_sections",
    "save_version",
    "set_published",
]

_KEY = re.compile(KEY_PATTERN)
# Words of the library's own URLs (/library/new/, /library/pack/…): never a document's name.
RESERVED_SLUGS = frozenset({"new", "pack"})


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DocumentFields:
    kind: str
    country: str
    audiences: int = 0
    topics: int = 0
    source: str = ""
    issued_on: dt.date | None = None
    structured: bool = False
    published: bool = False


@dataclass(frozen=True)
class SectionData:
    key: str
    texts: dict[str, tuple[str, str]]  # language → (heading, Markdown body)
    audiences: int = 0
    parent: str | None = field(default=None)  # the parent's key; None: derived from the key


def save_document(
    slug: str, fields: DocumentFields, *, create: bool = True, replace: bool = True
) -> Document:
    """The document of this slug with these fields: created when missing (if `create`),
    updated when it exists (if `replace`; else the slug is refused as taken)."""
    values = {
        "kind": fields.kind,
        "country": fields.country,
        "audiences": fields.audiences,
        "topics": fields.topics,
        "source": fields.source,
        "issued_on": fields.issued_on,
        "structured": fields.structured,
        "published": fields.published,
    }
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(slug=slug).first()
        if document is None:
            if slug in RESERVED_SLUGS:
                raise Refused(
                    "slug", _("%(s)s is a reserved word: choose another short name.") % {"s": slug}
                )
            if not create:
                raise Refused("missing", _("No document has the short name %(s)s.") % {"s": slug})
            try:
                with transaction.atomic():
                    document = Document.objects.create(slug=slug, **values)
            except IntegrityError:
                raise Refused(
                    "slug", _("The short name %(s)s is taken by another document.") % {"s": slug}
                ) from None
        elif not replace:
            raise Refused(
                "slug", _("The short name %(s)s is taken by another document.") % {"s": slug}
            )
        else:
            for name, value in values.items():
                setattr(document, name, value)
            document.save(update_fields=[*values, "updated_at"])
    return document


def set_published(document: Document, published: bool) -> None:
    with transaction.atomic():
        document.published = published
        document.save(update_fields=["published", "updated_at"])


def save_version(
    document: Document,
    language: str,
    *,
    title: str,
    short_title: str = "",
    summary: str = "",
    body: str | None = None,
    upload: tuple[bytes, Extracted] | None = None,
) -> DocumentVersion:
    """The document in one language: created or replaced (title, summary, body, file).

    An uploaded file is stored under its digest before the transaction; an uploaded
    Markdown file becomes the body shown on the page as well.
    """
    file_fields: dict[str, object] = {}
    if upload is not None:
        data, extracted = upload
        name = store.save(data, extracted.digest, extracted.file_type)
        file_fields = {
            "file_name": name,
            "file_type": extracted.file_type,
            "file_size": len(data),
            "digest": extracted.digest,
            "extracted_text": "" if extracted.file_type == "md" else extracted.text,
            "extraction_note": extracted.note[:300],
        }
        if extracted.file_type == "md":
            body = extracted.text
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        version = DocumentVersion.objects.filter(document=locked, language=language).first()
        if version is None:
            version = DocumentVersion(document=locked, language=language)
        version.title = title
        version.short_title = short_title
        version.summary = summary
        if body is not None:
            version.body = body
        for name, value in file_fields.items():
            setattr(version, name, value)
        version.save()
        index.reindex(locked)
    return version


def _parent_key(data: SectionData) -> str | None:
    if data.parent is not None:
        return data.parent
    return data.key.rsplit(".", 1)[0] if "." in data.key else None


def _nearest(existing: dict[str, Section], key: str | None) -> Section | None:
    """The section of this key, else of its nearest ancestor that exists ("4.2.1" → "4.2"
    → "4"), else None: a section may be given without the heading of its part."""
    while key:
        if key in existing:
            return existing[key]
        key = key.rsplit(".", 1)[0] if "." in key else None
    return None


def save_sections(document: Document, sections: Sequence[SectionData]) -> list[Section]:
    """Create or update the given sections (in this order) and their texts; sections not
    given stay, so a key once cited keeps working. Parents come before their children."""
    for data in sections:
        if not _KEY.match(data.key):
            raise Refused(
                "key",
                _(
                    "%(key)s is not a section number: "
                    "use digits or letters joined by dots, e.g. 4.2."
                )
                % {"key": data.key[:40]},
            )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        existing = {s.key: s for s in Section.objects.filter(document=locked)}
        saved: list[Section] = []
        for order, data in enumerate(sections):
            parent = _nearest(existing, _parent_key(data))
            section = existing.get(data.key) or Section(document=locked, key=data.key)
            section.parent = parent
            section.order = order
            section.audiences = data.audiences
            section.save()
            existing[data.key] = section
            saved.append(section)
            for language, (heading, body) in data.texts.items():
                SectionText.objects.update_or_create(
                    section=section, language=language, defaults={"heading": heading, "body": body}
                )
        if not locked.structured:
            locked.structured = True
            locked.save(update_fields=["structured", "updated_at"])
        index.reindex(locked)
    return saved
