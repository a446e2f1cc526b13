"""The personal code: the secret only a participant holds, since participants have no account.

It is shown to the participant once they have joined (kept in their own browser's session so
their pages can show it again) and only its salted hash is stored. With it, and only with it,
a participant opens their team's released debrief from another device. A facilitator can
issue a new one to a participant who lost it; the old one stops working.

About 40 bits (8 symbols of 31): with the look-up throttled per address (see `throttle.py`)
an online guess is hopeless, and someone holding the database has everything anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .models import CODE_ALPHABET, Participant

__all__ = ["hashed", "issue", "matches", "new", "normalise", "pretty"]

LENGTH = 8


def _hash(code: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def normalise(raw: str) -> str:
    """What people type: spaces, dashes and lower case are forgiven."""
    return "".join(c for c in raw.upper() if c.isalnum())


def pretty(code: str) -> str:
    """Two groups of four, easy to copy from a phone onto paper."""
    return f"{code[:4]}-{code[4:]}"


def new() -> str:
    """A fresh code, as shown to its holder."""
    return pretty("".join(secrets.choice(CODE_ALPHABET) for _ in range(LENGTH)))


def hashed(code: str) -> str:
    """What is stored: a salted hash, never the code."""
    return _hash(normalise(code), secrets.token_hex(8))


def issue(participant: Participant) -> str:
    """A new personal code for the participant (stored hashed); the old one stops working."""
    code = new()
    participant.personal_code_hash = hashed(code)
    participant.save(update_fields=["personal_code_hash"])
    return code


def matches(participant: Participant, raw: str) -> bool:
    stored = participant.personal_code_hash
    if not stored.startswith("sha256$"):
        return False  # joined before personal codes existed: a facilitator issues one
    _, salt, _digest = stored.split("$", 2)
    return hmac.compare_digest(_hash(normalise(raw), salt), stored)
