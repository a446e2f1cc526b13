"""Every write of the surveys app: rounds opened and closed, drafts saved, responses submitted.

`submit` checks the answers with xlsform (type, required where relevant, constraint,
choices, bounds; strictly, answers to questions not in the form or not relevant are refused
rather than dropped), scores a test and stores the response in one transaction. It is safe
inside a caller's own transaction (the using app may store its own row beside the response):
the write runs in a savepoint, and a repeated idempotency key returns the response already
stored instead of failing.

A respondent who comes back holds a secret, `respondent_token`: a personal link's token
(invitations.py) or a draft's resume code (tokens.py). `save_draft` keeps answers checked for
their shape only; `submit` with the same token finishes that draft. One response per secret:
after it is sent, both refuse (AlreadySubmitted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.xlsform import Complaint, review_answers, score

from .models import Invitation, QuestionnaireVersion, Response, Round
from .registry import form_of
from .tokens import RESUME_LENGTH, normalise_resume_code, resume_hash, token_hash

__all__ = [
    "AlreadySubmitted",
    "InvalidAnswers",
    "Refused",
    "RoundClosed",
    "RoundNotOpen",
    "UnknownRespondent",
    "close_round",
    "create_round",
    "save_draft",
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


class AlreadySubmitted(Refused):
    code = "already_submitted"


class UnknownRespondent(Refused):
    """A token that is no personal link of the round (or one withdrawn)."""

    code = "unknown_respondent"


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
    drafts: bool = False,
) -> Round:
    """A new round of answers to `version`, with a fresh code; `drafts` offers "save and
    continue later" on the round-code page."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Round.objects.create(
                    title=title[:200],
                    version=version,
                    anonymous=anonymous,
                    opens_at=opens_at,
                    closes_at=closes_at,
                    drafts=drafts,
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


def _check_open(round_: Round, moment: dt.datetime) -> None:
    # The round's state as stored now, not as the caller loaded it a while ago.
    current = Round.objects.only("accepting", "opens_at", "closes_at").get(pk=round_.pk)
    state = current.state(moment)
    if state == "closed":
        raise RoundClosed(_("This questionnaire is closed: it no longer takes answers."))
    if state == "not_yet":
        raise RoundNotOpen(_("This questionnaire is not open yet."))


@dataclass(frozen=True)
class _Binding:
    """Whose response a secret names: a personal link's, or a resume code's."""

    invitation: Invitation | None
    secret_hash: str

    def responses(self, round_: Round) -> QuerySet[Response]:
        found = Response.objects.filter(round_id=round_.pk)
        if self.invitation is not None:
            return found.filter(invitation=self.invitation)
        return found.filter(secret_hash=self.secret_hash)

    def fields(self) -> dict[str, Any]:
        if self.invitation is None:
            return {"secret_hash": self.secret_hash}
        found = self.invitation
        return {"invitation": found, "country": found.country, "agency": found.agency}


def _binding(round_: Round, respondent_token: str) -> _Binding:
    token = respondent_token.strip()
    if len(normalise_resume_code(token)) == RESUME_LENGTH and len(token) <= RESUME_LENGTH + 2:
        return _Binding(None, resume_hash(round_.pk, token))
    invitation = (
        Invitation.objects.filter(round_id=round_.pk, token_hash=token_hash(token)).first()
        if 0 < len(token) <= 64
        else None
    )
    if invitation is None or invitation.revoked_at is not None:
        raise UnknownRespondent(_("This link is not valid: it may have been withdrawn."))
    return _Binding(invitation, "")


def _already() -> AlreadySubmitted:
    return AlreadySubmitted(_("These answers have already been sent: they cannot be changed."))


def _by_key(round_: Round, key: str | None) -> Response | None:
    return Response.objects.filter(round_id=round_.pk, key=key).first() if key else None


def save_draft(
    round_: Round,
    answers: Mapping[str, Any],
    *,
    respondent_token: str,
    key: str | None = None,
    language: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """Keep answers so far as the draft of the respondent holding `respondent_token` (a
    personal link's token or a resume code from tokens.new_resume_code), checked for their
    shape only: types, choices, bounds, questions that exist and apply; not what is missing,
    not constraints. Raises Refused (RoundClosed, RoundNotOpen, UnknownRespondent,
    AlreadySubmitted, InvalidAnswers); a repeat with the same `key` changes nothing."""
    key = key or None
    previous = _by_key(round_, key)
    if previous is not None:
        return previous
    moment = now or timezone.now()
    _check_open(round_, moment)
    binding = _binding(round_, respondent_token)
    form = form_of(round_.version)
    today = timezone.localdate(moment)
    review = review_answers(form, answers, language, today=today, strict=True, partial=True)
    if review.complaints:
        raise InvalidAnswers(review.complaints)
    values = {
        "answers": review.answers,
        "saved_at": moment,
        "language": language[:20],
        "key": key,
    }
    return _write(round_, binding, values, draft=True)


def _write(round_: Round, binding: _Binding, values: dict[str, Any], *, draft: bool) -> Response:
    """Update the secret's response (locked), or create it: in a savepoint, once per secret."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = binding.responses(round_).select_for_update().first()
                if existing is not None and existing.submitted_at is not None:
                    raise _already()
                if existing is None:
                    return Response.objects.create(
                        round=round_,
                        **({"submitted_at": None} if draft else {}),
                        **values,
                        **binding.fields(),
                    )
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save(update_fields=list(values))
                return existing
        except IntegrityError:
            # Two first saves of one secret at once: the second finds the first's row.
            raced = _by_key(round_, values.get("key"))
            if raced is not None:
                return raced
    raise _already()


def submit(
    round_: Round,
    answers: Mapping[str, Any],
    *,
    language: str = "",
    key: str | None = None,
    respondent: str = "",
    now: dt.datetime | None = None,
    respondent_token: str | None = None,
    strict: bool = True,
) -> Response:
    """Store one response to the round, or raise Refused (RoundClosed, RoundNotOpen,
    InvalidAnswers, and with a token UnknownRespondent or AlreadySubmitted). `language` is
    the reader's language code (it picks the author's messages and is stored); a second
    submit with the same `key` returns the first response. With `respondent_token` the
    respondent's draft is finished (or their one response created). `strict` refuses
    answers to questions the form does not have or that do not apply; without it they are
    dropped, as before."""
    key = key or None
    previous = _by_key(round_, key)
    if previous is not None:
        return previous
    moment = now or timezone.now()
    _check_open(round_, moment)
    binding = _binding(round_, respondent_token) if respondent_token else None
    form = form_of(round_.version)
    today = timezone.localdate(moment)
    review = review_answers(form, answers, language, today=today, strict=strict)
    if review.complaints:
        raise InvalidAnswers(review.complaints)
    result = score(form, review.answers) if form.scored else None
    values = {
        "submitted_at": moment,
        "language": language[:20],
        "answers": review.answers,
        "score": result.points if result else None,
        "max_score": result.max_points if result else None,
        "key": key,
        "respondent": respondent[:200],
    }
    if binding is not None:
        return _write(round_, binding, values, draft=False)
    try:
        with transaction.atomic():  # a savepoint when the caller holds a transaction
            return Response.objects.create(round=round_, **values)
    except IntegrityError:
        # The same key stored by a request that ran alongside this one.
        raced = _by_key(round_, key)
        if raced is None:
            raise
        return raced
