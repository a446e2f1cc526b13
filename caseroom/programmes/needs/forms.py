"""Parsing and validation of the needs assessment's inputs, every field bounded.

`UploadForm` takes an XLSForm (the xlsform reader has its own limits on what is inside);
`QuestionsForm` picks the questions that say a respondent's audience, agency and country,
scoped to the form of the assessment's version (`form=`), so a name can only be one of its
questions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from caseroom.surveys.registry import MAX_UPLOAD_BYTES
from caseroom.xlsform import SELECT_TYPES, Form, limits

__all__ = ["GROUPING_ROLES", "QuestionsForm", "UploadForm"]

# The questions a result may be broken down by, as (field, label).
GROUPING_ROLES = (
    ("audience_question", _("Audience question")),
    ("agency_question", _("Agency question")),
    ("country_question", _("Country question")),
)


class UploadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Shown to staff only; the form's own title when left empty."),
    )
    file = forms.FileField(
        label=_("Questionnaire (XLSForm: .xlsx, or a Markdown table)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.md,.txt"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        # Refused before it is read into memory; register_form checks again on the bytes.
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _t("The file is too large: at most %(mb)s MB.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_title(self) -> str:
        return " ".join(str(self.cleaned_data.get("title") or "").split())


class QuestionsForm(forms.Form):
    """Which select_one questions of `form` group the results (each optional, all different)."""

    audience_question = forms.CharField(
        label=_("Audience"), max_length=limits.MAX_NAME_CHARS, required=False
    )
    agency_question = forms.CharField(
        label=_("Agency"), max_length=limits.MAX_NAME_CHARS, required=False
    )
    country_question = forms.CharField(
        label=_("Country"), max_length=limits.MAX_NAME_CHARS, required=False
    )

    def __init__(self, *args: Any, form: Form, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = form
        choices = [("", _t("— none —"))] + [
            (q.name, f"{q.name}: {form.text(q.label, form.default_language)[:80]}")
            for q in form.questions
            if q.type == "select_one"
        ]
        for name, _label in GROUPING_ROLES:
            self.fields[name].widget = forms.Select(choices=choices)

    def _question(self, field: str) -> str:
        name = str(self.cleaned_data.get(field) or "").strip()
        if not name:
            return ""
        known = {q.name: q for q in self.questionnaire.questions}
        question = known.get(name)
        if question is None:
            raise forms.ValidationError(
                _t("The form has no question named “%(name)s”.") % {"name": name}
            )
        if question.type not in SELECT_TYPES:
            raise forms.ValidationError(
                _t("“%(name)s” is not a select question: results are grouped by its choices.")
                % {"name": name}
            )
        if question.type != "select_one":
            # With several answers a respondent would be in several groups, and the groups'
            # counts would no longer add up to the total the suppression of small cells uses.
            raise forms.ValidationError(
                _t("“%(name)s” takes several answers: pick a question with one answer.")
                % {"name": name}
            )
        return name

    def clean_audience_question(self) -> str:
        return self._question("audience_question")

    def clean_agency_question(self) -> str:
        return self._question("agency_question")

    def clean_country_question(self) -> str:
        return self._question("country_question")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[str, str] = {}
        for field, _label in GROUPING_ROLES:
            name = cleaned.get(field) or ""
            if name and name in seen:
                self.add_error(field, _t("This question is already picked above."))
            elif name:
                seen[name] = field
        return cleaned
