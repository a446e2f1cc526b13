"""Certificates of completion, checkable by anyone through the QR code's public page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .delivery import Enrolment


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    # "CR-2026-000123": the year of issue and a number counted up within it.
    number = models.CharField(_("number"), max_length=30, unique=True)
    # The QR code's secret: unguessable, so the public page cannot be enumerated.
    token = models.CharField(max_length=40, unique=True, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("reason"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            # A revocation always says why; a valid certificate carries no reason.
            models.CheckConstraint(
                condition=(
                    models.Q(revoked_at__isnull=True, revoked_reason="")
                    | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason=""))
                ),
                name="certificate_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
