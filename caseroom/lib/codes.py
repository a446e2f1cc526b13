"""Codes people type, and personal codes kept as salted hashes: one alphabet, one hashing.

Participants and respondents have no account, so a code only they hold stands for one
(an exercise's personal code, a trainee's code for their tests). Only a salted hash is
stored. About 40 bits (8 symbols of 31): with the look-up throttled per address
(lib/throttle.py) an online guess is hopeless, and someone holding the database has
everything anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["ALPHABET", "hashed", "matches", "new_code", "new_personal_code", "normalise", "pretty"]

# No 0/O, 1/I/L: a code is read off a projector across a room or copied from a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PERSONAL_LENGTH = 8


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(raw: str) -> str:
    """What people type: spaces, dashes and lower case are forgiven."""
    return "".join(c for c in raw.upper() if c.isalnum())


def pretty(code: str) -> str:
    """Two groups of four, easy to copy from a phone onto paper."""
    return f"{code[:4]}-{code[4:]}"


def new_personal_code() -> str:
    """A fresh personal code, as shown to its holder."""
    return pretty(new_code(PERSONAL_LENGTH))


def _hash(code: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def hashed(code: str) -> str:
    """What is stored: a salted hash, never the code."""
    return _hash(normalise(code), secrets.token_hex(8))


def matches(stored: str, raw: str) -> bool:
    """Whether `raw` is the code whose hash is `stored` (an empty or old hash never matches)."""
    if not raw or not stored.startswith("sha256$"):
        return False
    _, salt, _digest = stored.split("$", 2)
    return hmac.compare_digest(_hash(normalise(raw), salt), stored)
