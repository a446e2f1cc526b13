"""Forms of the people registry: parsing and validation only, every field bounded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from caseroom.programmes.models import COUNTRIES, Person, Programme, Session

from .actions import PersonData
from .sheets import LIMITS

__all__ = [
    "CONSENT_WORDING",
    "ConfirmImportForm",
    "ConsentForm",
    "EraseForm",
    "ImportForm",
    "PairForm",
    "PersonForm",
    "SearchForm",
]

PAGE_SIZE = 50
MAX_PAGE = 10_000

# Shown above the checkbox and stored with the record, word for word, in the language the
# manager sees it in (the person reads or hears it before they agree).
CONSENT_WORDING = _(
    "I agree that the programme records the community I identify with. It is optional and I "
    "may withdraw it at any time. It is used only in counts of people where no group smaller "
    "than the programme's smallest count is shown; it is never shown next to my name, and "
    "only I may ask for it back."
)


def country_choices(programme: Programme) -> list[tuple[str, str]]:
    known = [(code, str(label)) for code, label in COUNTRIES]
    codes = {code for code, _label in known}
    extra = [
        (str(c).upper(), str(c).upper()) for c in programme.countries if str(c).upper() not in codes
    ]
    return [("", "—"), *known, *extra]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data.get("q") or "").split())


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    country = forms.ChoiceField(label=_("Country"))

    class Meta:
        model = Person
        fields = ["given_name", "family_name", "agency", "unit", "function", "country", "sex"]
        fields += ["email", "phone"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = country_choices(programme)

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        if phone and (
            any(c not in "0123456789 +()/.-" for c in phone) or sum(c.isdigit() for c in phone) < 6
        ):
            raise forms.ValidationError(
                _("A phone number has digits (at least 6), spaces and + ( ) / . - only.")
            )
        return phone

    def data_for_action(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            **{name: " ".join(str(data.get(name) or "").split()) for name in self.Meta.fields}
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Registration list (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    session = forms.ModelChoiceField(
        label=_("Enrol everyone in this session (optional)"),
        queryset=Session.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, programme: Programme, too_large: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        assert isinstance(session, forms.ModelChoiceField)
        session.queryset = Session.objects.filter(module__programme=programme).select_related(
            "module"
        )
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False  # "required" would be the wrong reason

    def clean_file(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("file")
        if self.too_large or (upload is not None and (upload.size or 0) > LIMITS.upload_bytes):
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": LIMITS.upload_bytes // 2**20}
            )
        return upload


class ConfirmImportForm(forms.Form):
    upload = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    digest = forms.RegexField(regex=r"^[0-9a-f]{32}$", max_length=32, widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    community = forms.CharField(
        label=_("Community the person identifies with (in their words)"), max_length=80
    )
    consent = forms.BooleanField(
        label=_("The person read (or was read) the wording above and agreed."),
        error_messages={"required": _("Without the person's consent nothing is recorded.")},
    )

    def clean_community(self) -> str:
        return " ".join(str(self.cleaned_data["community"]).split())


class EraseForm(forms.Form):
    family_name = forms.CharField(
        label=_("Type the person's family name to confirm"), max_length=100
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_family_name(self) -> str:
        typed = " ".join(str(self.cleaned_data["family_name"]).split())
        if typed.casefold() != " ".join(self.person.family_name.split()).casefold():
            raise forms.ValidationError(_("That is not this person's family name."))
        return typed


class PairForm(forms.Form):
    """Two people of a look-alike pair: `first` is kept when they are merged."""

    first = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    second = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") is not None and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different people."))
        return data
