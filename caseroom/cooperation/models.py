"""Regional cooperation: a coordination, who works on it, its self-assessment rounds and the
corrective measures that follow the gaps.

A `Coordination` (e.g. "Western Balkans cooperation guidelines") holds its self-assessment
questionnaire (a surveys.Questionnaire whose versions are the uploaded XLSForms) and its
rounds; each `Round` owns one surveys.Round and names the round it is compared with.
A `Measure` is deliberately generic: its origin is a gap cell (round × country × guideline
section) when it came from the heatmap, or only a free label when it came from elsewhere
(a legislation assessment's recommendation, a workshop's conclusions).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseroom.surveys.models import Questionnaire
from caseroom.surveys.models import Round as SurveyRound

# Country codes are the names of the choices of the form's `country` question; these labels
# are used where no form is at hand (the members page, measures without a round).
COUNTRIES = [
    ("AL", _("Albania")),
    ("BA", _("Bosnia and Herzegovina")),
    ("HR", _("Croatia")),
    ("XK", _("Kosovo*")),
    ("ME", _("Montenegro")),
    ("MK", _("North Macedonia")),
    ("RS", _("Serbia")),
]
CODE_CHARS = 64  # a choice name of the form (xlsform.limits.MAX_NAME_CHARS)
SECTION_CHARS = 200  # "<document slug>#<section key>"


class Coordination(models.Model):
    """One regional effort that monitors its guidelines through self-assessment rounds."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("self-assessment questionnaire"),
    )
    # A heatmap cell or count computed from fewer respondents is hidden (the statistical
    # offices' usual 5; never below 2, or one respondent could read another's answers).
    min_cell = models.PositiveSmallIntegerField(_("smallest group shown"), default=5)
    # A section scoring at least this (0-100 % of its points) is no gap: a measure's gap is
    # closed when the next round reaches it.
    target = models.PositiveSmallIntegerField(_("score that closes a gap (%)"), default=70)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("coordination")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_cell__gte=2), name="coordination_min_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=1, target__lte=100), name="coordination_target"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """One person's role in one coordination; superusers act as coordinators of every one."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Regional coordinator")
        FOCAL_POINT = "focal_point", _("Country focal point")
        OBSERVER = "observer", _("Observer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cooperation_memberships"
    )
    coordination = models.ForeignKey(
        Coordination, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # A focal point's country (a choice name of the form's `country` question); "" otherwise.
    country = models.CharField(_("country"), max_length=CODE_CHARS, blank=True)

    class Meta:
        ordering = ["coordination", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "coordination"], name="one_cooperation_role"),
            # A focal point speaks for exactly one country; no one else is scoped to one.
            models.CheckConstraint(
                condition=(
                    models.Q(role="focal_point") & ~models.Q(country="")
                    | ~models.Q(role="focal_point") & models.Q(country="")
                ),
                name="focal_point_has_a_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.country}".rstrip()


class Round(models.Model):
    """A self-assessment round ("2027 annual"): one surveys round, compared with an earlier."""

    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    survey = models.OneToOneField(
        SurveyRound, on_delete=models.PROTECT, related_name="cooperation_round"
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["coordination", "-created_at", "-pk"]
        verbose_name = _("self-assessment round")
        constraints = [
            models.UniqueConstraint(fields=["coordination", "title"], name="one_round_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """A corrective measure and how far it got.

    Its origin is a gap cell (`round`, `country`, `section`) when recorded from a heatmap;
    other parts (legislation assessments, workshops) create measures with only
    `origin_label` and, where it applies, a country and a section. See actions.record_measure.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    coordination = models.ForeignKey(
        Coordination, on_delete=models.CASCADE, related_name="measures"
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("round of the gap"),
    )
    country = models.CharField(_("country"), max_length=CODE_CHARS, blank=True)
    section = models.CharField(_("guideline section"), max_length=SECTION_CHARS, blank=True)
    origin_label = models.CharField(_("origin"), max_length=200, blank=True)
    what = models.TextField(_("what is to be done"), max_length=2000)
    institution = models.CharField(_("institution"), max_length=200)
    responsible = models.CharField(_("responsible (name or function)"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    # A library document or section ("<slug>" or "<slug>#<key>") that shows it was done.
    evidence_ref = models.CharField(_("evidence document"), max_length=SECTION_CHARS, blank=True)
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("corrective measure")
        constraints = [
            # A gap cell is a whole cell: a round names its country and section too.
            models.CheckConstraint(
                condition=models.Q(round__isnull=True)
                | (~models.Q(country="") & ~models.Q(section="")),
                name="measure_gap_cell_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(round__isnull=False) | ~models.Q(origin_label=""),
                name="measure_has_an_origin",
            ),
            # actions.record_measure: a repeated submit (same key) records one measure.
            models.UniqueConstraint(
                fields=["coordination", "key"],
                condition=models.Q(key__isnull=False),
                name="measure_idempotency_key",
            ),
        ]
        indexes = [
            # The measures list and the heatmap's badges: a coordination's open measures by date.
            models.Index(fields=["coordination", "status", "due_on"], name="coop_measure_open_due"),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    def overdue_on(self, today: dt.date) -> bool:
        """Still planned or under way after its due date."""
        return self.status in self.OPEN_STATUSES and self.due_on < today


class SettingChange(models.Model):
    """A change to a coordination's settings: who, when, before → after. Append-only: a lower
    smallest group weakens the protection of every respondent of every round, so the trail
    says who decided it (actions.change_settings writes one row per field changed)."""

    class Setting(models.TextChoices):
        MIN_CELL = "min_cell", _("smallest group shown")
        TARGET = "target", _("score that closes a gap (%)")

    coordination = models.ForeignKey(
        Coordination, on_delete=models.CASCADE, related_name="setting_changes"
    )
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    before = models.PositiveSmallIntegerField(_("before"))
    after = models.PositiveSmallIntegerField(_("after"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("setting change")
        constraints = [
            # A row records a change: the same value twice is no change (the action skips it).
            models.CheckConstraint(
                condition=~models.Q(before=models.F("after")), name="setting_change_changes"
            ),
        ]
        indexes = [
            # The settings page: a coordination's latest changes first.
            models.Index(fields=["coordination", "-at"], name="coop_setting_change_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.setting}: {self.before} → {self.after}"
