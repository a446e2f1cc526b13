"""The JIT legislation assessment matrix: criteria taken from the international standards,
each country's provision assessed against each criterion, and every change kept.

A `Matrix` belongs to one cooperation `Coordination`: its members read it, its coordinators
assess, and a recommendation becomes one of that coordination's corrective measures
(cooperation.actions.record_measure), so measure tracking has one home. Criteria are short
questions written by us with their source cited by instrument and article (no text copied).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseroom.cooperation.models import COUNTRIES, Coordination, Measure

__all__ = ["COUNTRIES", "Assessment", "AssessmentChange", "Criterion", "Matrix", "Rating"]


class Rating(models.TextChoices):
    """How far a national provision meets a criterion; ordered best to worst for the heatmap."""

    IN_LINE = "in_line", _("In line")
    PARTLY = "partly", _("Partly in line")
    NOT = "not", _("Not in line")
    NO_PROVISION = "no_provision", _("No provision")
    UNKNOWN = "unknown", _("Unknown")


class Matrix(models.Model):
    """One legislation assessment of a coordination ("JIT legislation 2027")."""

    coordination = models.ForeignKey(
        Coordination, on_delete=models.CASCADE, related_name="legislation_matrices"
    )
    title = models.CharField(_("title"), max_length=200)
    # Fictional content loaded by the demo: every page of the matrix says "demo data".
    demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["coordination", "title", "pk"]
        verbose_name = _("legislation assessment")
        constraints = [
            models.UniqueConstraint(fields=["coordination", "title"], name="one_matrix_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A question national law is assessed against, citing its source (no text copied)."""

    class Source(models.TextChoices):
        UNTOC = "untoc", _("UN Convention against Transnational Organized Crime (UNTOC)")
        FD_2002_465 = "fd_2002_465", _("Council Framework Decision 2002/465/JHA on JITs")
        EU_MLA_2000 = "eu_mla_2000", _("EU Convention on Mutual Assistance 2000")
        ETS_182 = "ets_182", _("Second Additional Protocol to the CoE MLA Convention (ETS 182)")
        PCC_SEE = "pcc_see", _("Police Cooperation Convention for Southeast Europe (2006)")

    matrix = models.ForeignKey(Matrix, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)  # "JIT-01"
    question = models.CharField(_("question"), max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    article = models.CharField(_("article"), max_length=60)  # "Art. 13(1)"
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["matrix", "position", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["matrix", "code"], name="one_criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question}"


class Assessment(models.Model):
    """One country's provision against one criterion. A cell without a row is "not assessed"
    (shown as unknown); a GET never creates one (actions.assess does)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assessments")
    country = models.CharField(_("country"), max_length=8, choices=COUNTRIES)
    provision_ref = models.CharField(_("national provision"), max_length=200, blank=True)
    provision_summary = models.TextField(_("summary of the provision"), blank=True, max_length=2000)
    rating = models.CharField(
        _("assessment"), max_length=20, choices=Rating.choices, default=Rating.UNKNOWN
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    recommendation = models.TextField(_("recommendation"), blank=True, max_length=2000)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessor"),
    )
    assessed_on = models.DateField(_("assessed on"))
    # The corrective measure made of the recommendation (one at most: actions.make_measure).
    measure = models.OneToOneField(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legislation_assessment",
    )

    class Meta:
        ordering = ["criterion", "country"]
        verbose_name = _("assessment")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "country"], name="one_assessment_a_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} {self.country}: {self.rating}"


class AssessmentChange(models.Model):
    """One field of an assessment changed: who, when, before → after. Append-only (no page
    edits or deletes it; `save` refuses to overwrite a stored row): the matrix is evidence
    for the harmonisation discussion, so who said what when must stay readable."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=40)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("assessment change")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(before=models.F("after")), name="assessment_change_changes"
            ),
        ]
        indexes = [
            # The cell's history and the export's changes sheet: an assessment's latest first.
            models.Index(fields=["assessment", "-at"], name="legis_change_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.before[:30]} → {self.after[:30]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("an assessment change is append-only")
        super().save(*args, **kwargs)
