"""Parsing and validation of the legislation pages' input, every field bounded."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Rating


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
