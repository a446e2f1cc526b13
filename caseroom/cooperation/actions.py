"""Every write of the cooperation app: coordinations, their settings (audited) and members,
the self-assessment form, rounds, personal links and imported answers, corrective measures.
Each write is one transaction; a refused write raises `Refused(message, code=...)` with the
words to show (translated).

`record_measure` is the API other parts use to turn their findings into measures (a
legislation assessment's recommendations, a workshop's): pass `origin_label` and, where it
applies, a country and a guideline section; `round` only for a heatmap's gap cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caseroom.surveys import actions as surveys
from caseroom.surveys import invitations as surveys_invitations
from caseroom.surveys.imports import ImportReport, import_responses
from caseroom.surveys.models import Invitation, QuestionnaireVersion
from caseroom.surveys.registry import FormRejected, register_form
from caseroom.xlsform import FormError, read_form

from . import refs
from .models import Coordination, Measure, Membership, Round, SettingChange
from .scoring import check_form

__all__ = [
    "READY_FORM",
    "FormRejected",
    "Refused",
    "change_settings",
    "close_round",
    "create_coordination",
    "import_answers",
    "invite",
    "latest_version",
    "open_round",
    "record_measure",
    "revoke_link",
    "set_member",
    "update_measure",
    "upload_form",
    "use_ready_form",
]

READY_FORM = Path(__file__).parent / "forms" / "self_assessment.md"
Role = Membership.Role


class Refused(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def create_coordination(
    title: str, *, by: User, min_cell: int = 5, target: int = 70
) -> Coordination:
    """A new coordination; its creator is its first coordinator."""
    with transaction.atomic():
        coordination = Coordination.objects.create(
            title=title[:200], min_cell=min_cell, target=target
        )
        Membership.objects.create(user=by, coordination=coordination, role=Role.COORDINATOR)
        return coordination


def change_settings(
    coordination: Coordination, *, min_cell: int, target: int, by: User | None
) -> list[SettingChange]:
    """The smallest group shown and the score that closes a gap; one audit row per value that
    changed (who, when, before → after), in the same transaction. Returns those rows."""
    if min_cell < 2:
        # The database refuses it too; said here in words (one respondent would read another).
        raise Refused(_("The smallest group shown is at least 2."), code="min_cell_too_small")
    if not 1 <= target <= 100:
        raise Refused(_("The score that closes a gap is 1 to 100 %."), code="bad_target")
    wanted = {SettingChange.Setting.MIN_CELL: min_cell, SettingChange.Setting.TARGET: target}
    with transaction.atomic():
        locked = Coordination.objects.select_for_update().get(pk=coordination.pk)
        changes = [
            SettingChange(
                coordination=locked, setting=name, before=getattr(locked, name), after=value, by=by
            )
            for name, value in wanted.items()
            if getattr(locked, name) != value
        ]
        if not changes:
            return []
        for change in changes:
            setattr(locked, change.setting, change.after)
            setattr(coordination, change.setting, change.after)
        locked.save(update_fields=[change.setting for change in changes])
        # One by one, not bulk_create: each row gets its `at` and pk on every database.
        for change in changes:
            change.save()
        return changes


def set_member(coordination: Coordination, user: User, role: str, country: str = "") -> Membership:
    """Gives `user` this role (a focal point with their country); one role per person."""
    country = country if role == Role.FOCAL_POINT else ""
    if role == Role.FOCAL_POINT and not country:
        raise Refused(_("A country focal point needs a country."), code="no_country")
    with transaction.atomic():
        member, _created = Membership.objects.update_or_create(
            user=user, coordination=coordination, defaults={"role": role, "country": country}
        )
        return member


def latest_version(coordination: Coordination) -> QuestionnaireVersion | None:
    if coordination.questionnaire_id is None:
        return None
    return (
        QuestionnaireVersion.objects.filter(questionnaire_id=coordination.questionnaire_id)
        .defer("source")
        .order_by("-number")
        .first()
    )


def upload_form(
    coordination: Coordination, data: bytes, filename: str, title: str = ""
) -> QuestionnaireVersion:
    """The self-assessment form, as the next version of the coordination's questionnaire.
    Raises FormRejected with every problem (the reader's and the scoring columns') at its
    sheet, row and column; nothing is stored then."""
    try:
        form = read_form(data, filename)
    except FormError as error:
        raise FormRejected(error.problems) from None
    problems = check_form(form, refs.unknown_refs())
    if problems:
        raise FormRejected(sorted(problems))
    with transaction.atomic():
        locked = Coordination.objects.select_for_update().get(pk=coordination.pk)
        questionnaire = locked.questionnaire
        version = register_form(data, filename, title or form.title, questionnaire)
        if locked.questionnaire_id is None:
            locked.questionnaire_id = version.questionnaire_id
            locked.save(update_fields=["questionnaire"])
        coordination.questionnaire_id = locked.questionnaire_id
        return version


def use_ready_form(coordination: Coordination) -> QuestionnaireVersion:
    """The self-assessment shipped with Caseroom (forms/self_assessment.md)."""
    return upload_form(coordination, READY_FORM.read_bytes(), READY_FORM.name)


def open_round(
    coordination: Coordination,
    title: str,
    *,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    previous: Round | None = None,
) -> Round:
    """A round of the latest form version, answered through personal links or its code."""
    version = latest_version(coordination)
    if version is None:
        raise Refused(_("Upload the self-assessment form first."), code="no_form")
    if previous is not None and previous.coordination_id != coordination.pk:
        raise Refused(_("Compare with a round of this coordination."), code="foreign_previous")
    if opens_at and closes_at and closes_at <= opens_at:
        raise Refused(_("A round closes after it opens."), code="closes_before_opening")
    try:
        with transaction.atomic():
            # drafts: "save and continue later" on the round-code page as well (personal
            # links keep drafts anyway): fifteen minutes of questions are often split.
            survey = surveys.create_round(
                version,
                title,
                anonymous=True,
                opens_at=opens_at,
                closes_at=closes_at,
                drafts=True,
            )
            return Round.objects.create(
                coordination=coordination, title=title[:200], survey=survey, previous=previous
            )
    except IntegrityError:
        raise Refused(
            _("This coordination already has a round of that title."), code="title_taken"
        ) from None


def close_round(round_: Round) -> None:
    """No more answers (closing twice keeps the first time)."""
    surveys.close_round(round_.survey)


def invite(round_: Round, rows: Sequence[tuple[str, str, str]]) -> list[tuple[Invitation, str]]:
    """Personal links for (label, country, agency) rows: surveys' invitations with their raw
    tokens, which exist only now (stored hashed): the caller hands them out at once."""
    try:
        return surveys_invitations.invite(round_.survey, rows=list(rows))
    except surveys.Refused as refused:
        raise Refused(refused.message, code=refused.code) from None


def revoke_link(invitation: Invitation) -> None:
    """The personal link stops opening; answers already sent stay and keep counting (a link
    handed to the wrong person is withdrawn after the fact too). Twice keeps the first time."""
    surveys_invitations.revoke(invitation)


def import_answers(round_: Round, data: bytes, filename: str) -> ImportReport:
    """Answers from a KoboToolbox or ODK export of the round's form: every row checked, then all
    stored or none (the report names each problem's row and column); a file imported again
    stores nothing twice (each submission's uuid is its key). The country and agency are the
    form's own questions (scoring.check_form requires them), read from the answers."""
    return import_responses(round_.survey, data, filename)


MEASURE_FIELDS = (
    "what",
    "institution",
    "responsible",
    "due_on",
    "status",
    "evidence",
    "evidence_ref",
)


def record_measure(
    coordination: Coordination,
    *,
    what: str,
    institution: str,
    responsible: str,
    due_on: dt.date,
    round_: Round | None = None,
    country: str = "",
    section: str = "",
    origin_label: str = "",
    status: str = Measure.Status.PLANNED,
    evidence: str = "",
    evidence_ref: str = "",
    key: str | None = None,
    by: User | None = None,
) -> Measure:
    """A corrective measure; a repeated `key` returns the measure already recorded."""
    if round_ is not None and round_.coordination_id != coordination.pk:
        raise Refused(_("That round belongs to another coordination."), code="foreign_round")
    if round_ is None and not origin_label:
        raise Refused(_("Say where the measure comes from."), code="no_origin")
    if round_ is not None and not (country and section):
        raise Refused(_("A gap is a country and a guideline section."), code="no_gap_cell")
    key = key or None
    with transaction.atomic():
        if key is not None:
            found = Measure.objects.filter(coordination=coordination, key=key).first()
            if found is not None:
                return found
        try:
            with transaction.atomic():
                return Measure.objects.create(
                    coordination=coordination,
                    round=round_,
                    country=country,
                    section=section,
                    origin_label=origin_label[:200],
                    what=what,
                    institution=institution,
                    responsible=responsible,
                    due_on=due_on,
                    status=status,
                    evidence=evidence,
                    evidence_ref=evidence_ref,
                    key=key,
                    created_by=by,
                )
        except IntegrityError:
            raced = Measure.objects.filter(coordination=coordination, key=key).first()
            if key is None or raced is None:
                raise
            return raced


def update_measure(measure: Measure, **changes: Any) -> Measure:
    """Status, evidence, dates and the rest of a measure's own fields (not its origin)."""
    unknown = set(changes) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"not a measure field: {sorted(unknown)}")
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
        return locked
