"""The people a programme trains, kept once each, and what is sensitive about them kept apart."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programme import Programme


class Person(models.Model):
    """A participant or trainer of a programme: one row however many sessions they attend.

    Contact details are optional and shown only to the programme's managers and trainers.
    """

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other")
        UNDISCLOSED = "", _("Not said")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="people")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    agency = models.CharField(_("agency"), max_length=150)
    unit = models.CharField(_("unit or sector"), max_length=150, blank=True)
    function = models.CharField(_("function or rank"), max_length=150, blank=True)
    country = models.CharField(_("country"), max_length=8)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Lower-case, accent-free "family given" for finding the same person twice.
    match_key = models.CharField(max_length=210, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [
            # The registry page and the donor report's breakdowns.
            models.Index(fields=["programme", "country", "agency"], name="person_country_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class SensitiveRecord(models.Model):
    """An optional sensitive attribute, given with recorded consent, never shown one by one.

    Kept in a table of its own so that no page listing people can join it by accident; only
    the suppressed aggregates in `programmes.disclosure` read it.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="sensitive")
    community = models.CharField(_("community (self-identified)"), max_length=80)
    consent_text = models.TextField(_("consent wording shown"), max_length=2000)
    consent_given_at = models.DateTimeField(_("consent given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        # Deliberately says nothing about the value.
        return f"sensitive record #{self.pk}"


class NotTheSamePerson(models.Model):
    """A manager said two look-alike rows are different people: stop suggesting the pair."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="distinct_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class AuditEntry(models.Model):
    """What happened that matters later: imports, merges, erasures of people's records; who
    was given which role; a change to the programme's settings (a lower smallest count
    weakens the suppression of small cells).

    Holds no personal data itself (an erased person's name must not survive here).
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        MERGE = "merge", _("Merge")
        ERASE = "erase", _("Erasure")
        EXPORT = "export", _("Export of a person's data")
        STAFF = "staff", _("Staff role")
        SETTINGS = "settings", _("Programme setting")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="audit")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    detail = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"


class PendingImport(models.Model):
    """An uploaded registration list between its preview and the manager's confirmation.

    The file is kept as uploaded (at most 5 MB, see people/sheets.py) and read again on
    confirmation, so what is written is checked against the registry as it is then. It holds
    people's details, so it is deleted on confirmation and left for at most a day
    (`people.actions.forget_stale_imports` runs at each upload).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Enrolments are made in this session on confirmation, when set.
    session = models.ForeignKey(
        "programmes.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"pending import #{self.pk}"
