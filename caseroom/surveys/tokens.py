"""The secrets respondents hold instead of an account: a personal link's token and a draft's
resume code. Only hashes are stored.

A link's token is `secrets.token_urlsafe(24)` (192 bits): a plain SHA-256 is enough, and
it is looked up exactly by its unique index. A resume code is 8 symbols a person copies onto
paper (about 40 bits, like exercises' personal codes, lib/codes.py), typed again with the
round's code; a draft must be found from it alone, so it cannot be salted per row as a
personal code is (that is checked against one known row). It is hashed with HMAC keyed by
SECRET_KEY and the round instead: looked up by an index, and a copy of the database alone
does not let anyone try the 31^8 codes offline. Wrong tries are throttled (views.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from caseroom.lib import codes

__all__ = [
    "RESUME_LENGTH",
    "new_invitation_token",
    "new_resume_code",
    "normalise_resume_code",
    "resume_hash",
    "token_hash",
]

RESUME_LENGTH = 8
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters of [A-Za-z0-9_-]
MAX_TOKEN_CHARS = 64  # anything longer in a link is not one of ours: not even hashed


def new_invitation_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_resume_code() -> str:
    """A fresh resume code as shown: two groups of four (ABCD-EFGH)."""
    return codes.pretty(codes.new_code(RESUME_LENGTH))


def normalise_resume_code(raw: str) -> str:
    """What people type: spaces, dashes and lower case are forgiven."""
    return codes.normalise(raw)[: RESUME_LENGTH * 2]


def resume_hash(round_id: int, code: str) -> str:
    message = f"caseroom.surveys.resume:{round_id}:{normalise_resume_code(code)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
