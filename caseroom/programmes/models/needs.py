"""The needs assessment's questionnaire: which form, which round of answers, how to group them.

The questionnaire itself lives in surveys (an immutable `QuestionnaireVersion`, a `Round` of
anonymous answers); this record binds them to the programme and says which of the form's
questions tell a respondent's audience, agency and country, so results can be broken down.
The written findings are `design.Finding`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caseroom.surveys.models import QuestionnaireVersion, Round
from caseroom.xlsform import limits

from .programme import Programme

# One name per role: the same question as audience and agency would show one table twice.
_DISTINCT = (
    ("audience_question", "agency_question"),
    ("audience_question", "country_question"),
    ("agency_question", "country_question"),
)


class NeedsAssessment(models.Model):
    """One programme's needs-assessment questionnaire (one per programme).

    `round` stays empty until the manager opens it: until then the form may be replaced, and
    once a round has answers its version cannot change (a Round is bound to one version).
    """

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="needs_assessment"
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("form")
    )
    round = models.OneToOneField(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs_assessment",
        verbose_name=_("round of answers"),
    )
    # Names of select_one questions of `version`'s form ("" when the form has none such).
    audience_question = models.CharField(
        _("audience question"), max_length=limits.MAX_NAME_CHARS, blank=True
    )
    agency_question = models.CharField(
        _("agency question"), max_length=limits.MAX_NAME_CHARS, blank=True
    )
    country_question = models.CharField(
        _("country question"), max_length=limits.MAX_NAME_CHARS, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("needs assessment")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{first: ""}) | ~models.Q(**{first: models.F(second)}),
                name=f"needs_{first.split('_')[0]}_not_{second.split('_')[0]}",
            )
            for first, second in _DISTINCT
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def breakdowns(self) -> tuple[tuple[str, str], ...]:
        """(role, question name) of the grouping questions that are set, in reading order."""
        named = (
            ("audience", self.audience_question),
            ("agency", self.agency_question),
            ("country", self.country_question),
        )
        return tuple((role, name) for role, name in named if name)
