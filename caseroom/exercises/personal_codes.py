"""A participant's personal code: the secret only they hold, since participants have no account.

It is shown to the participant once they have joined (kept in their own browser's session so
their pages can show it again) and only its salted hash is stored (`lib/codes.py`). With it,
and only with it, a participant opens their team's released debrief from another device. A
facilitator can issue a new one to a participant who lost it; the old one stops working.
"""

from __future__ import annotations

from caseroom.lib import codes
from caseroom.lib.codes import hashed, normalise, pretty

from .models import Participant

__all__ = ["hashed", "issue", "matches", "new", "normalise", "pretty"]


def new() -> str:
    """A fresh code, as shown to its holder."""
    return codes.new_personal_code()


def issue(participant: Participant) -> str:
    """A new personal code for the participant (stored hashed); the old one stops working."""
    code = new()
    participant.personal_code_hash = hashed(code)
    participant.save(update_fields=["personal_code_hash"])
    return code


def matches(participant: Participant, raw: str) -> bool:
    # A participant who joined before personal codes existed has no hash: never a match
    # (a facilitator issues one).
    return codes.matches(participant.personal_code_hash, raw)
