"""Who a participant's phone is, for the session tests: the browser's session holds it.

Participants have no account. Typing the session code lets this browser name a person of
that session; naming them binds the browser to their enrolment (the session key is cycled,
as exercises.access.remember_participant does, so no planted key becomes them). The
personal code they were shown is kept to show again on their page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ..models import Enrolment, Session

__all__ = [
    "code_entered",
    "enrolment_in",
    "personal_code_in",
    "remember_code_entered",
    "remember_learner",
]

ENTERED_KEY = "caseroom_learning_sessions"  # [session id] whose code this browser typed
LEARNER_KEY = "caseroom_learners"  # {session id: enrolment id}
CODE_KEY = "caseroom_learner_codes"  # {session id: personal code}, shown on their page


def remember_code_entered(request: HttpRequest, session: Session) -> None:
    entered = [int(s) for s in request.session.get(ENTERED_KEY, [])][-20:]
    if session.pk not in entered:
        request.session[ENTERED_KEY] = [*entered, session.pk]


def code_entered(request: HttpRequest, session_id: int) -> bool:
    return session_id in request.session.get(ENTERED_KEY, [])


def remember_learner(request: HttpRequest, enrolment: Enrolment, personal_code: str | None) -> None:
    """This browser answers as `enrolment`'s person in its session from now on."""
    request.session.cycle_key()
    learners: dict[str, int] = dict(request.session.get(LEARNER_KEY, {}))
    learners[str(enrolment.session_id)] = enrolment.pk
    request.session[LEARNER_KEY] = learners
    codes: dict[str, str] = dict(request.session.get(CODE_KEY, {}))
    if personal_code:
        codes[str(enrolment.session_id)] = personal_code
    else:
        codes.pop(str(enrolment.session_id), None)
    request.session[CODE_KEY] = codes


def enrolment_in(request: HttpRequest, session_id: int) -> Enrolment | None:
    """This browser's enrolment in the session (with its session, module and person), or
    None; one query."""
    value: Any = request.session.get(LEARNER_KEY, {}).get(str(session_id))
    if value is None:
        return None
    return (
        Enrolment.objects.select_related("session__module__programme", "person")
        .filter(pk=int(value), session_id=session_id, role=Enrolment.Role.PARTICIPANT)
        .first()
    )


def personal_code_in(request: HttpRequest, session_id: int) -> str | None:
    value = request.session.get(CODE_KEY, {}).get(str(session_id))
    return str(value) if value else None
