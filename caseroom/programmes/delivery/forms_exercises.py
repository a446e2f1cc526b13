"""Forms of a session's exercises: link, unlink, run one, match players to people.

Choices are scoped by keyword arguments: a user links only exercises they facilitate
(`exercises_visible_to`, the exercises app's one rule), a seat joins only this session's
players and people.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext_lazy as _

from caseroom.exercises.access import exercises_visible_to
from caseroom.exercises.models import Exercise, Participant
from caseroom.scenarios.models import ScenarioVersion

from ..models import Person, Seat, Session

MAX_TEAMS = 30  # the console's own bound (exercises.forms.CountForm)


class LinkExerciseForm(forms.Form):
    exercise = forms.ModelChoiceField(
        label=_("An exercise you facilitate"), queryset=Exercise.objects.none()
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["exercise"]
        assert isinstance(field, forms.ModelChoiceField)
        # Bounded: the 200 most recent of the user's exercises not yet in any session (a
        # sub-query, since a sliced queryset cannot be filtered by the field's validation).
        free = exercises_visible_to(user).filter(programme_session__isnull=True)
        recent = free.order_by("-created_at").values("pk")[:200]
        field.queryset = free.filter(pk__in=recent).order_by("-created_at")


class UnlinkExerciseForm(forms.Form):
    exercise = forms.ModelChoiceField(queryset=Exercise.objects.none())

    def __init__(self, *args: Any, session: Session, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["exercise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Exercise.objects.filter(programme_session__session=session)


class RunExerciseForm(forms.Form):
    scenario = forms.ModelChoiceField(
        label=_("Scenario"), queryset=ScenarioVersion.objects.order_by("title", "-registered_at")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    teams = forms.IntegerField(
        label=_("Number of teams"), min_value=1, max_value=MAX_TEAMS, initial=3
    )


class SeatForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Player"), queryset=Participant.objects.none(), widget=forms.HiddenInput
    )
    person = forms.ModelChoiceField(label=_("Is"), queryset=Person.objects.none())

    def __init__(self, *args: Any, session: Session, **kw: Any) -> None:
        super().__init__(*args, **kw)
        player = self.fields["participant"]
        assert isinstance(player, forms.ModelChoiceField)
        player.queryset = Participant.objects.filter(
            exercise__programme_session__session=session, programme_seat__isnull=True
        )
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(enrolments__session=session).order_by(
            "family_name", "given_name", "pk"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        player, person = data.get("participant"), data.get("person")
        if isinstance(player, Participant) and isinstance(person, Person):
            taken = Seat.objects.filter(person=person, participant__exercise_id=player.exercise_id)
            if taken.exists():
                self.add_error("person", _("This person already has a player in this exercise."))
        return data
