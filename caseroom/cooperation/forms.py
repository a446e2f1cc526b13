"""Parsing and validation of every input of the cooperation pages, each field bounded.

Choices are scoped through keyword arguments (`countries=`, `agencies=`, `rounds=`), so a
posted value can only be one the page offered; a bad value comes back next to its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from caseroom.lib.forms import KeyField
from caseroom.surveys.importfile import MAX_IMPORT_BYTES
from caseroom.surveys.registry import MAX_UPLOAD_BYTES

from .models import SECTION_CHARS, Coordination, Measure, Membership, Round
from .scoring import section_ok

__all__ = [
    "MAX_INVITATIONS",
    "LINK_STATUSES",
    "CoordinationForm",
    "ImportForm",
    "InviteForm",
    "LinkFilter",
    "MeasureFilter",
    "MeasureForm",
    "MemberForm",
    "RoundForm",
    "SettingsForm",
    "UploadForm",
]

MAX_INVITATIONS = 2000  # links made at once: a country's practitioners, several times over
Choices = Sequence[tuple[str, str]]


class CoordinationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    min_cell = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=2,
        max_value=50,
        initial=5,
        help_text=_("Cells and counts of fewer respondents are hidden."),
    )
    target = forms.IntegerField(
        label=_("Score that closes a gap (%)"), min_value=1, max_value=100, initial=70
    )


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    country = forms.ChoiceField(label=_("Country (focal points)"), required=False)

    def __init__(self, *args: Any, countries: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *countries]

    def clean_username(self) -> User:
        name = str(self.cleaned_data["username"]).strip()
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_t("No active account has this user name."))
        return user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == Membership.Role.FOCAL_POINT and not cleaned.get("country"):
            self.add_error("country", _t("A country focal point needs a country."))
        return cleaned


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Self-assessment form (XLSForm: .xlsx, or a Markdown table)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.md,.txt"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _t("The file is too large: at most %(mb)s MB.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. 2027 annual"))
    opens_on = forms.DateField(
        label=_("Opens on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    previous = forms.ModelChoiceField(
        label=_("Compare with"), queryset=Round.objects.none(), required=False
    )

    def __init__(self, *args: Any, rounds: Any, **kwargs: Any) -> None:
        # Its own ids: the upload form on the same page has a title too.
        kwargs.setdefault("auto_id", "round_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["previous"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rounds

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _t("A round closes after it opens."))
        return cleaned


class InviteForm(forms.Form):
    """One line per person: label, country, agency (comma-separated, as from a spreadsheet)."""

    lines = forms.CharField(
        label=_("People to invite"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One line each: a label for your own records (no name needed), the country code "
            "and the agency code, separated by commas. E.g. “RS-12, RS, police”."
        ),
    )

    def __init__(self, *args: Any, countries: Choices, agencies: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.countries = {c for c, _l in countries}
        self.agencies = {a for a, _l in agencies}

    def clean_lines(self) -> list[tuple[str, str, str]]:
        rows: list[tuple[str, str, str]] = []
        problems: list[str] = []
        for number, line in enumerate(str(self.cleaned_data["lines"]).splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 3:
                problems.append(_t("line %(n)s: write label, country, agency") % {"n": number})
            elif len(parts[0]) > 200:
                problems.append(_t("line %(n)s: the label is too long") % {"n": number})
            elif parts[1] not in self.countries:
                problems.append(
                    _t("line %(n)s: “%(c)s” is not a country of the form")
                    % {"n": number, "c": parts[1][:20]}
                )
            elif parts[2] not in self.agencies:
                problems.append(
                    _t("line %(n)s: “%(a)s” is not an agency of the form")
                    % {"n": number, "a": parts[2][:40]}
                )
            else:
                rows.append((parts[0], parts[1], parts[2]))
            if len(problems) >= 20:
                break
        if problems:
            raise forms.ValidationError(problems)
        if not rows:
            raise forms.ValidationError(_t("Write at least one line."))
        if len(rows) > MAX_INVITATIONS:
            raise forms.ValidationError(
                _t("At most %(n)s links at once.") % {"n": f"{MAX_INVITATIONS:,}"}
            )
        return rows


class MeasureForm(forms.Form):
    key = KeyField()
    what = forms.CharField(
        label=_("What is to be done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    institution = forms.CharField(label=_("Institution"), max_length=200)
    responsible = forms.CharField(label=_("Responsible (name or function)"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_ref = forms.CharField(
        label=_("Evidence document in the library"),
        max_length=SECTION_CHARS,
        required=False,
        help_text=_("Its short name, or a section: coop-guidelines#4.2"),
    )

    def clean_due_on(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_on"]
        if not dt.date(2000, 1, 1) <= due <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_t("Give a date between 2000 and 2100."))
        return due

    def clean_evidence_ref(self) -> str:
        ref = str(self.cleaned_data.get("evidence_ref") or "").strip()
        if ref and not (section_ok(ref) or section_ok(ref + "#1")):
            raise forms.ValidationError(
                _t("Write a document's short name, or document#section (e.g. coop-guidelines#4.2).")
            )
        return ref


class MeasureFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Measure.Status.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, countries: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any")), *countries]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export of the answers (KoboToolbox or ODK Central: .xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _t("The file is too large: at most %(mb)s MB.")
                % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        if not str(upload.name or "").lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                _t("Upload the export as an .xlsx workbook or a .csv file.")
            )
        return upload


# surveys.invitations.status_of's codes, with its words.
LINK_STATUSES = [
    ("not_started", _("not started")),
    ("draft", _("started")),
    ("submitted", _("answers sent")),
    ("revoked", _("withdrawn")),
]
MAX_PAGE = 1000  # 50 links a page: 50,000 links, more than a round ever hands out


class LinkFilter(forms.Form):
    """The personal links list's filters (GET): country, agency, status, page."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *LINK_STATUSES]
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args: Any, countries: Choices, agencies: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("country", countries), ("agency", agencies)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Any")), *choices]


class SettingsForm(forms.Form):
    min_cell = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=2,
        max_value=50,
        help_text=_(
            "Heatmap cells, counts and difficulties of fewer respondents are hidden "
            "(5 is the statistical offices' usual rule)."
        ),
    )
    target = forms.IntegerField(label=_("Score that closes a gap (%)"), min_value=1, max_value=100)
    confirm_lower = forms.BooleanField(
        label=_("I understand that a smaller group weakens the protection of respondents."),
        required=False,
    )

    def __init__(self, *args: Any, coordination: Coordination, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"min_cell": coordination.min_cell, "target": coordination.target}
        )
        super().__init__(*args, **kwargs)
        self.current = coordination.min_cell

    @property
    def lowers(self) -> bool:
        """The smallest group posted is below the current one."""
        wanted = self.cleaned_data.get("min_cell") if hasattr(self, "cleaned_data") else None
        return wanted is not None and wanted < self.current

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.lowers and not cleaned.get("confirm_lower"):
            self.add_error(
                "confirm_lower",
                _t(
                    "Lowering the smallest group from %(old)s to %(new)s weakens the protection "
                    "of respondents: groups of %(new)s to %(last)s become visible, on every "
                    "round. Tick the box to confirm."
                )
                % {
                    "old": self.current,
                    "new": cleaned["min_cell"],
                    "last": self.current - 1,
                },
            )
        return cleaned
