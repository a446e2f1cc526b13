"""A regional workshop: themed boards where participants post gaps and good practices from
their phones, the facilitator's clusters of those cards, dot votes and recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseroom.cooperation.models import Measure

CODE_LENGTH = 8
CARD_CHARS = 1000
DEFAULT_THEMES = (
    _("Prevention"),
    _("Prosecution"),
    _("Cross-border co-operation"),
    _("Assistance to victims"),
    _("Migrants and refugees"),
)


class Workshop(models.Model):
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    # Upper case from lib/codes' alphabet; looked up exactly (normalised first), throttled.
    code = models.CharField(_("join code"), max_length=CODE_LENGTH, unique=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_workshops"
    )
    votes_per_theme = models.PositiveSmallIntegerField(
        _("votes per participant and theme"), default=3
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("workshop")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="workshop_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(votes_per_theme__gte=1, votes_per_theme__lte=20),
                name="workshop_votes_per_theme",
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9]{8}$"), name="workshop_code_upper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.place}, {self.starts_on:%Y-%m-%d})"


class Theme(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    voting_open = models.BooleanField(_("voting open"), default=False)
    # Raised by every write to the board; a part shown at this version answers 204.
    version = models.PositiveIntegerField(default=0)
    # A random token drawn with each version: the cached rendering of the board is keyed by it,
    # so a version number met again (after a restore, or a database reset) never brings back
    # a board rendered for other cards.
    stamp = models.CharField(max_length=16, blank=True, default="", editable=False)

    class Meta:
        ordering = ["workshop", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "title"], name="workshop_theme_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A phone that joined with the code: no account, bound to the browser's session."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=80)
    agency = models.CharField(_("agency"), max_length=160)
    language = models.CharField(_("language"), max_length=10, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="workshop_participant_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency}, {self.country})"


class Cluster(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "title"], name="workshop_cluster_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Card(models.Model):
    class Kind(models.TextChoices):
        GAP = "gap", _("Gap or challenge")
        PRACTICE = "practice", _("Good practice")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="cards")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=CARD_CHARS)
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cards")
    language = models.CharField(_("language"), max_length=10, blank=True)
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "key"],
                condition=models.Q(key__isnull=False),
                name="workshop_card_key_once",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="workshop_card_text"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["gap", "practice"]), name="workshop_card_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One dot; a participant may put several on one cluster, up to the theme's allowance
    (counted in actions.vote under a lock on the participant)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="votes")
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "key"],
                condition=models.Q(key__isnull=False),
                name="workshop_vote_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.cluster_id}"


class Recommendation(models.Model):
    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Timeframe(models.TextChoices):
        SHORT = "short", _("Within 6 months")
        MEDIUM = "medium", _("Within 1 year")
        LONG = "long", _("Within 2 years")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"), max_length=2000)
    institution = models.CharField(_("addressed to (institution)"), max_length=200)
    country = models.CharField(_("addressed to (country)"), max_length=80, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    timeframe = models.CharField(_("timeframe"), max_length=10, choices=Timeframe.choices)
    clusters = models.ManyToManyField(Cluster, related_name="recommendations", blank=True)
    # A library section reference ("doc-slug#section"), cited with library.citations.cite.
    citation = models.CharField(_("guideline section"), max_length=200, blank=True)
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=80, null=True, blank=True, unique=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="workshop_reco_text"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
