"""Parsing and validation of every input of the JIT expert network, each bounded."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from caseroom.cooperation.models import COUNTRIES
from caseroom.lib.forms import KeyField, code_input

from .identifiers import find_identifiers
from .models import MAX_JITS, POST_CHARS, TEXT_CHARS, Area

_YEARS = re.compile(r"^\s*(?:(?:19|20)\d\d\s*(?:,\s*|$))*$")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=code_input(inputmode="numeric", autocomplete="one-time-code"),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return token


class SearchForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("Any"))] + COUNTRIES, required=False
    )
    area = forms.ChoiceField(
        label=_("Expertise"), choices=[("", _("Any")), *Area.choices], required=False
    )
    language = forms.CharField(label=_("Speaks"), max_length=40, required=False)
    function = forms.CharField(label=_("Function contains"), max_length=80, required=False)


class ProfileForm(forms.Form):
    """An expert's profile, as the expert keeps it current (and as proposed)."""

    institution = forms.CharField(label=_("Institution"), max_length=TEXT_CHARS)
    function = forms.CharField(label=_("Function"), max_length=TEXT_CHARS)
    languages = forms.CharField(label=_("Languages"), max_length=TEXT_CHARS)
    areas = forms.MultipleChoiceField(
        label=_("Expertise"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    jits_count = forms.IntegerField(
        label=_("JITs taken part in"), min_value=0, max_value=MAX_JITS, initial=0
    )
    jit_years = forms.CharField(
        label=_("Years of those JITs (e.g. 2019, 2022; never case details)"),
        max_length=TEXT_CHARS,
        required=False,
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(
        label=_("Phone"), regex=r"^\+?[0-9 ()/-]{6,30}$", max_length=40, required=False
    )

    def clean_jit_years(self) -> str:
        years: str = self.cleaned_data["jit_years"]
        if not _YEARS.match(years):
            raise forms.ValidationError(_("Years only, separated by commas: 2019, 2022."))
        return ", ".join(y.strip() for y in years.split(",") if y.strip())


class ProposeForm(ProfileForm):
    username = forms.CharField(label=_("User name of their Caseroom account"), max_length=150)
    field_order = ["username"]

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this user name."))
        return user


_KINDS = {
    "email": _("an e-mail address"),
    "iban": _("a bank account number (IBAN)"),
    "phone": _("a phone number"),
    "id": _("an ID or document number"),
}


def _no_identifiers(text: str) -> str:
    """Refuses a text with an obvious identifier, quoting what and where to remove."""
    findings = find_identifiers(text)
    if findings:
        raise forms.ValidationError(
            [
                forms.ValidationError(
                    _(
                        "This looks like %(kind)s: “%(text)s” (characters %(start)s–%(end)s). "
                        "The board is for finding counterparts: no personal data of suspects, "
                        "victims or witnesses. Remove it and post again."
                    ),
                    params={
                        "kind": _KINDS[f.kind],
                        "text": f.text,
                        "start": f.start + 1,
                        "end": f.end,
                    },
                    code="identifier",
                )
                for f in findings
            ]
        )
    return text


class RequestForm(forms.Form):
    country = forms.ChoiceField(label=_("Counterpart wanted in"), choices=COUNTRIES)
    area = forms.ChoiceField(label=_("For a JIT on"), choices=Area.choices)
    text = forms.CharField(
        label=_("What you are looking for"),
        max_length=POST_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No names, numbers or other personal data of suspects or victims."),
    )
    key = KeyField()

    def clean_text(self) -> str:
        return _no_identifiers(self.cleaned_data["text"].strip())


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer (only the author of the request reads it)"),
        max_length=POST_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    key = KeyField()

    def clean_text(self) -> str:
        return _no_identifiers(self.cleaned_data["text"].strip())
