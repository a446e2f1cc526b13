"""Parsing and validation of the legislation pages' input, every field bounded."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Criterion, Rating


class AssessmentForm(forms.Form):
    provision_ref = forms.CharField(
        label=_("National provision"),
        max_length=200,
        required=False,
        help_text=_("The law and article, e.g. Criminal Procedure Code Art. 504"),
    )
    provision_summary = forms.CharField(
        label=_("Summary of the provision"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating = forms.ChoiceField(label=_("Assessment"), choices=Rating.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendation = forms.CharField(
        label=_("Recommendation"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The cell's newest change when the form was opened (actions.last_change): another
    # assessor's later change is merged, not overwritten unseen.
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class MakeMeasureForm(forms.Form):
    """What the measure needs beyond the recommendation (its text is the measure's "what")."""

    institution = forms.CharField(label=_("Institution"), max_length=200)
    responsible = forms.CharField(label=_("Responsible (name or function)"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_on(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_on"]
        if not dt.date(2000, 1, 1) <= due <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return due


class MatrixForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class CriterionForm(forms.Form):
    """A criterion: our own short question, its source cited by instrument and article."""

    code = forms.RegexField(
        label=_("Code"), max_length=20, regex=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$",
        help_text=_("Letters, digits, dots and hyphens, e.g. JIT-14"),
    )  # fmt: skip
    question = forms.CharField(
        label=_("Question"), max_length=300,
        help_text=_("A short question in our own words; do not copy the instrument's text."),
    )  # fmt: skip
    source = forms.ChoiceField(label=_("Source"), choices=Criterion.Source.choices)
    article = forms.CharField(label=_("Article"), max_length=60, help_text=_("e.g. Art. 13(3)"))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)
