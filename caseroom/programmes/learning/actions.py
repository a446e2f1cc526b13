"""Every write of the learning part: a module's questionnaires, a session's rounds, a
participant's claim and test. One transaction each; surveys' own actions do the surveys
writes (register_form, create_round, close_round, submit) inside ours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caseroom.lib import codes
from caseroom.surveys import actions as surveys
from caseroom.surveys.models import QuestionnaireVersion, Round
from caseroom.surveys.registry import form_of, register_form

from ..models import (
    Enrolment,
    FollowUpRound,
    LearnerClaim,
    LearningPlan,
    Module,
    Purpose,
    Session,
    SessionRound,
    TestResult,
)
from ..people.names import match_key

__all__ = [
    "Claimed",
    "NotPossible",
    "choose_questionnaire",
    "choose_version",
    "claim",
    "close_follow_up",
    "close_session_round",
    "open_follow_up",
    "open_session_round",
    "set_threshold",
    "submit_test",
]

PLAN_FIELDS = {
    Purpose.PRE: "pre_test",
    Purpose.POST: "post_test",
    Purpose.EVALUATION: "evaluation",
    Purpose.FOLLOW_UP: "follow_up",
}


class NotPossible(Exception):
    """A write the rules refuse, with a stable code and the words to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------- a module's questionnaires


def choose_version(module: Module, purpose: str, version: QuestionnaireVersion) -> LearningPlan:
    """The module's sessions use `version` for `purpose` from their next round on (a round
    already open keeps its version: its answers must keep their meaning)."""
    if purpose in (Purpose.PRE, Purpose.POST) and not form_of(version).scored:
        raise NotPossible(
            "not_a_test",
            _("A test needs questions with a correct answer (the 'correct' column)."),
        )
    with transaction.atomic():
        plan, _created = LearningPlan.objects.select_for_update().get_or_create(module=module)
        name = PLAN_FIELDS[Purpose(purpose)]
        setattr(plan, f"{name}_id", version.pk)
        plan.save(update_fields=[name])
        return plan


def choose_questionnaire(module: Module, purpose: str, data: bytes, filename: str) -> LearningPlan:
    """Register an uploaded XLSForm (surveys.registry.FormRejected lists its problems) and
    use it for `purpose`; nothing is written when either step refuses."""
    title = f"Module {module.number} {Purpose(purpose).label}"
    with transaction.atomic():
        version = register_form(data, filename, title)
        return choose_version(module, purpose, version)


def set_threshold(module: Module, threshold: Decimal) -> None:
    with transaction.atomic():
        plan, _created = LearningPlan.objects.select_for_update().get_or_create(module=module)
        plan.gain_threshold = threshold
        plan.save(update_fields=["gain_threshold"])


# ---------------------------------------------------------------- a session's rounds


def _plan_version(module: Module, purpose: str) -> QuestionnaireVersion:
    plan = LearningPlan.objects.filter(module=module).first()
    version_id = plan.version_id_for(purpose) if plan is not None else None
    if version_id is None:
        raise NotPossible(
            "no_questionnaire",
            _("Choose this module's %(purpose)s first (Module tests).")
            % {"purpose": Purpose(purpose).label.lower()},
        )
    return QuestionnaireVersion.objects.defer("source").get(pk=version_id)


def open_session_round(session: Session, purpose: str) -> SessionRound:
    """Open the session's pre-test, post-test or evaluation (once: a closed one stays closed,
    so the answers of one sitting are never mixed with a later one's)."""
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).get()
        existing = SessionRound.objects.filter(session=session, purpose=purpose).first()
        if existing is not None:
            raise NotPossible("already_opened", _("This was opened already."))
        version = _plan_version(session.module, purpose)
        round_ = surveys.create_round(
            version,
            f"{session.title}: {Purpose(purpose).label}",
            # Tests are answered through our pages, which know who answers; the evaluation
            # on the surveys' public page, which does not.
            anonymous=purpose == Purpose.EVALUATION,
        )
        return SessionRound.objects.create(session=session, purpose=purpose, round=round_)


def close_session_round(session: Session, purpose: str) -> None:
    with transaction.atomic():
        found = (
            SessionRound.objects.select_related("round")
            .filter(session=session, purpose=purpose)
            .first()
        )
        if found is None:
            raise NotPossible("not_opened", _("This has not been opened."))
        surveys.close_round(found.round)


def open_follow_up(module: Module) -> FollowUpRound:
    with transaction.atomic():
        version = _plan_version(module, Purpose.FOLLOW_UP)
        number = FollowUpRound.objects.filter(module=module).count() + 1
        round_ = surveys.create_round(
            version, f"Module {module.number}: follow-up {number}", anonymous=True
        )
        return FollowUpRound.objects.create(module=module, round=round_)


def close_follow_up(module: Module, round_id: int) -> None:
    with transaction.atomic():
        found = FollowUpRound.objects.filter(module=module, round_id=round_id).first()
        if found is None:
            raise NotPossible("not_opened", _("This has not been opened."))
        surveys.close_round(Round.objects.get(pk=round_id))


# ---------------------------------------------------------------- participants


@dataclass(frozen=True)
class Claimed:
    enrolment: Enrolment
    personal_code: str | None  # shown once, when this claim created it


def claim(session: Session, given_name: str, family_name: str, code: str) -> Claimed | None:
    """The session's participant with this name, for this browser: the first claim takes
    them and gets a personal code; a later one needs that code. None for every failure
    (no such name, two people with it, a wrong or missing code): one answer, throttled."""
    key = match_key(given_name, family_name)
    if not key:
        return None
    found = list(
        Enrolment.objects.select_related("learner_claim").filter(
            session=session, role=Enrolment.Role.PARTICIPANT, person__match_key=key
        )[:2]
    )
    if len(found) != 1:
        return None  # two people of one name: their trainer enrols them distinguishably
    enrolment = found[0]
    existing = getattr(enrolment, "learner_claim", None)
    if existing is None:
        personal_code = codes.new_personal_code()
        try:
            with transaction.atomic():
                LearnerClaim.objects.create(
                    enrolment=enrolment, personal_code_hash=codes.hashed(personal_code)
                )
            return Claimed(enrolment, personal_code)
        except IntegrityError:
            # Another browser claimed them a moment ago: theirs is the code that counts.
            existing = LearnerClaim.objects.get(enrolment=enrolment)
    return Claimed(enrolment, None) if codes.matches(existing.personal_code_hash, code) else None


def submit_test(
    enrolment: Enrolment,
    session_round: SessionRound,
    answers: Mapping[str, Any],
    *,
    language: str,
    key: str | None,
    now: dt.datetime | None = None,
) -> TestResult:
    """The participant's pre- or post-test: the surveys response and our result in one
    transaction; a second submission (another tab, a repeated post) returns the first."""
    purpose = session_round.purpose
    if purpose not in (Purpose.PRE, Purpose.POST):
        raise ValueError(f"not a test: {purpose}")
    with transaction.atomic():
        # Two tabs sending at once: the second waits here, then finds the first's result.
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).get()
        previous = TestResult.objects.filter(enrolment=enrolment, purpose=purpose).first()
        if previous is not None:
            return previous
        response = surveys.submit(session_round.round, answers, language=language, key=key, now=now)
        if response.score is None or not response.max_score:
            raise NotPossible("not_scored", _("This questionnaire has no scored questions."))
        return TestResult.objects.create(
            enrolment=enrolment,
            purpose=purpose,
            response=response,
            score=response.score,
            max_score=response.max_score,
        )
