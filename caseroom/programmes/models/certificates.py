"""Certificates of completion, checkable by anyone through the QR code's public page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .delivery import Enrolment


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    # The QR code's secret: unguessable, so the public page cannot be enumerated.
    token = models.CharField(max_length=40, unique=True, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("reason"), max_length=300, blank=True)

    def __str__(self) -> str:
        return self.number

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
