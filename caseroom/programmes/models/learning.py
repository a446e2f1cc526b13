"""Learning results: which questionnaires a module uses, the rounds of each session, and
each participant's pre/post test result.

Questionnaires, rounds and responses belong to `surveys` (layers point down: surveys never
learns about programmes); the links live here. A test result ties one participant's
response to their enrolment; an evaluation response has no such link on purpose, so the
reaction data stays anonymous.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .delivery import Enrolment, Module, Session


class Purpose(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")
    EVALUATION = "evaluation", _("Evaluation")
    FOLLOW_UP = "follow_up", _("Follow-up")


TESTS = (Purpose.PRE, Purpose.POST)
SESSION_PURPOSES = (Purpose.PRE, Purpose.POST, Purpose.EVALUATION)


class LearningPlan(models.Model):
    """The questionnaire versions a module's sessions use, and what counts as a good gain.

    One row per module with a version per purpose (one query for every results page). The
    pre- and post-test are usually the same version, which keeps the comparison exact; they
    may differ, and then scores are compared as shares of each test's maximum.
    """

    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="learning_plan")
    pre_test = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    post_test = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluation = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A learner whose normalised gain (Hake's g) reaches this "learned": 0.3 is where Hake's
    # "medium" gains start.
    gain_threshold = models.DecimalField(
        _("gain threshold"), max_digits=4, decimal_places=3, default=Decimal("0.300")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gain_threshold__gte=0, gain_threshold__lte=1),
                name="learning_gain_threshold_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"learning plan of module #{self.module_id}"

    def version_id_for(self, purpose: str) -> int | None:
        ids: dict[str, int | None] = {
            Purpose.PRE: self.pre_test_id,
            Purpose.POST: self.post_test_id,
            Purpose.EVALUATION: self.evaluation_id,
            Purpose.FOLLOW_UP: self.follow_up_id,
        }
        return ids[purpose]


class SessionRound(models.Model):
    """A session's pre-test, post-test or evaluation: one surveys round each."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="learning_rounds")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    round = models.OneToOneField(
        "surveys.Round", on_delete=models.PROTECT, related_name="programme_session"
    )

    class Meta:
        ordering = ["session", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["session", "purpose"], name="one_round_per_purpose"),
            models.CheckConstraint(
                condition=models.Q(purpose__in=["pre", "post", "evaluation"]),
                name="session_round_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} of session #{self.session_id}"


class FollowUpRound(models.Model):
    """A follow-up of a module months later (application on the job), answered anonymously
    through the surveys' public pages; a module may have several (3 and 12 months)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="follow_ups")
    round = models.OneToOneField(
        "surveys.Round", on_delete=models.PROTECT, related_name="programme_follow_up"
    )

    class Meta:
        ordering = ["module", "pk"]

    def __str__(self) -> str:
        return f"follow-up of module #{self.module_id}"


class LearnerClaim(models.Model):
    """The first browser that named this participant took the enrolment; the personal code
    (stored hashed, as exercises.personal_codes does) lets them in from another device."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="learner_claim"
    )
    personal_code_hash = models.CharField(max_length=120)
    claimed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"claim of enrolment #{self.enrolment_id}"


class TestResult(models.Model):
    """A participant's pre- or post-test: their response (score copied for one-query pages)."""

    __test__ = False  # pytest would otherwise try to collect it where tests import it

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="test_results")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    response = models.OneToOneField(
        "surveys.Response", on_delete=models.PROTECT, related_name="programme_result"
    )
    score = models.PositiveIntegerField(_("score"))
    max_score = models.PositiveIntegerField(_("maximum score"))

    class Meta:
        ordering = ["enrolment", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "purpose"], name="one_result_per_test"),
            models.CheckConstraint(
                condition=models.Q(purpose__in=["pre", "post"]), name="test_result_purpose"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=models.F("max_score")) & models.Q(max_score__gte=1),
                name="test_result_score_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} of enrolment #{self.enrolment_id}: {self.score}/{self.max_score}"
