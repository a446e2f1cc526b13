"""Forms of the needs findings and of the technical working group, choices scoped to the programme.

Lists of chosen rows are bounded (a programme has a handful of modules and a working group of a
few dozen people): a post naming thousands of ids is refused before any query joins them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from caseroom.programmes.models import (
    ActionItem,
    Decision,
    Finding,
    Meeting,
    Module,
    Programme,
    WorkingGroupMember,
)

MAX_CHOSEN = 100  # modules a finding answers, members present at a meeting


def _scope(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _bounded(form: forms.BaseForm, name: str) -> QuerySet[Any]:
    chosen: QuerySet[Any] = form.cleaned_data[name]
    if len(chosen) > MAX_CHOSEN:
        raise forms.ValidationError(_("Choose at most %(n)d.") % {"n": MAX_CHOSEN})
    return chosen


class FindingForm(forms.ModelForm):  # type: ignore[type-arg]
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules that answer it"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Finding
        fields = ["topic", "text", "modules"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"text": _("Markdown: **bold**, lists, tables.")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "modules", Module.objects.filter(programme=programme))

    def clean_modules(self) -> QuerySet[Any]:
        return _bounded(self, "modules")


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WorkingGroupMember
        fields = ["name", "institution", "function"]


class RemoveMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=WorkingGroupMember.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "member", WorkingGroupMember.objects.filter(programme=programme))


class MeetingForm(forms.ModelForm):  # type: ignore[type-arg]
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=WorkingGroupMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules it shaped"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["held_on", "place", "agenda", "minutes", "present", "modules"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {"agenda": _("Markdown."), "minutes": _("Markdown.")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "present", WorkingGroupMember.objects.filter(programme=programme))
        _scope(self, "modules", Module.objects.filter(programme=programme))

    def clean_present(self) -> QuerySet[Any]:
        return _bounded(self, "present")

    def clean_modules(self) -> QuerySet[Any]:
        return _bounded(self, "modules")


class DecisionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class RemoveDecisionForm(forms.Form):
    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "decision", Decision.objects.filter(meeting=meeting))


class ActionItemForm(forms.ModelForm):  # type: ignore[type-arg]
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=WorkingGroupMember.objects.none(), required=False
    )

    class Meta:
        model = ActionItem
        fields = ["text", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "owner", WorkingGroupMember.objects.filter(programme_id=meeting.programme_id))


class ActionStatusForm(forms.Form):
    item = forms.ModelChoiceField(queryset=ActionItem.objects.none(), widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    # Set by the overview's list of open items, so the manager stays on that page.
    back_to_overview = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scope(self, "item", ActionItem.objects.filter(meeting=meeting))
