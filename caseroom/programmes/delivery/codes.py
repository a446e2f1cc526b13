"""Session codes: typed by participants on their phones, so short, upper case, unambiguous."""

from __future__ import annotations

from caseroom.lib.codes import ALPHABET, new_code

from ..models import Session

__all__ = ["SESSION_CODE_LENGTH", "new_session_code", "normalised_code", "session_by_code"]

# Eight symbols of the join codes' alphabet (no 0/O, 1/I/L): 31^8 ≈ 8.5·10^11 codes, so a
# guesser who is throttled like the join form finds none, where six would leave ~10^9.
SESSION_CODE_LENGTH = 8


def new_session_code() -> str:
    return new_code(SESSION_CODE_LENGTH)


def normalised_code(raw: str) -> str:
    """What a participant typed, as stored: spaces dropped, upper case."""
    return "".join(raw.split()).upper()


def session_by_code(raw: str) -> Session | None:
    """The session a code names, looked up exactly (the unique index), or None."""
    code = normalised_code(raw)
    if len(code) != SESSION_CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None  # never worth a query
    return Session.objects.select_related("module__programme").filter(code=code).first()
