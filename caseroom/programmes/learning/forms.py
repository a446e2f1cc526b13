"""Parsing of the learning pages' inputs, every field bounded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caseroom.lib import codes
from caseroom.lib.forms import code_input
from caseroom.surveys.registry import MAX_UPLOAD_BYTES

from ..delivery.codes import SESSION_CODE_LENGTH, normalised_code
from ..models import Purpose
from .shipped import SHIPPED

__all__ = [
    "FollowUpForm",
    "QuestionnaireChoiceForm",
    "RoundForm",
    "SessionCodeForm",
    "ThresholdForm",
    "WhoForm",
]

FORM_SUFFIXES = (".xlsx", ".md")


# Verbs, as on their buttons ("Open" a round), not the state of an action item.
OPEN_OR_CLOSE = [("open", pgettext_lazy("action", "Open")), ("close", _("Close"))]


class QuestionnaireChoiceForm(forms.Form):
    """A module's questionnaire for one purpose: an uploaded XLSForm or a shipped one."""

    purpose = forms.ChoiceField(label=_("Used as"), choices=Purpose.choices)
    shipped = forms.ChoiceField(label=_("A ready questionnaire"), required=False)
    upload = forms.FileField(
        label=_("…or your own XLSForm"),
        required=False,
        help_text=_("An .xlsx file, or a Markdown table (.md), at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.md"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shipped"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *[(s.key, s.label) for s in SHIPPED.values()]]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(n)s bytes.") % {"n": f"{MAX_UPLOAD_BYTES:,}"}
            )
        if not str(upload.name).lower().endswith(FORM_SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx file or a Markdown table (.md)."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_upload = cleaned.get("upload") is not None
        has_shipped = bool(cleaned.get("shipped"))
        if has_upload == has_shipped and "upload" not in self.errors:
            self.add_error(
                "shipped", _("Choose a ready questionnaire or upload one (one, not both).")
            )
        purpose = cleaned.get("purpose")
        if (
            has_shipped
            and purpose in (Purpose.PRE, Purpose.POST)
            and not SHIPPED[cleaned["shipped"]].scored
        ):
            self.add_error("shipped", _("A test needs questions with a correct answer."))
        return cleaned


class ThresholdForm(forms.Form):
    gain_threshold = forms.DecimalField(
        label=_("Gain threshold"),
        min_value=0,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        help_text=_(
            "A learner whose normalised gain reaches this counts as having learned "
            "(0.3 is where Hake's medium gains start)."
        ),
    )


class RoundForm(forms.Form):
    """Open or close a session's pre-test, post-test or evaluation."""

    purpose = forms.ChoiceField(
        choices=[(p.value, p.label) for p in (Purpose.PRE, Purpose.POST, Purpose.EVALUATION)]
    )
    action = forms.ChoiceField(choices=OPEN_OR_CLOSE)


class FollowUpForm(forms.Form):
    """Open a follow-up round of a module, or close one (`round` its id)."""

    action = forms.ChoiceField(choices=OPEN_OR_CLOSE)
    round = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class SessionCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=20,
        widget=code_input(),
    )

    def clean_code(self) -> str:
        code = normalised_code(str(self.cleaned_data["code"]))
        if len(code) != SESSION_CODE_LENGTH:
            raise forms.ValidationError(
                _("A session code has %(n)s letters and digits.") % {"n": SESSION_CODE_LENGTH}
            )
        return code


class WhoForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        required=False,
        help_text=_("Only if you already signed in on another device: the code you were shown."),
        widget=code_input(),
    )

    def clean_personal_code(self) -> str:
        return codes.normalise(str(self.cleaned_data.get("personal_code") or ""))
