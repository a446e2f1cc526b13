"""Who may answer what: a round's code opens its anonymous questionnaire to anyone, a personal
link one response of its round, a resume code one draft.

Every page of this app is public (`@public`, read by tests/surveys/test_access_matrix.py):
what a visitor holds (a code, a token) is the key, looked up exactly and throttled when wrong.
Staff pages over questionnaires, rounds and results belong to the app that uses them
(programmes, cooperation), which holds the foreign keys and says who sees what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import QuerySet
from django.http import HttpResponse

from .models import Invitation, Response, Round
from .tokens import MAX_TOKEN_CHARS, resume_hash, token_hash

__all__ = [
    "draft_by_resume_code",
    "invitation_by_token",
    "normalise_code",
    "public",
    "public_round",
    "round_by_code",
]


def normalise_code(code: str) -> str:
    """What people type, as stored: spaces and dashes out, upper case."""
    return "".join(code.replace("-", " ").split()).upper()


def _rounds() -> QuerySet[Round]:
    # The version's source file is never needed to answer: it can be 2 MB.
    return Round.objects.select_related("version").defer("version__source")


def round_by_code(code: str) -> Round | None:
    """The round a code names (upper case, looked up exactly: the unique index)."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    return _rounds().filter(code=normalised).first()


def public_round(code: str) -> Round | None:
    """A round anyone with its code may answer on the public page: an anonymous one. Other
    rounds are answered through the using app's pages, which know who answers."""
    found = round_by_code(code)
    return found if found is not None and found.anonymous else None


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a personal link names, with its round, version and response (one
    query); None for an unknown or withdrawn one."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    found = (
        Invitation.objects.select_related("round__version", "response")
        .defer("round__version__source")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    return found


def draft_by_resume_code(round_: Round, code: str) -> Response | None:
    """The response (a draft, or sent since) a resume code names in this round."""
    return Response.objects.filter(round=round_, secret_hash=resume_hash(round_.pk, code)).first()


_V = TypeVar("_V", bound=Callable[..., HttpResponse])


def public(view: _V) -> _V:
    """Declares a page anyone may open: what they hold (a code, a token) is the key."""
    view.public = True  # type: ignore[attr-defined]
    return view
