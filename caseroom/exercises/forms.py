"""Forms of the participant and facilitator pages: parsing and validation only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseroom.engine.answers import MAX_TEXT
from caseroom.engine.model import Action, Input
from caseroom.lib.forms import KeyField, code_input
from caseroom.scenarios.models import ScenarioVersion

from .models import CODE_ALPHABET, Exercise, Message, Team
from .timebox import MAX_MINUTES


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=12,
        widget=code_input(inputmode="text"),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split()).upper()
        if len(code) != 6 or any(c not in CODE_ALPHABET for c in code):
            raise forms.ValidationError(_("A join code has 6 letters and digits, e.g. K7MP3Q."))
        return code


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    agency = forms.CharField(label=_("Your agency"), max_length=120)
    country = forms.CharField(label=_("Your country"), max_length=60)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), empty_label=None, required=True
    )
    roles = forms.MultipleChoiceField(
        label=_("Your role(s)"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(
        self,
        *args: Any,
        exercise: Exercise,
        roles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not exercise.ask_agency:
            del self.fields["agency"]
        if not exercise.ask_country:
            del self.fields["country"]
        if exercise.roles_chosen_by_participants:
            self.fields["team"].queryset = exercise.teams.order_by("name")  # type: ignore[attr-defined]
            self.fields["roles"].choices = roles  # type: ignore[attr-defined]
            self.fields["roles"].help_text = _("You may hold several roles.")
        else:
            del self.fields["team"]
            del self.fields["roles"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class ExerciseForm(forms.ModelForm):  # type: ignore[type-arg]
    scenario = forms.ModelChoiceField(
        label=_("Scenario"), queryset=ScenarioVersion.objects.order_by("title", "-registered_at")
    )

    class Meta:
        model = Exercise
        fields = ["scenario", "title", "date", "location"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class MessageForm(forms.Form):
    key = KeyField()
    body = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write a message first.")},
    )
    role = forms.CharField(required=False, widget=forms.HiddenInput)


class CommandForm(forms.Form):
    """What every participant command carries: the role acted as, scoped to the roles this
    participant holds (`roles=`), and the idempotency key. A role not held is an error on
    `role`, which the view answers with 403."""

    key = KeyField()
    role = forms.ChoiceField()

    def __init__(self, *args: Any, roles: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, r) for r in roles]

    @property
    def role_not_held(self) -> bool:
        return self.is_bound and not self.is_valid() and self.has_error("role")


class ApproveForm(CommandForm):
    action = forms.CharField(max_length=80)


class ActForm(CommandForm):
    """An action and, when it asks for one, the answer in the engine's form.

    The answer's fields follow the action's input (`actions=` is the scenario's): ticked
    items for `multi`, a position per item for `order`, a number for `numeric`, text for
    `text`. The engine checks the rest (tolerances, scoring); this checks shape and size.
    """

    action = forms.CharField(max_length=80)

    def __init__(self, *args: Any, actions: Mapping[str, Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._actions = actions
        chosen = actions.get(str(self.data.get("action", ""))) if self.is_bound else None
        self.input: Input | None = chosen.input if chosen else None
        if self.input is not None:
            self.fields.update(_answer_fields(self.input))

    def clean_action(self) -> str:
        action = str(self.cleaned_data["action"])
        if action not in self._actions:
            raise forms.ValidationError(_("That action does not exist."))
        return action

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["answer"] = _answer(self.input, data) if self.input and not self.errors else None
        return data


def _answer_fields(spec: Input) -> dict[str, forms.Field]:
    if spec.type == "multi":
        # Nothing ticked is no answer (it was once sent on for approval as one).
        return {
            "item": forms.MultipleChoiceField(
                choices=[(i.id, i.id) for i in spec.items],
                error_messages={"required": _("Tick at least one item before sending.")},
            )
        }
    if spec.type == "order":
        size = len(spec.items)
        message = {
            "required": _("Give every item a position."),
            "invalid": _("Give every item a position."),
        }
        return {
            f"order-{item.id}": forms.IntegerField(
                min_value=1, max_value=max(size, 1), error_messages=message
            )
            for item in spec.items
        }
    if spec.type == "numeric":
        return {
            "value": forms.FloatField(
                error_messages={"required": _("Enter a number."), "invalid": _("Enter a number.")}
            )
        }
    return {
        "text": forms.CharField(
            max_length=MAX_TEXT, error_messages={"required": _("Write your answer first.")}
        )
    }


def _answer(spec: Input, data: dict[str, Any]) -> Any:
    if spec.type == "multi":
        return list(data["item"])
    if spec.type == "order":
        positions = {item.id: data[f"order-{item.id}"] for item in spec.items}
        if len(set(positions.values())) != len(positions):
            raise forms.ValidationError(_("Give each item a different position."))
        return sorted(positions, key=positions.__getitem__)
    if spec.type == "numeric":
        number = float(data["value"])
        if number != number or number in (float("inf"), float("-inf")):
            raise forms.ValidationError(_("Enter a number."))
        return int(number) if number.is_integer() else number
    return str(data["text"]).strip()


class WaitForm(forms.Form):
    key = KeyField()


class GradeForm(forms.Form):
    """Points per rubric dimension for a team's text answer (`dimensions=` the rubric's).

    Only the dimensions the form sent are graded; one sent empty counts as 0, as the
    console's inputs start at 0. The engine checks each against the answer's maximum.
    """

    key = KeyField()
    team = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    step = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    comment = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, dimensions: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = {"invalid": _("Points must be whole numbers.")}
        for dim in dimensions:
            self.fields[f"points-{dim}"] = forms.IntegerField(
                required=False, min_value=0, max_value=10_000, error_messages=message
            )
        self._dimensions = list(dimensions)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["points"] = {
            dim: data.get(f"points-{dim}") or 0
            for dim in self._dimensions
            if f"points-{dim}" in self.data
        }
        data["comment"] = str(data.get("comment") or "").strip() or None
        return data


class RefuseForm(CommandForm):
    action = forms.CharField(max_length=80)
    reason = forms.CharField(required=False, max_length=500)
    other = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = (data.get("other") or "").strip() or (data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the refusal."))
        data["reason"] = reason
        return data


class AnswerForm(CommandForm):
    """A linked team's request answered: one of its replies (`reply`, by index), or a
    refusal with a `reason`."""

    action = forms.CharField(max_length=80)
    reply = forms.IntegerField(required=False, min_value=0, max_value=100)
    reason = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["reason"] = (data.get("reason") or "").strip()
        if data.get("reply") is None and not data["reason"]:
            raise forms.ValidationError(_("Choose an answer, or give a reason for refusing."))
        if data.get("reply") is not None:
            data["reason"] = ""
        return data


class LinkForm(forms.Form):
    """Two teams of the exercise (`teams=`) and the roles the second plays (`roles=`)."""

    first = forms.ChoiceField(label=_("First team"))
    second = forms.ChoiceField(label=_("Second team"))
    plays = forms.MultipleChoiceField(label=_("Roles the second team plays"))

    def __init__(
        self, *args: Any, teams: Sequence[Team], roles: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(str(t.pk), t.name) for t in teams]
        field = self.fields["plays"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(r, r) for r in roles]


class CountForm(forms.Form):
    count = forms.IntegerField(label=_("Number of teams"), min_value=1, max_value=30)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Exercise.Status.choices)


class RolesForm(forms.Form):
    participant = forms.IntegerField()
    team = forms.IntegerField(required=False)
    roles = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = roles  # type: ignore[attr-defined]


class RulesForm(forms.Form):
    """The facilitator's rules of play (console, "Rules of play")."""

    roles_locked = forms.BooleanField(
        label=_("Lock role assignments"),
        required=False,
        help_text=_("People who join now wait for you to give them a team and roles."),
    )
    approver_must_differ = forms.BooleanField(
        label=_("Approvals need a second person"),
        required=False,
        help_text=_("Nobody may approve an action they requested, even holding both roles."),
    )


class ParticipantForm(forms.Form):
    participant = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class FacilitatorMessageForm(forms.Form):
    key = KeyField()
    team = forms.CharField(max_length=20)  # a team id, or "all"
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea)


class InjectForm(forms.Form):
    key = KeyField()
    team = forms.CharField(max_length=20)  # a team id, or "all"
    inject = forms.CharField(max_length=80)


class EndForm(forms.Form):
    key = KeyField()
    team = forms.IntegerField()
    ending = forms.CharField(max_length=80)


class JumpForm(forms.Form):
    key = KeyField()
    team = forms.CharField(max_length=20)  # a team id, or "all"
    scene = forms.CharField(max_length=80)


class TimeBoxForm(forms.Form):
    key = KeyField()
    do = forms.ChoiceField(choices=[("start", "start"), ("extend", "extend"), ("clear", "clear")])
    minutes = forms.IntegerField(min_value=1, max_value=MAX_MINUTES, required=False)
    label = forms.CharField(max_length=120, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("do") in ("start", "extend") and not data.get("minutes"):
            raise forms.ValidationError(
                _("Give a number of minutes between 1 and %(most)d.") % {"most": MAX_MINUTES}
            )
        return data


CHANNEL_CHOICES = [
    (Message.Channel.TEAM, Message.Channel.TEAM.label),
    (Message.Channel.CROSS_BORDER, Message.Channel.CROSS_BORDER.label),
]
