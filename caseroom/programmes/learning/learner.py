"""What a participant's phone shows: their session's open tests, their own scores and gain,
and the way to the anonymous evaluation. Two queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from ..models import Enrolment, Purpose, SessionRound, TestResult
from ..results.gain import hake_gain

__all__ = ["LearnerPage", "OwnScore", "TestLine", "learner_page"]


@dataclass(frozen=True)
class OwnScore:
    score: int
    max_score: int

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score)


@dataclass(frozen=True)
class TestLine:
    purpose: str
    label: str
    state: str  # "none" (not opened), "open", "closed", "not_yet"
    taken: OwnScore | None


@dataclass(frozen=True)
class LearnerPage:
    tests: tuple[TestLine, ...]
    gain: float | None  # Hake's g once both tests are taken (None with a full pre-test)
    both_taken: bool
    evaluation_code: str | None  # the open evaluation round's code, for surveys:answer
    evaluation_closed: bool


def learner_page(enrolment: Enrolment) -> LearnerPage:
    rounds = {
        r.purpose: r
        for r in SessionRound.objects.select_related("round").filter(session=enrolment.session_id)
    }
    taken = {
        t.purpose: OwnScore(t.score, t.max_score)
        for t in TestResult.objects.filter(enrolment=enrolment).only(
            "purpose", "score", "max_score"
        )
    }
    now = timezone.now()
    tests = tuple(
        TestLine(
            purpose=p.value,
            label=str(p.label),
            state=rounds[p].round.state(now) if p in rounds else "none",
            taken=taken.get(p),
        )
        for p in (Purpose.PRE, Purpose.POST)
    )
    pre, post = taken.get(Purpose.PRE), taken.get(Purpose.POST)
    gain = None
    if pre is not None and post is not None:
        gain = hake_gain(pre.score / pre.max_score, post.score / post.max_score, 1.0)
    evaluation = rounds.get(Purpose.EVALUATION)
    state = evaluation.round.state(now) if evaluation is not None else "none"
    return LearnerPage(
        tests=tests,
        gain=gain,
        both_taken=pre is not None and post is not None,
        evaluation_code=evaluation.round.code if evaluation and state == "open" else None,
        evaluation_closed=state == "closed",
    )
