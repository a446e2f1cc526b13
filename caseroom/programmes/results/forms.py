"""Forms of the results pages: the report's period, a revocation, a trace's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Person, Programme
from .breakdowns import BLANK
from .counts import PEOPLE_MEASURES, SESSION_DIMENSIONS, SESSION_MEASURES, Key

__all__ = ["PeriodForm", "RevokeForm", "TraceForm"]

# A report or trace over more than this is a typo (2206 for 2026), not a programme.
LONGEST_PERIOD = dt.timedelta(days=366 * 30)
_LARGEST_ID = 2**31 - 1  # a PositiveIntegerField on every database


def _check_period(form: forms.Form, cleaned: dict[str, Any]) -> None:
    start, end = cleaned.get("start"), cleaned.get("end")
    if start and end:
        if end < start:
            form.add_error("end", _("The end comes before the start."))
        elif end - start > LONGEST_PERIOD:
            form.add_error("end", _("Choose a period of at most 30 years."))


class PeriodForm(forms.Form):
    """The donor report's date range; empty fields mean the programme's own period."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["start"].widget.attrs["placeholder"] = programme.starts_on.isoformat()
        self.fields["end"].widget.attrs["placeholder"] = programme.ends_on.isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["start"] = cleaned.get("start") or self.programme.starts_on
        cleaned["end"] = cleaned.get("end") or self.programme.ends_on
        _check_period(self, cleaned)
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        """(start, end) of a valid form, or the programme's period."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.programme.starts_on, self.programme.ends_on


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=300,
        strip=True,
        help_text=_("Kept with the certificate; the public page only says it is revoked."),
    )


_MEASURES = [(m.value, m.label) for m in (*PEOPLE_MEASURES, *SESSION_MEASURES)]


class TraceForm(forms.Form):
    """Which records one number of the report counts (the query string its link carries)."""

    measure = forms.ChoiceField(choices=_MEASURES)
    start = forms.DateField()
    end = forms.DateField()
    in_module = forms.IntegerField(required=False, min_value=1, max_value=_LARGEST_ID)
    threshold = forms.DecimalField(
        required=False, min_value=0, max_value=1, max_digits=4, decimal_places=3
    )
    sex = forms.CharField(required=False, max_length=1)
    agency = forms.CharField(required=False, max_length=150, strip=False)
    country = forms.CharField(required=False, max_length=8)
    module = forms.IntegerField(required=False, min_value=1, max_value=_LARGEST_ID)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    FILTERS = ("sex", "agency", "country", "module")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_period(self, cleaned)
        if cleaned.get("measure") in SESSION_MEASURES:
            for name in self.FILTERS:
                if name not in SESSION_DIMENSIONS and self.data.get(name):
                    self.add_error(name, _("Sessions are not counted by this."))
        sex = cleaned.get("sex")
        if sex and sex != BLANK and sex not in Person.Sex.values:
            self.add_error("sex", _("Unknown value."))
        return cleaned

    def filters(self) -> dict[str, Key]:
        """The cell's keys: only the filters given (a blank value is written as BLANK)."""
        found: dict[str, Key] = {}
        for name in self.FILTERS:
            if name not in self.data or self.data.get(name) in (None, ""):
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, str) and value == BLANK:
                value = ""
            if value is not None:
                found[name] = value
        return found
