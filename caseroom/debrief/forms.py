"""Forms of the debrief pages: parsing and validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseroom.lib.forms import KeyField

from .models import Annotation


class AnnotationForm(forms.Form):
    # A PositiveIntegerField holds up to 2**31 - 1 on every database.
    step = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Mark"), choices=Annotation.Kind.choices)
    misconception = forms.ChoiceField(label=_("Which misconception"), required=False)
    body = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key = KeyField()

    def __init__(self, *args: Any, misconceptions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["misconception"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— none of the scenario's —")), *misconceptions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == Annotation.Kind.COMMENT and not (cleaned.get("body") or "").strip():
            self.add_error("body", _("Write the comment."))
        if (
            kind == Annotation.Kind.MISCONCEPTION
            and not cleaned.get("misconception")
            and not (cleaned.get("body") or "").strip()
        ):
            self.add_error(
                "body", _("Name the misconception: pick one of the scenario's or describe it.")
            )
        return cleaned


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Facilitator's notes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Appears in the after-action report."),
    )
    recommendations = forms.CharField(
        label=_("Recommendations"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. The improvement plan of the after-action report starts here."),
    )


class ReleaseForm(forms.Form):
    released = forms.BooleanField(required=False)


class FindMyTeamForm(forms.Form):
    """A participant on another device opens their team's released debrief: the name they
    joined with and the personal code only they were shown."""

    name = forms.CharField(label=_("Your name, as you joined"), max_length=120)
    personal_code = forms.CharField(
        label=_("Your personal code"),
        max_length=20,
        help_text=_("Shown on your screen when you joined, e.g. K7MP-3QXW."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AnalysisFilterForm(forms.Form):
    """Filters of the cross-exercise analysis; every field optional (GET)."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, countries: list[str], agencies: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, values in (("country", countries), ("agency", agencies)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("all")), *((v, v) for v in values)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
