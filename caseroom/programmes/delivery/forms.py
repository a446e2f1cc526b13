"""Parsing and validation of the modules' and sessions' inputs, every field bounded.

Forms are scoped through keyword arguments (`programme=`, `session=`), so a choice can never
name another programme's record; the writes are in `actions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from ..models import COUNTRIES, Enrolment, Finding, Person, Programme, Session

MAX_TOPICS = 40
MAX_AGENDA_ITEMS = 200
MAX_FINDINGS = 200
MAX_ENROL_AT_ONCE = 100
MAX_SESSION_SPAN = 366  # calendar days from first to last day
SEARCH_RESULTS = 30  # people shown by one search of the registry


class ModuleForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.CharField(label=_("Audience"), max_length=300)
    objectives = forms.CharField(
        label=_("Objectives"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: lists, emphasis and links are kept."),
    )
    planned_sessions = forms.IntegerField(label=_("Planned sessions"), min_value=0, max_value=500)
    planned_people = forms.IntegerField(label=_("Planned people"), min_value=0, max_value=100_000)
    days_per_session = forms.IntegerField(label=_("Days per session"), min_value=1, max_value=60)
    attendance_rule = forms.IntegerField(
        label=_("Attendance needed (%)"),
        min_value=1,
        max_value=100,
        initial=80,
        help_text=_("A participant who attends at least this share of the days counts as trained."),
    )

    def __init__(self, *args: Any, programme: Programme, module_id: int | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.programme = programme
        self.module_id = module_id

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        taken = self.programme.modules.filter(number=number)
        if self.module_id is not None:
            taken = taken.exclude(pk=self.module_id)
        if taken.exists():
            raise forms.ValidationError(_("Another module of this programme has this number."))
        return number


class TopicForm(forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    title = forms.CharField(label=_("Topic"), max_length=300)
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60
    )
    trainer = forms.CharField(label=_("Trainer"), max_length=150, required=False)


TopicFormSet = forms.formset_factory(
    TopicForm,
    extra=3,
    can_delete=True,
    max_num=MAX_TOPICS,
    absolute_max=MAX_TOPICS,
    validate_max=True,
)


class FindingsForm(forms.Form):
    findings = forms.ModelMultipleChoiceField(
        label=_("Needs this module answers"),
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, programme: Programme, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["findings"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Finding.objects.filter(programme=programme).order_by("topic", "pk")

    def clean_findings(self) -> list[Finding]:
        chosen = list(self.cleaned_data["findings"])
        if len(chosen) > MAX_FINDINGS:
            raise forms.ValidationError(_("Choose at most %(n)d findings.") % {"n": MAX_FINDINGS})
        return chosen


def country_choices(programme: Programme) -> list[tuple[str, str]]:
    """The region's countries, and any other code the programme lists."""
    known = [(code, str(name)) for code, name in COUNTRIES]
    codes = {code for code, _name in known}
    extra = [(str(c), str(c)) for c in programme.countries if str(c) not in codes]
    return known[:-1] + extra + known[-1:]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("Training days"), min_value=1, max_value=60)
    place = forms.CharField(label=_("Place"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    is_tot = forms.BooleanField(
        label=_("Training of trainers"),
        required=False,
        help_text=_("Its graduates may then train national sessions."),
    )

    def __init__(self, *args: Any, programme: Programme, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = country_choices(programme)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, days = data.get("starts_on"), data.get("ends_on"), data.get("days")
        if isinstance(starts, dt.date) and isinstance(ends, dt.date):
            span = (ends - starts).days + 1
            if span < 1:
                self.add_error("ends_on", _("The last day comes before the first."))
            elif span > MAX_SESSION_SPAN:
                self.add_error("ends_on", _("A session lasts at most a year."))
            elif isinstance(days, int) and days > span:
                self.add_error(
                    "days",
                    _("%(days)d training days do not fit in %(span)d calendar days.")
                    % {"days": days, "span": span},
                )
        return data


class AgendaItemForm(forms.Form):
    day = forms.IntegerField(label=_("Day"), min_value=1)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    title = forms.CharField(label=_("Item"), max_length=300)
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, session: Session, **kw: Any) -> None:
        super().__init__(*args, **kw)
        day = self.fields["day"]
        assert isinstance(day, forms.IntegerField)
        # Set after the field was built, so its validator is added by hand.
        day.max_value = session.days
        day.validators.append(MaxValueValidator(session.days))
        day.widget.attrs["max"] = session.days
        trainer = self.fields["trainer"]
        assert isinstance(trainer, forms.ModelChoiceField)
        trainer.queryset = Person.objects.filter(
            enrolments__session=session, enrolments__role=Enrolment.Role.TRAINER
        )


AgendaFormSet = forms.formset_factory(
    AgendaItemForm,
    extra=2,
    can_delete=True,
    max_num=MAX_AGENDA_ITEMS,
    absolute_max=MAX_AGENDA_ITEMS,
    validate_max=True,
)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find people in the registry"), max_length=100, required=False)


class EnrolForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(
        label=_("Enrol as"), choices=Enrolment.Role.choices, initial=Enrolment.Role.PARTICIPANT
    )

    def __init__(self, *args: Any, programme: Programme, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Person.objects.filter(programme=programme)

    def clean_people(self) -> list[Person]:
        chosen = list(self.cleaned_data["people"])
        if len(chosen) > MAX_ENROL_AT_ONCE:
            raise forms.ValidationError(
                _("Enrol at most %(n)d people at once.") % {"n": MAX_ENROL_AT_ONCE}
            )
        return chosen


class UnenrolForm(forms.Form):
    enrolment = forms.ModelChoiceField(queryset=Enrolment.objects.none())

    def __init__(self, *args: Any, session: Session, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["enrolment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = session.enrolments.all()


class AttendanceForm(forms.Form):
    """The attendance grid: one checkbox per enrolment and day, named `present`, valued
    "<enrolment id>-<day>". Every enrolment of the session is on the grid, so a box left
    unticked means absent; `cleaned_data["present"]` maps each enrolment to its days."""

    # A plain field over the list: the boxes are drawn by the template, checked here.
    present = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, session: Session, enrolment_ids: list[int], **kw: Any):
        super().__init__(*args, **kw)
        self.session = session
        self.enrolment_ids = enrolment_ids

    def clean_present(self) -> dict[int, frozenset[int]]:
        raw = [str(v) for v in (self.cleaned_data.get("present") or [])]
        days, known = self.session.days, set(self.enrolment_ids)
        if len(raw) > len(known) * days:
            raise forms.ValidationError(_("More boxes were ticked than the grid has."))
        present: dict[int, set[int]] = {pk: set() for pk in self.enrolment_ids}
        for value in raw:
            enrolment, _sep, day = str(value).partition("-")
            if len(value) > 20 or not (enrolment.isdigit() and day.isdigit()):
                raise forms.ValidationError(_("The grid sent a box it does not have."))
            if int(enrolment) not in known:
                raise forms.ValidationError(
                    _("Someone on the grid is no longer enrolled: reload the page.")
                )
            if not 1 <= int(day) <= days:
                raise forms.ValidationError(
                    _("Day %(day)s is outside this session's %(days)d days.")
                    % {"day": day, "days": days}
                )
            present[int(enrolment)].add(int(day))
        return {pk: frozenset(found) for pk, found in present.items()}
