"""Who may answer what: a round's code opens its anonymous questionnaire to anyone.

Staff pages over questionnaires, rounds and results belong to the app that uses them
(programmes, cooperation), which holds the foreign keys and says who sees what.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Round

__all__ = ["normalise_code", "public_round", "round_by_code"]


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
