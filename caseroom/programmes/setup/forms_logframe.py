"""Forms of the logframe: outcomes, outputs and indicators, every choice scoped to the programme.

Codes are unique per level across the whole programme (the database only knows "per parent"),
because the donor report and the traces name an indicator by its code alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from caseroom.programmes.models import Indicator, Module, Outcome, Output, Programme

# The dimensions a donor may want a value broken down by; each is a column the report knows.
DIMENSIONS = [
    ("sex", _("Sex")),
    ("agency", _("Agency")),
    ("country", _("Country")),
    ("module", _("Module")),
]

_code = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.\-]*$",
    _("Use letters, digits, dots and dashes, e.g. 1.2.a."),
)


def _scope(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _check_code_free(
    form: forms.BaseForm, taken: QuerySet[Any], editing: Model | None
) -> str | None:
    code: str | None = form.cleaned_data.get("code")
    if code is None:
        return None
    if editing is not None:
        taken = taken.exclude(pk=editing.pk)
    if taken.filter(code=code).exists():
        form.add_error("code", _("This code is already used in the logframe."))
    return code


class OutcomeForm(forms.Form):
    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.none(), required=False, widget=forms.HiddenInput
    )
    code = forms.CharField(label=_("Code"), max_length=12, validators=[_code])
    title = forms.CharField(label=_("Outcome"), max_length=300)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        _scope(self, "outcome", Outcome.objects.filter(programme=programme))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_code_free(
            self, Outcome.objects.filter(programme=self.programme), data.get("outcome")
        )
        return data


class OutputForm(forms.Form):
    output = forms.ModelChoiceField(
        queryset=Output.objects.none(), required=False, widget=forms.HiddenInput
    )
    outcome = forms.ModelChoiceField(label=_("Under outcome"), queryset=Outcome.objects.none())
    code = forms.CharField(label=_("Code"), max_length=12, validators=[_code])
    title = forms.CharField(label=_("Output"), max_length=300)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        _scope(self, "outcome", Outcome.objects.filter(programme=programme))
        _scope(self, "output", Output.objects.filter(outcome__programme=programme))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_code_free(
            self, Output.objects.filter(outcome__programme=self.programme), data.get("output")
        )
        return data


class RemoveForm(forms.Form):
    """Removes one outcome or one output (with everything under it), named by a hidden id."""

    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.none(), required=False, widget=forms.HiddenInput
    )
    output = forms.ModelChoiceField(
        queryset=Output.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "outcome", Outcome.objects.filter(programme=programme))
        _scope(self, "output", Output.objects.filter(outcome__programme=programme))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("outcome")) == bool(data.get("output")):
            raise forms.ValidationError(_("Say which outcome or output to remove."))
        return data


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    output = forms.ModelChoiceField(label=_("Under output"), queryset=Output.objects.none())
    code = forms.CharField(label=_("Code"), max_length=12, validators=[_code])
    baseline = forms.DecimalField(
        label=_("Baseline"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    target = forms.DecimalField(label=_("Target"), min_value=0, max_digits=12, decimal_places=2)
    threshold = forms.DecimalField(
        label=_("Threshold (normalised gain, 0 to 1)"),
        required=False,
        min_value=0,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        help_text=_("Only for the share of people with a learning gain above a threshold."),
    )
    manual_value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Only for indicators entered by hand."),
    )
    disaggregation = forms.MultipleChoiceField(
        label=_("Disaggregated by"),
        choices=DIMENSIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    module = forms.ModelChoiceField(
        label=_("Only sessions of module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("All modules"),
    )

    class Meta:
        model = Indicator
        fields = [
            "output",
            "code",
            "title",
            "unit",
            "baseline",
            "target",
            "measure",
            "threshold",
            "manual_value",
            "disaggregation",
            "module",
        ]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        _scope(self, "output", Output.objects.filter(outcome__programme=programme))
        _scope(self, "module", Module.objects.filter(programme=programme))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_code_free(
            self,
            Indicator.objects.filter(output__outcome__programme=self.programme),
            self.instance if self.instance.pk else None,
        )
        measure = data.get("measure")
        threshold: Decimal | None = data.get("threshold")
        if measure == Indicator.Measure.GAIN_ABOVE and threshold is None:
            self.add_error("threshold", _("Give the gain above which a person counts (0 to 1)."))
        elif measure != Indicator.Measure.GAIN_ABOVE and threshold is not None:
            self.add_error("threshold", _("A threshold is only for the learning-gain measure."))
        if measure == Indicator.Measure.MANUAL and data.get("manual_value") is None:
            self.add_error("manual_value", _("Give the value of an indicator entered by hand."))
        elif measure != Indicator.Measure.MANUAL and data.get("manual_value") is not None:
            self.add_error(
                "manual_value", _("Only an indicator entered by hand takes a value here.")
            )
        return data
