from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScenarioVersion(models.Model):
    """One registered version of a scenario folder, stored as an immutable copy.

    Exercises point at a version, so registering a new version never changes an exercise
    that is already running on the old one.
    """

    slug = models.CharField(_("scenario id"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    digest = models.CharField(max_length=64, help_text=_("SHA-256 of the folder's files."))
    # The stored copy's folder name inside settings.SCENARIO_STORE, so the data folder can
    # move to another laptop (an absolute path here once tied it to where it was made).
    path = models.CharField(max_length=500, help_text=_("The stored copy of the folder."))
    stats = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["slug", "-registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_content_per_version")
        ]
        verbose_name = _("scenario version")

    def __str__(self) -> str:
        return f"{self.title} ({self.slug} {self.version})"

    @property
    def folder(self) -> Path:
        """Where the stored copy is now: inside the store, whatever path it was made at."""
        return Path(settings.SCENARIO_STORE) / Path(self.path).name
