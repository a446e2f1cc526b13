"""Every write of the surveys app: rounds opened and closed, responses submitted.

`submit` checks the answers with xlsform (type, required where relevant, constraint,
choices, bounds), drops those to questions that were not relevant, scores a test and stores
the response in one transaction. It is safe inside a caller's own transaction (the using app
may store its own row beside the response): the insert runs in a savepoint, and a repeated
idempotency key returns the response already stored instead of failing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.xlsform import Complaint, review_answers, score

from .models import QuestionnaireVersion, Response, Round
from .registry import form_of

__all__ = [
    "InvalidAnswers",
    "Refused",
    "RoundClosed",
    "RoundNotOpen",
    "close_round",
    "create_round",
    "submit",
]


class Refused(Exception):
    """A write the rules do not allow, with a stable code and the words to show (already
    translated), as exercises.actions.Refused."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class RoundClosed(Refused):
    code = "round_closed"


class RoundNotOpen(Refused):
    code = "round_not_open"


class InvalidAnswers(Refused):
    """The answers do not fit the questionnaire; `complaints` by question name."""

    code = "invalid_answers"

    def __init__(self, complaints: Mapping[str, Complaint]) -> None:
        super().__init__(_("Some answers need attention."))
        self.complaints = dict(complaints)


def create_round(
    version: QuestionnaireVersion,
    title: str,
    *,
    anonymous: bool = True,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Round:
    """A new round of answers to `version`, with a fresh code."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Round.objects.create(
                    title=title[:200],
                    version=version,
                    anonymous=anonymous,
                    opens_at=opens_at,
                    closes_at=closes_at,
                )
        except IntegrityError:
            # A code already taken (1 in 10^11 per round): draw another. Anything else
            # (closes before it opens) fails again and is raised below.
            continue
    raise IntegrityError("no free round code after five attempts")


def close_round(round_: Round, *, now: dt.datetime | None = None) -> None:
    """No more answers; closing twice keeps the first time."""
    with transaction.atomic():
        moment = now or timezone.now()
        updated = Round.objects.filter(pk=round_.pk, accepting=True).update(
            accepting=False, closed_at=moment
        )
        if updated:
            round_.accepting, round_.closed_at = False, moment
        else:
            round_.refresh_from_db(fields=["accepting", "closed_at"])


def submit(
    round_: Round,
    answers: Mapping[str, Any],
    *,
    language: str = "",
    key: str | None = None,
    respondent: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """Store one response to the round, or raise Refused (RoundClosed, RoundNotOpen,
    InvalidAnswers). `language` is the reader's language code (it picks the author's
    messages and is stored); a second submit with the same `key` returns the first response."""
    key = key or None
    if key is not None:
        previous = Response.objects.filter(round_id=round_.pk, key=key).first()
        if previous is not None:
            return previous
    moment = now or timezone.now()
    # The round's state as stored now, not as the caller loaded it a while ago.
    current = Round.objects.only("accepting", "opens_at", "closes_at").get(pk=round_.pk)
    state = current.state(moment)
    if state == "closed":
        raise RoundClosed(_("This questionnaire is closed: it no longer takes answers."))
    if state == "not_yet":
        raise RoundNotOpen(_("This questionnaire is not open yet."))
    form = form_of(round_.version)
    review = review_answers(form, answers, language, today=timezone.localdate(moment))
    if review.complaints:
        raise InvalidAnswers(review.complaints)
    result = score(form, review.answers) if form.scored else None
    try:
        with transaction.atomic():  # a savepoint when the caller holds a transaction
            return Response.objects.create(
                round=round_,
                submitted_at=moment,
                language=language[:20],
                answers=review.answers,
                score=result.points if result else None,
                max_score=result.max_points if result else None,
                key=key,
                respondent=respondent[:200],
            )
    except IntegrityError:
        # The same key stored by a request that ran alongside this one.
        raced = Response.objects.filter(round_id=round_.pk, key=key).first() if key else None
        if raced is None:
            raise
        return raced
