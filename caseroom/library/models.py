"""Library documents, their language versions, guideline sections, and the search passages.

A document is one work whatever its languages ("Regional guidelines on international
cooperation"); each language is a `DocumentVersion` with its own title, summary and file.
Structured documents (the guidelines) also have `Section`s with stable keys ("4.2"), each with
a `SectionText` per language, so other apps can cite "Guidelines §4.2" (see citations.py).
`Passage` rows are the search index: derived from the rest by `index.reindex`, never edited.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import vocab

SLUG_CHARS = 80
KEY_CHARS = 20
# A section key: dot-separated parts of letters and digits ("4", "4.2", "A.1").
KEY_PATTERN = r"^[0-9A-Za-z]{1,6}(\.[0-9A-Za-z]{1,6}){0,3}$"
LANGUAGE_CHOICES = list(vocab.LANGUAGES)
AUDIENCE_MAX = (1 << len(vocab.AUDIENCES)) - 1
TOPIC_MAX = (1 << len(vocab.TOPICS)) - 1


class Document(models.Model):
    slug = models.SlugField(_("short name"), max_length=SLUG_CHARS, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=vocab.Kind.choices)
    # Bit masks of vocab.AUDIENCES and vocab.TOPICS (see vocab.py for why).
    audiences = models.PositiveSmallIntegerField(_("audiences"), default=0)
    topics = models.PositiveIntegerField(_("topics"), default=0)
    country = models.CharField(_("country"), max_length=20, choices=vocab.Country.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    # Sections with stable keys (citable); other documents are a summary and a file.
    structured = models.BooleanField(_("structured in sections"), default=False)
    # Published documents are open to anyone (respondents follow citations without an
    # account); drafts only to staff (access.py).
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("library document")
        constraints = [
            models.CheckConstraint(
                condition=Q(audiences__lte=AUDIENCE_MAX), name="library_document_audience_bits"
            ),
            models.CheckConstraint(
                condition=Q(topics__lte=TOPIC_MAX), name="library_document_topic_bits"
            ),
            models.CheckConstraint(
                condition=Q(country__in=vocab.Country.values), name="library_document_country"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=vocab.Kind.values), name="library_document_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class DocumentVersion(models.Model):
    """The document in one language: one per (document, language)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    # What a citation calls the document: "Guidelines" in "Guidelines §4.2".
    short_title = models.CharField(_("short title"), max_length=60, blank=True)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    # Markdown shown on the document page: a short body written here or an uploaded .md.
    body = models.TextField(_("text"), blank=True)
    # The uploaded file, stored by store.py under a generated name (never the uploader's).
    file_name = models.CharField(max_length=120, blank=True, editable=False)
    file_type = models.CharField(max_length=10, blank=True, editable=False)  # pdf, docx, md
    file_size = models.PositiveIntegerField(default=0, editable=False)
    digest = models.CharField(max_length=64, blank=True, editable=False)  # SHA-256 of the file
    extracted_text = models.TextField(blank=True, editable=False)
    extraction_note = models.CharField(max_length=300, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "language"]
        verbose_name = _("document version")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="library_one_version_per_language"
            ),
            models.CheckConstraint(
                condition=Q(file_type__in=["", "pdf", "docx", "md"]),
                name="library_version_file_type",
            ),
            models.CheckConstraint(
                condition=Q(file_type="") | ~Q(file_name=""), name="library_version_file_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.language}: {self.title}"

    @property
    def label(self) -> str:
        return self.short_title or self.title


class Section(models.Model):
    """A citable part of a structured document; its key never changes once cited."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=KEY_CHARS)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)
    # The audiences this section matters to most (a bit mask as on Document); 0: all of
    # the document's. A pack per audience prints these.
    audiences = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["document", "order", "pk"]
        verbose_name = _("section")
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="library_one_section_key"),
            # The form of a key (KEY_PATTERN) is checked by actions.py: a REGEXP constraint
            # needs a function SQLite only has inside Django's own connections.
            models.CheckConstraint(condition=~Q(key=""), name="library_section_key_given"),
            models.CheckConstraint(
                condition=Q(audiences__lte=AUDIENCE_MAX), name="library_section_audience_bits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} §{self.key}"

    @property
    def anchor(self) -> str:
        """The id of the section on the document page: "s-4-2"."""
        return "s-" + self.key.replace(".", "-")

    @property
    def depth(self) -> int:
        return self.key.count(".")


class SectionText(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("text"), blank=True, max_length=20000)  # Markdown

    class Meta:
        ordering = ["section", "language"]
        verbose_name = _("section text")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "language"], name="library_one_text_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} [{self.language}] {self.heading}"


class Passage(models.Model):
    """One searchable piece of text: a title and summary, a section, or part of a file.

    Derived (index.reindex writes them with the full-text index in the same transaction):
    SQLite keeps a copy in the FTS5 table `library_passage_fts` (rowid = id); PostgreSQL a
    generated tsvector column `vector` (migration 0002).
    """

    class Part(models.TextChoices):
        ABOUT = "about", _("Title and summary")
        SECTION = "section", _("Section")
        TEXT = "text", _("Text")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10)
    part = models.CharField(max_length=10, choices=Part.choices)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()

    class Meta:
        verbose_name = _("search passage")
        indexes = [
            # index.reindex deletes a document's passages; search joins by document.
            models.Index(fields=["document"], name="library_passage_by_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.part} [{self.language}]"
