"""Builders of the staff pages that set tests up: a module's questionnaires and a session's
rounds (the room's code and QR code, each round's state and answers so far)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from caseroom.surveys.models import QuestionnaireVersion

from ..models import FollowUpRound, LearningPlan, Module, Purpose, Session, SessionRound

__all__ = ["ModuleTests", "PlanLine", "RoundLine", "module_tests", "session_rounds"]


@dataclass(frozen=True)
class PlanLine:
    purpose: str
    label: str
    title: str  # the questionnaire's title, "" when none is chosen
    version: int | None
    source_name: str


@dataclass(frozen=True)
class RoundLine:
    purpose: str
    label: str
    state: str  # "none" (not opened yet), "open", "closed", "not_yet"
    code: str
    responses: int
    round_id: int | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class ModuleTests:
    plan: tuple[PlanLine, ...]
    threshold: float
    follow_ups: tuple[RoundLine, ...]


def _line(purpose: Purpose, version: QuestionnaireVersion | None) -> PlanLine:
    return PlanLine(
        purpose=purpose.value,
        label=str(purpose.label),
        title=version.questionnaire.title if version else "",
        version=version.number if version else None,
        source_name=version.source_name if version else "",
    )


def module_tests(module: Module) -> ModuleTests:
    """Three queries: the plan with its versions, the follow-up rounds with their counts."""
    plan = (
        LearningPlan.objects.select_related(
            "pre_test__questionnaire",
            "post_test__questionnaire",
            "evaluation__questionnaire",
            "follow_up__questionnaire",
        )
        .defer(
            "pre_test__source",
            "post_test__source",
            "evaluation__source",
            "follow_up__source",
            "pre_test__form",
            "post_test__form",
            "evaluation__form",
            "follow_up__form",
        )
        .filter(module=module)
        .first()
    )
    versions = {
        Purpose.PRE: plan.pre_test if plan else None,
        Purpose.POST: plan.post_test if plan else None,
        Purpose.EVALUATION: plan.evaluation if plan else None,
        Purpose.FOLLOW_UP: plan.follow_up if plan else None,
    }
    now = timezone.now()
    follow_ups = tuple(
        RoundLine(
            purpose=Purpose.FOLLOW_UP.value,
            label=f.round.title,
            state=f.round.state(now),
            code=f.round.code,
            responses=f.answers,
            round_id=f.round_id,
            anonymous=True,
        )
        for f in FollowUpRound.objects.filter(module=module)
        .select_related("round")
        .annotate(answers=Count("round__responses"))
        .order_by("pk")
    )
    return ModuleTests(
        plan=tuple(_line(p, v) for p, v in versions.items()),
        threshold=float(plan.gain_threshold) if plan else 0.3,
        follow_ups=follow_ups,
    )


def session_rounds(session: Session) -> tuple[RoundLine, ...]:
    """The session's pre-test, post-test and evaluation, opened or not; one query."""
    found = {
        r.purpose: r
        for r in SessionRound.objects.filter(session=session)
        .select_related("round")
        .annotate(answers=Count("round__responses"))
    }
    now = timezone.now()
    lines = []
    for purpose in (Purpose.PRE, Purpose.POST, Purpose.EVALUATION):
        r = found.get(purpose)
        lines.append(
            RoundLine(
                purpose=purpose.value,
                label=str(purpose.label),
                state=r.round.state(now) if r else "none",
                code=r.round.code if r else "",
                responses=r.answers if r else 0,
                round_id=r.round_id if r else None,
                anonymous=purpose == Purpose.EVALUATION,
            )
        )
    return tuple(lines)
