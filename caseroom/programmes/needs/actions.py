"""Every write of the needs assessment: its form, its grouping questions, its round.

A refused write raises `Refused` with a stable code and the words to show (translated), as
`setup.actions.Refused`; a form the reader rejects raises surveys' `FormRejected` with every
problem, before anything is stored. Each write is one transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from caseroom.surveys import actions as surveys
from caseroom.surveys.models import QuestionnaireVersion
from caseroom.surveys.registry import form_of, register_form
from caseroom.xlsform import Form

from ..models import NeedsAssessment, Programme

__all__ = [
    "READY_FORM",
    "Refused",
    "close",
    "open_round",
    "set_questions",
    "upload_form",
    "use_ready_form",
]

READY_FORM = Path(__file__).parent / "forms" / "needs_assessment.md"
# Picked without asking when a form has select_one questions of these names (the ready form).
_USUAL_NAMES = {
    "audience_question": "audience",
    "agency_question": "agency",
    "country_question": "country",
}
QUESTION_FIELDS = list(_USUAL_NAMES)


class Refused(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _usual_questions(form: Form) -> dict[str, str]:
    single = {q.name for q in form.questions if q.type == "select_one"}
    return {field: name if name in single else "" for field, name in _USUAL_NAMES.items()}


def upload_form(programme: Programme, data: bytes, filename: str, title: str) -> NeedsAssessment:
    """The programme's needs assessment with this form (a new one, or its form replaced while
    no round is open). Raises surveys' FormRejected (nothing stored) or Refused."""
    with transaction.atomic():
        current = (
            NeedsAssessment.objects.select_for_update(of=("self",))
            .select_related("version__questionnaire")
            .filter(programme=programme)
            .first()
        )
        if current is not None and current.round_id is not None:
            raise Refused(
                _("Answers are being collected with this form: it can no longer be replaced."),
                code="round_opened",
            )
        questionnaire = current.version.questionnaire if current is not None else None
        # The next version of the same questionnaire: its history stays readable in surveys.
        version = register_form(data, filename, title or _("Needs assessment"), questionnaire)
        return _bind(programme, current, version, title)


def use_ready_form(programme: Programme) -> NeedsAssessment:
    """The programme's needs assessment with the ready-made form shipped with Caseroom."""
    return upload_form(programme, READY_FORM.read_bytes(), READY_FORM.name, "")


def _bind(
    programme: Programme,
    current: NeedsAssessment | None,
    version: QuestionnaireVersion,
    title: str,
) -> NeedsAssessment:
    form = form_of(version)
    usual = _usual_questions(form)
    if current is None:
        return NeedsAssessment.objects.create(
            programme=programme, title=(title or form.title)[:200], version=version, **usual
        )
    current.version = version
    current.title = (title or current.title)[:200]
    single = {q.name for q in form.questions if q.type == "select_one"}
    for field in QUESTION_FIELDS:
        # A pick the new form no longer has is dropped; an empty one takes the usual name.
        if getattr(current, field) not in single:
            setattr(current, field, "")
        if not getattr(current, field) and usual[field] not in _picked(current):
            setattr(current, field, usual[field])
    current.save(update_fields=["version", "title", *QUESTION_FIELDS])
    return current


def _picked(assessment: NeedsAssessment) -> set[str]:
    return {getattr(assessment, field) for field in QUESTION_FIELDS} - {""}


def set_questions(
    assessment: NeedsAssessment,
    *,
    audience_question: str,
    agency_question: str,
    country_question: str,
) -> None:
    """The questions that group the results (validated by forms.QuestionsForm)."""
    with transaction.atomic():
        assessment.audience_question = audience_question
        assessment.agency_question = agency_question
        assessment.country_question = country_question
        assessment.save(update_fields=QUESTION_FIELDS)


def open_round(assessment: NeedsAssessment) -> NeedsAssessment:
    """Start collecting anonymous answers (the public /answer/<CODE>/ pages); once only."""
    with transaction.atomic():
        locked = (
            NeedsAssessment.objects.select_for_update(of=("self",))
            .select_related("version", "round")
            .get(pk=assessment.pk)
        )
        if locked.round_id is not None:
            raise Refused(_("The questionnaire has already been opened."), code="opened")
        locked.round = surveys.create_round(locked.version, locked.title, anonymous=True)
        locked.save(update_fields=["round"])
        return locked


def close(assessment: NeedsAssessment) -> None:
    """No more answers; closing twice keeps the first time (surveys.close_round)."""
    if assessment.round is None:
        raise Refused(_("The questionnaire has not been opened yet."), code="not_opened")
    with transaction.atomic():
        surveys.close_round(assessment.round)
