"""The facilitator's writes on a debrief: annotations, notes, release. Plain functions.

Each write is one transaction; an annotation form carries an idempotency key so that a
double click or a retried request adds it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseroom.exercises.models import Exercise, Team

from .models import Annotation, ExerciseDebrief, debrief_of

__all__ = [
    "add_annotation",
    "annotations_by_step",
    "annotations_of_teams",
    "delete_annotation",
    "NotEnded",
    "release",
    "save_notes",
]


def add_annotation(
    team: Team,
    *,
    step: int,
    kind: str,
    body: str = "",
    misconception: str = "",
    author: User | None = None,
    key: str | None = None,
) -> Annotation:
    """Add a mark to one step of a team's trajectory; the same key returns the first one."""
    if key:
        found = Annotation.objects.filter(key=key, team=team).first()
        if found is not None:
            return found
    try:
        with transaction.atomic():
            return Annotation.objects.create(
                team=team,
                step=step,
                kind=kind,
                body=body.strip(),
                misconception=misconception if kind == Annotation.Kind.MISCONCEPTION else "",
                author=author,
                key=key or None,
            )
    except IntegrityError:
        # Two requests with the same key raced; the other one stored it.
        return Annotation.objects.get(key=key, team=team)


def delete_annotation(annotation: Annotation) -> None:
    annotation.delete()


def annotations_by_step(team: Team) -> dict[int, list[Annotation]]:
    found: dict[int, list[Annotation]] = defaultdict(list)
    for annotation in team.annotations.select_related("author").order_by("step", "created_at"):
        found[annotation.step].append(annotation)
    return dict(found)


def annotations_of_teams(teams: Iterable[Team]) -> list[Annotation]:
    """Every annotation of these teams, in team and step order, with their teams loaded."""
    return list(
        Annotation.objects.filter(team__in=list(teams))
        .select_related("team", "author")
        .order_by("team__name", "step", "created_at")
    )


def save_notes(exercise: Exercise, *, notes: str, recommendations: str) -> ExerciseDebrief:
    debrief = debrief_of(exercise)
    debrief.notes = notes.strip()
    debrief.recommendations = recommendations.strip()
    debrief.save(update_fields=["notes", "recommendations", "updated_at"])
    return debrief


class NotEnded(Exception):
    """A debrief is released only once the exercise has ended."""


def release(exercise: Exercise, released: bool) -> ExerciseDebrief:
    """Let participants open their own team's debrief (or take that back).

    Only after the end: a released debrief shows the expert path and every team's grades,
    which would give the answers away to a team still playing.
    """
    if released and exercise.status != Exercise.Status.ENDED:
        raise NotEnded
    debrief = debrief_of(exercise)
    if released and debrief.released_at is None:
        debrief.released_at = timezone.now()
    elif not released:
        debrief.released_at = None
    debrief.save(update_fields=["released_at", "updated_at"])
    return debrief
