"""Questionnaires as immutable versions, rounds of answers to one version, and responses.

The app that uses a questionnaire (programmes, cooperation) holds the foreign key to a Round or
a Response and its own staff pages; nothing here knows about it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseroom.lib.codes import ALPHABET

# No 0/O, 1/I/L: a round code is read off a slide or a printed sheet.
CODE_ALPHABET = ALPHABET
CODE_LENGTH = 8  # 31^8 ≈ 8.5·10^11: with the throttle (lib/throttle.py), beyond guessing


def new_round_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Questionnaire(models.Model):
    """One questionnaire whatever its versions: "Module 2 knowledge test"."""

    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("questionnaire")

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    """One registered XLSForm of a questionnaire, never changed once stored: a pre/post
    comparison or a citation of a question keeps its meaning (see registry.py)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    digest = models.CharField(max_length=64, help_text=_("SHA-256 of the source file."))
    source_name = models.CharField(_("file name"), max_length=200)
    source = models.BinaryField(editable=False)
    # xlsform.Form.to_dict(): read back with Form.from_dict, no workbook parsing on a request.
    form = models.JSONField(editable=False)
    languages = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="one_version_number"),
            # registry.register_form: the same bytes registered again are the same version.
            models.UniqueConstraint(fields=["questionnaire", "digest"], name="one_version_digest"),
        ]
        indexes = [
            # registry.register_form without a questionnaire looks a digest up across all.
            models.Index(fields=["digest"], name="surveys_version_by_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} v{self.number}"


class Round(models.Model):
    """One collection of answers to one version: a pre-test of a session, the needs
    assessment of 2026, the second self-assessment round."""

    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="rounds"
    )
    # Upper case, looked up exactly (access.round_by_code normalises what people type).
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_round_code)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # Anonymous rounds are answered on the public page; others only through the using app's
    # own pages, which know who answers.
    anonymous = models.BooleanField(_("anonymous"), default=True)
    accepting = models.BooleanField(_("accepting answers"), default=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("round")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, now: dt.datetime | None = None) -> str:
        """ "open", "closed" or "not_yet" at `now` (the current time if None)."""
        moment = now if now is not None else timezone.now()
        if not self.accepting or (self.closes_at is not None and moment >= self.closes_at):
            return "closed"
        if self.opens_at is not None and moment < self.opens_at:
            return "not_yet"
        return "open"


class Response(models.Model):
    """One submitted questionnaire: answers checked by xlsform.check_answers, stored
    normalised (answers to questions that were not relevant dropped)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(default=dict)
    score = models.PositiveIntegerField(null=True, blank=True)
    max_score = models.PositiveIntegerField(null=True, blank=True)
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key; "" would collide in the unique index)
    # An opaque label for a using app that needs one; normally it holds a OneToOne instead.
    respondent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["round", "submitted_at", "pk"]
        verbose_name = _("response")
        constraints = [
            # actions.submit: a repeated submit (same key) is applied once.
            models.UniqueConstraint(
                fields=["round", "key"],
                condition=models.Q(key__isnull=False),
                name="response_idempotency_key",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=models.F("max_score")),
                name="response_score_within_max",
            ),
        ]
        indexes = [
            # results.summarise and exports: a round's responses in the order they came.
            models.Index(fields=["round", "submitted_at"], name="surveys_response_round_time"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.pk}"
