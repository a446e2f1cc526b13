"""A programme, who works on it, and its logframe (outcomes → outputs → indicators)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The region's countries and territories as short codes; a programme may use others.
COUNTRIES = [
    ("AL", _("Albania")),
    ("BA", _("Bosnia and Herzegovina")),
    ("HR", _("Croatia")),
    ("XK", _("Kosovo*")),
    ("ME", _("Montenegro")),
    ("MK", _("North Macedonia")),
    ("RS", _("Serbia")),
    ("OTHER", _("Other")),
]


class Programme(models.Model):
    title = models.CharField(_("title"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    implementer = models.CharField(_("implementing organisation"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    countries = models.JSONField(_("countries"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    # Cells of a published count below this are suppressed (with what would let them be
    # worked out from totals): fewer than 5 people is the usual statistical rule.
    min_cell = models.PositiveSmallIntegerField(_("smallest count shown"), default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_period_in_order",
            ),
            models.CheckConstraint(condition=models.Q(min_cell__gte=2), name="programme_min_cell"),
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """One person's role in one programme; superusers see every programme without one."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Programme manager")
        TRAINER = "trainer", _("Trainer")
        OBSERVER = "observer", _("Observer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="one_role_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.programme}"


class Outcome(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("code"), max_length=12)  # "1", "2"
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="outcome_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Output(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outputs")
    code = models.CharField(_("code"), max_length=12)  # "1.1"
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="output_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """A logframe indicator; `measure` says how Caseroom computes it from the records."""

    class Measure(models.TextChoices):
        PEOPLE_TRAINED = "people_trained", _("People trained (met the attendance rule)")
        SESSIONS = "sessions", _("Sessions delivered")
        TRAINING_DAYS = "training_days", _("Training days delivered")
        GAIN_ABOVE = "gain_above", _("Share of people with a learning gain above the threshold")
        TOT_REACH = "tot_reach", _("People reached by trainers from a training of trainers")
        TRAINERS = "trainers", _("Trainers certified by a training of trainers")
        MANUAL = "manual", _("Entered by hand")

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=12)  # "1.1.a"
    title = models.CharField(_("title"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # Only for GAIN_ABOVE: a normalised gain (Hake's g) between 0 and 1.
    threshold = models.DecimalField(
        _("threshold"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    # Only for MANUAL.
    manual_value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Dimensions the donor wants the value broken down by, e.g. ["sex", "country"].
    disaggregation = models.JSONField(_("disaggregated by"), default=list, blank=True)
    # Only count sessions of this module, when set.
    module = models.ForeignKey(
        "programmes.Module",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["output", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=~models.Q(measure="gain_above") | models.Q(threshold__isnull=False),
                name="indicator_gain_has_threshold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
