"""Parsing and bounds of every workshop input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseroom.cooperation.models import Coordination
from caseroom.lib import codes
from caseroom.lib.forms import KeyField, code_input
from caseroom.library.citations import unknown_refs

from .models import CARD_CHARS, Card, Cluster, Recommendation


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Workshop code"), max_length=20, widget=code_input())
    name = forms.CharField(label=_("Your name"), max_length=120)
    country = forms.CharField(label=_("Country"), max_length=80)
    agency = forms.CharField(label=_("Agency or organisation"), max_length=160)

    def clean_code(self) -> str:
        return codes.normalise(self.cleaned_data["code"])


class CardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Card.Kind.choices)
    # Bounded here and again in actions.post_card (which words the refusal).
    text = forms.CharField(
        label=_("Your card"),
        max_length=CARD_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write something on the card first."),
            "max_length": _(
                "A card holds at most %(limit_value)d characters; this one has %(show_value)d."
            ),
        },
    )
    key = KeyField()


class VoteForm(forms.Form):
    key = KeyField()


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    votes_per_theme = forms.IntegerField(
        label=_("Votes per participant and theme"), min_value=1, max_value=20, initial=3
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if isinstance(first, dt.date) and isinstance(last, dt.date) and last < first:
            self.add_error("ends_on", _("The last day comes before the first."))
        return data


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme title"), max_length=120)


class MergeForm(forms.Form):
    duplicate = forms.TypedChoiceField(label=_("Duplicate card"), coerce=int, choices=())
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int, choices=())

    def __init__(self, *args: Any, card_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("duplicate", "into"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = card_choices


class ClusterForm(forms.Form):
    title = forms.CharField(label=_("Cluster title"), max_length=200)
    cards = forms.TypedMultipleChoiceField(
        label=_("Cards"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, card_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cards"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = card_choices

    def clean_cards(self) -> list[int]:
        chosen: list[int] = self.cleaned_data["cards"]
        if len(chosen) > 200:
            raise forms.ValidationError(_("Choose at most 200 cards at a time."))
        return chosen


class MoveForm(forms.Form):
    """Another cluster of the card's theme, or none (back to the unclustered cards)."""

    cluster = forms.ModelChoiceField(
        label=_("Move to"), queryset=Cluster.objects.none(), required=False
    )

    def __init__(self, *args: Any, theme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cluster"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cluster.objects.filter(theme_id=theme_id)


class VotingForm(forms.Form):
    open = forms.BooleanField(required=False)


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    institution = forms.CharField(label=_("Addressed to (institution)"), max_length=150)
    country = forms.CharField(label=_("Addressed to (country)"), max_length=45, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Recommendation.Priority.choices)
    timeframe = forms.ChoiceField(label=_("Timeframe"), choices=Recommendation.Timeframe.choices)
    clusters = forms.ModelMultipleChoiceField(
        label=_("From the clusters"), queryset=Cluster.objects.none(), required=False
    )
    coordination = forms.ModelChoiceField(
        label=_("Track as a measure of"), queryset=Coordination.objects.none()
    )
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    citation = forms.CharField(
        label=_("Guideline section (library reference)"), max_length=200, required=False
    )
    key = KeyField()

    def __init__(
        self,
        *args: Any,
        clusters: Any,
        coordinations: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cluster_field = self.fields["clusters"]
        assert isinstance(cluster_field, forms.ModelMultipleChoiceField)
        cluster_field.queryset = clusters
        coordination_field = self.fields["coordination"]
        assert isinstance(coordination_field, forms.ModelChoiceField)
        coordination_field.queryset = coordinations
        if editing:
            # The measure was recorded when the recommendation was drafted; where it is
            # tracked and by when is changed in the measures list, not here.
            for name in ("coordination", "due_on", "key"):
                del self.fields[name]

    def clean_citation(self) -> str:
        ref: str = self.cleaned_data["citation"].strip()
        if ref and unknown_refs([ref]):
            raise forms.ValidationError(_("No library section has that reference."))
        return ref
