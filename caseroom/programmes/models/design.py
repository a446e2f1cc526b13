"""How modules are designed: the needs found, and the technical working group's meetings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .delivery import Module
from .programme import Programme


class Finding(models.Model):
    """A written finding of the needs assessment on one topic; modules say which they answer."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="findings")
    topic = models.CharField(_("topic"), max_length=200)
    text = models.TextField(_("finding"), max_length=8000)
    modules = models.ManyToManyField(
        Module, blank=True, related_name="findings", verbose_name=_("modules that answer it")
    )

    class Meta:
        ordering = ["programme", "topic"]

    def __str__(self) -> str:
        return self.topic


class WorkingGroupMember(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="working_group")
    name = models.CharField(_("name"), max_length=150)
    institution = models.CharField(_("institution"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)

    class Meta:
        ordering = ["institution", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"


class Meeting(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), max_length=8000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    present = models.ManyToManyField(
        WorkingGroupMember, blank=True, related_name="meetings", verbose_name=_("present")
    )
    modules = models.ManyToManyField(
        Module, blank=True, related_name="meetings", verbose_name=_("modules it shaped")
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.place}".strip()


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=2000)

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        # "Open" the state, not the button: the languages of the region say them differently.
        OPEN = "open", pgettext_lazy("state", "Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        WorkingGroupMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
