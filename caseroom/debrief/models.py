"""What the facilitator adds to a debrief: step annotations, notes, the release to participants.

The play itself stays in the team's event log (exercises.TeamEvent); these rows are
commentary about it and can be edited at any time, during or after the exercise.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseroom.exercises.models import Exercise, Team


class Annotation(models.Model):
    """A facilitator's mark on one step of a team's trajectory."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        GOOD_PRACTICE = "good-practice", _("Good practice")
        MISCONCEPTION = "misconception", _("Misconception")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="annotations")
    # DebriefStep.index: the position in the team's steps, stable because steps only append.
    step = models.PositiveIntegerField(_("step"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    # Optional: one of the scenario's misconception ids, so the mark can join the ranking.
    misconception = models.CharField(_("misconception"), max_length=80, blank=True)
    body = models.TextField(_("comment"), max_length=2000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Idempotency key of the form submission: a double click adds one annotation.
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key; "" would collide in the unique index)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "step", "created_at", "pk"]
        verbose_name = _("annotation")
        constraints = [
            # Per team, like every idempotency key: another team's key adds its own mark.
            models.UniqueConstraint(
                fields=["team", "key"],
                condition=models.Q(key__isnull=False),
                name="annotation_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} #{self.step}: {self.get_kind_display()}"


class ExerciseDebrief(models.Model):
    """The facilitator's notes for the after-action report, and the release to participants."""

    exercise = models.OneToOneField(
        Exercise, on_delete=models.CASCADE, primary_key=True, related_name="debrief"
    )
    notes = models.TextField(_("facilitator's notes"), max_length=20000, blank=True)
    recommendations = models.TextField(_("recommendations"), max_length=20000, blank=True)
    # Set when the facilitator lets participants see their own team's debrief by join code.
    released_at = models.DateTimeField(_("released to participants"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exercise debrief")

    def __str__(self) -> str:
        return str(self.exercise)

    @property
    def released(self) -> bool:
        return self.released_at is not None


def debrief_of(exercise: Exercise) -> ExerciseDebrief:
    """The exercise's debrief row, created empty on first use."""
    found, _created = ExerciseDebrief.objects.get_or_create(exercise=exercise)
    return found


def read_debrief(exercise: Exercise) -> ExerciseDebrief:
    """The exercise's debrief row for reading: an unsaved empty one if none exists (a GET
    page should not write)."""
    return ExerciseDebrief.objects.filter(exercise=exercise).first() or ExerciseDebrief(
        exercise=exercise
    )
