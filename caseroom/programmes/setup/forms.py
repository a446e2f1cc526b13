"""Forms of the programme itself and of its staff: parsing and validation only.

Choices that point at rows (a membership to change) are scoped to the programme through a
keyword argument, so a forged id of another programme's row is "not a valid choice".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseroom.programmes.models import COUNTRIES, Membership, Programme

# No programme runs for longer; a typo such as 2206 for 2026 is caught here.
MAX_YEARS = 15


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=COUNTRIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_cell = forms.IntegerField(
        label=_("Smallest count shown"),
        min_value=2,
        max_value=50,
        initial=5,
        help_text=_(
            "Counts of people below this are hidden in every breakdown (5 is the usual rule)."
        ),
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "funder",
            "implementer",
            "starts_on",
            "ends_on",
            "countries",
            "summary",
            "min_cell",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("The programme cannot end before it starts."))
            elif (ends - starts).days > MAX_YEARS * 366:
                self.add_error(
                    "ends_on",
                    _("A programme runs for at most %(n)d years.") % {"n": MAX_YEARS},
                )
        return data


class AddStaffForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip()


class _MembershipForm(forms.Form):
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(programme=programme).select_related("user")


class ChangeRoleForm(_MembershipForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RemoveStaffForm(_MembershipForm):
    pass
