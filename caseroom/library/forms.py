"""Parsing and bounding every input of the library's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import vocab
from .extract import LIMITS
from .models import SLUG_CHARS
from .search import MAX_PAGE, Filters

__all__ = ["DocumentForm", "SearchForm", "VersionForm"]


def _choices(vocabulary: tuple[vocab.Term, ...]) -> list[tuple[str, Any]]:
    return [(term.code, term.label) for term in vocabulary]


def _any(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class SearchForm(forms.Form):
    """The search box and filters of the list page (GET). Unknown filter values are errors
    shown next to the filter; the query itself is never refused (query.py cleans it)."""

    # query.parse cuts a query to 200 characters and says so; past 1,000 it is an error.
    q = forms.CharField(label=_("Search"), required=False, max_length=1000, strip=True)
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=_any(_choices(vocab.AUDIENCES))
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=_any(_choices(vocab.TOPICS))
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=_any(list(vocab.Country.choices))
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_any(list(vocab.Kind.choices))
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_any(list(vocab.LANGUAGES))
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def filters(self, *, include_drafts: bool) -> Filters:
        data = self.cleaned_data
        return Filters(
            audience=data.get("audience") or "",
            topic=data.get("topic") or "",
            country=data.get("country") or "",
            kind=data.get("kind") or "",
            language=data.get("language") or "",
            include_drafts=include_drafts,
        )


class DocumentForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=SLUG_CHARS,
        help_text=_("Used in links and citations, e.g. coop-guidelines. It cannot change later."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=vocab.Kind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=vocab.Country.choices)
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=_choices(vocab.AUDIENCES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=_choices(vocab.TOPICS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    issued_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    published = forms.BooleanField(label=_("Published (open to anyone)"), required=False)

    def audience_bits(self) -> int:
        return vocab.bits(vocab.AUDIENCES, self.cleaned_data.get("audiences") or [])

    def topic_bits(self) -> int:
        return vocab.bits(vocab.TOPICS, self.cleaned_data.get("topics") or [])


class VersionForm(forms.Form):
    """The document in one language: its words, and optionally its file."""

    language = forms.ChoiceField(label=_("Language"), choices=list(vocab.LANGUAGES))
    title = forms.CharField(label=_("Title"), max_length=300)
    short_title = forms.CharField(
        label=_("Short title"),
        max_length=60,
        required=False,
        help_text=_('What a citation calls it, e.g. "Guidelines" in "Guidelines §4.2".'),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    file = forms.FileField(
        label=_("File (PDF, Word or Markdown, up to 20 MB)"),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > LIMITS.upload_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": LIMITS.upload_bytes // (1024 * 1024)}
            )
        return upload
