"""The JIT expert network: expert profiles, who coordinates the network, and the audit log of
every view of an expert's contact details.

An expert is proposed by their country's national coordinator and confirmed by the network
coordinator; one who leaves keeps a row (so the audit's ids still mean something) with the
contact details emptied, which the database checks. The profile counts JITs and names years,
never a case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseroom.cooperation.models import COUNTRIES

TEXT_CHARS = 200
MAX_JITS = 500


class Area(models.TextChoices):
    """The network's fixed vocabulary of expertise."""

    JIT_SETUP = "jit_setup", _("JIT set-up")
    MLA = "mla", _("Mutual legal assistance")
    FINANCIAL = "financial", _("Financial investigation")
    VICTIM_PROTECTION = "victim_protection", _("Victim protection")
    CYBER = "cyber", _("Cyber")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection")
    ASSET_RECOVERY = "asset_recovery", _("Asset recovery")


class Expert(models.Model):
    """One person's profile in the network, from proposal to leaving."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the national coordinator")
        CONFIRMED = "confirmed", _("Confirmed member")
        LEFT = "left", _("Left the network")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jit_expert"
    )
    country = models.CharField(max_length=2, choices=COUNTRIES)
    institution = models.CharField(max_length=TEXT_CHARS)
    function = models.CharField(max_length=TEXT_CHARS)
    languages = models.CharField(max_length=TEXT_CHARS, help_text=_("e.g. English, Macedonian"))
    jits_count = models.PositiveSmallIntegerField(default=0)
    jit_years = models.CharField(max_length=TEXT_CHARS, blank=True)  # "2019, 2022": no case
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The expert last said the profile is current (saving it counts); a yearly reminder asks
    # again (reminders.py), once per year.
    reviewed_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="jit_expert_left_keeps_no_contact",
                condition=~models.Q(state="left") | (models.Q(email="") & models.Q(phone="")),
            ),
            models.CheckConstraint(
                name="jit_expert_confirmed_has_a_date",
                condition=~models.Q(state="confirmed") | models.Q(confirmed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="jit_expert_jits_bounded", condition=models.Q(jits_count__lte=MAX_JITS)
            ),
        ]
        indexes = [
            # The directory search: confirmed experts of a country (directory.search).
            models.Index(fields=["state", "country"], name="jit_expert_directory"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.country})"

    @property
    def confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED


class Expertise(models.Model):
    """One area of an expert's expertise (a row each, so the directory filters by index)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(max_length=20, choices=Area.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert", "area"], name="jit_expertise_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id}: {self.area}"


class NetworkRole(models.Model):
    """A coordinator's role; a member is a confirmed `Expert` and needs no row here."""

    class Role(models.TextChoices):
        NETWORK_COORDINATOR = "network", _("Network coordinator")
        NATIONAL_COORDINATOR = "national", _("National coordinator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jit_role"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    country = models.CharField(max_length=2, choices=COUNTRIES, blank=True)

    class Meta:
        constraints = [
            # A national coordinator coordinates one country; the network coordinator none.
            models.CheckConstraint(
                name="jit_role_country_for_national_only",
                condition=(models.Q(role="national") & ~models.Q(country=""))
                | (models.Q(role="network") & models.Q(country="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role} {self.country}".rstrip()


class AppendOnly(Exception):
    """An audit row was about to be changed or deleted."""


class ContactView(models.Model):
    """Who saw whose contact details, when: ids and a time only, kept after either leaves.

    Plain ids, not foreign keys, so a deleted account leaves the log whole. Rows are only
    added (`save` refuses an update, `delete` refuses); no page changes them.
    """

    viewer_id = models.PositiveBigIntegerField()
    expert_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The coordinator's audit page and export, newest first (audit views).
            models.Index(fields=["-at"], name="jit_contactview_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.expert_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly(self.pk)


POST_CHARS = 2000


class Request(models.Model):
    """A member looking for a counterpart: "in X for a JIT on Y". No personal data of
    suspects or victims: forms.RequestForm refuses obvious identifiers (identifiers.py)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jit_requests"
    )
    country = models.CharField(max_length=2, choices=COUNTRIES)
    area = models.CharField(max_length=20, choices=Area.choices)
    text = models.TextField(max_length=POST_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    closed = models.BooleanField(default=False)
    key = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            # A double submit posts once (actions.post_request).
            models.UniqueConstraint(
                fields=["author", "key"], condition=~models.Q(key=""), name="jit_request_key_once"
            ),
        ]
        indexes = [
            # The board: open requests, newest first (board.requests).
            models.Index(fields=["closed", "-created_at"], name="jit_request_board"),
        ]

    def __str__(self) -> str:
        return f"{self.get_country_display()} · {self.get_area_display()}"


class Answer(models.Model):
    """A private answer: only the request's author and the answer's author read it."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jit_answers"
    )
    text = models.TextField(max_length=POST_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    key = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "key"], condition=~models.Q(key=""), name="jit_answer_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} → {self.request_id}"
