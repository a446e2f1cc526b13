"""Who may see what: the participant of this browser, and facilitators of an exercise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from .models import Exercise, Participant

SESSION_KEY = "caseroom_participants"  # {exercise id: participant id}, one browser one person
# {exercise id: participant id} whose released debrief this browser may read, and nothing
# else: proving a personal code from another device never grants a play session.
READER_KEY = "caseroom_debrief_readers"
CODE_KEY = "caseroom_personal_codes"  # {exercise id: code}, shown again on the holder's pages


def _remember(request: HttpRequest, key: str, participant: Participant) -> None:
    # A new identity in this browser gets a new session key (no session fixation): whoever
    # planted or saw the old key does not become this participant.
    request.session.cycle_key()
    known: dict[str, int] = dict(request.session.get(key, {}))
    known[str(participant.exercise_id)] = participant.pk
    request.session[key] = known


def remember_participant(
    request: HttpRequest, participant: Participant, personal_code: str | None = None
) -> None:
    """This browser plays as `participant` from now on (and may show their personal code)."""
    _remember(request, SESSION_KEY, participant)
    if personal_code:
        codes: dict[str, str] = dict(request.session.get(CODE_KEY, {}))
        codes[str(participant.exercise_id)] = personal_code
        request.session[CODE_KEY] = codes


def remember_reader(request: HttpRequest, participant: Participant) -> None:
    """This browser may read `participant`'s released team debrief, and only that."""
    _remember(request, READER_KEY, participant)


def personal_code_in(request: HttpRequest, exercise_id: int) -> str | None:
    """The personal code this browser was shown when it joined, if it joined here."""
    value = request.session.get(CODE_KEY, {}).get(str(exercise_id))
    return str(value) if value else None


def participant_id_from_session(session: Any, exercise_id: int) -> int | None:
    known = session.get(SESSION_KEY, {}) if session is not None else {}
    value: Any = known.get(str(exercise_id))
    return int(value) if value is not None else None


def joined_here(request: HttpRequest, exercise: Exercise) -> bool:
    """Whether this browser already plays in the exercise (as a participant that exists)."""
    pid = participant_id_from_session(request.session, exercise.pk)
    return pid is not None and Participant.objects.filter(pk=pid, exercise=exercise).exists()


def participant_in(request: HttpRequest, exercise_id: int) -> Participant:
    """This browser's participant in the exercise, with its exercise, scenario and team.

    One query instead of three on every participant request (the hot path of an exercise).
    """
    pid = participant_id_from_session(request.session, exercise_id)
    if pid is None:
        raise Http404
    return _participant(pid, exercise_id)


def _participant(pid: int, exercise_id: int) -> Participant:
    try:
        return (
            Participant.objects.select_related("exercise__scenario", "team")
            # Large JSON this hot path never reads (a scenario's exploration report, the
            # team's digest): decoding them on every request cost more than the query.
            .defer(
                "exercise__scenario__stats",
                "exercise__scenario__warnings",
                "exercise__scenario__summary",
                "team__digest",
            )
            .get(pk=pid, exercise_id=exercise_id)
        )
    except Participant.DoesNotExist:
        raise Http404 from None


def reader_in(request: HttpRequest, exercise_id: int) -> Participant:
    """The participant whose debrief this browser may read: the one it plays as, or the one
    whose personal code it proved (see `remember_reader`)."""
    if participant_id_from_session(request.session, exercise_id) is not None:
        return participant_in(request, exercise_id)
    value: Any = request.session.get(READER_KEY, {}).get(str(exercise_id))
    if value is None:
        raise Http404
    return _participant(int(value), exercise_id)


# How long an ended exercise's join code still opens its released debrief.
CODE_KEPT_AFTER_END = dt.timedelta(days=30)


def exercise_by_code(code: str) -> Exercise | None:
    """The exercise a join code names (upper case, looked up exactly: the unique index),
    unless it ended more than CODE_KEPT_AFTER_END ago."""
    retired = Q(status=Exercise.Status.ENDED, ended_at__lt=timezone.now() - CODE_KEPT_AFTER_END)
    return (
        Exercise.objects.select_related("scenario")
        .filter(join_code=code.strip().upper())
        .exclude(retired)
        .first()
    )


# The one place that says who sees which exercise: administrators (superusers) every one,
# a facilitator the exercises they are named on, anyone else none. Views, exports, the
# analysis and the live console's socket all ask here.


def is_trainer(user: User | AnonymousUser | Any) -> bool:
    """A trainer may create exercises (Django's staff flag stands for it)."""
    return isinstance(user, User) and user.is_authenticated and user.is_staff


def _sees_every_exercise(user: User | AnonymousUser | Any) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_superuser


def exercises_visible_to(user: User | AnonymousUser | Any) -> QuerySet[Exercise]:
    """The exercises a list page, an analysis or an export may show this user."""
    found = Exercise.objects.select_related("scenario")
    if _sees_every_exercise(user):
        return found.all()
    if not isinstance(user, User) or not user.is_authenticated:
        return found.none()
    return found.filter(facilitators=user)


def is_facilitator(user: User | AnonymousUser | Any, exercise: Exercise) -> bool:
    """The same rule for one exercise already loaded (no query for an administrator)."""
    if _sees_every_exercise(user):
        return True
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return exercise.facilitators.filter(pk=user.pk).exists()


def exercise_for_facilitator(request: HttpRequest, exercise_id: int) -> Exercise:
    try:
        exercise = Exercise.objects.select_related("scenario").get(pk=exercise_id)
    except Exercise.DoesNotExist:
        raise Http404 from None
    if not is_facilitator(request.user, exercise):
        raise Http404
    return exercise
