"""Questionnaires as immutable versions, rounds of answers to one version, invitations (personal
links) and responses, drafts among them.

The app that uses a questionnaire (programmes, cooperation) holds the foreign key to a Round or
a Response and its own staff pages; nothing here knows about it. A response whose
`submitted_at` is empty is a draft: its answers are kept as saved, checked for their shape
only, and it counts nowhere (`Response.objects.submitted()`; results and exports leave
drafts out).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseroom.lib.codes import ALPHABET, new_code

# No 0/O, 1/I/L: a round code is read off a slide or a printed sheet.
CODE_ALPHABET = ALPHABET
CODE_LENGTH = 8  # 31^8 ≈ 8.5·10^11: with the throttle (lib/throttle.py), beyond guessing


def new_round_code() -> str:
    return new_code(CODE_LENGTH)


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
    # "Save and continue later" on the round-code page (a resume code shown at the first
    # save). Personal links always keep drafts: they are made for coming back.
    drafts = models.BooleanField(_("drafts"), default=False)
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


class Invitation(models.Model):
    """A personal link to answer a round: one response at most, its country and agency known
    from here. Only the token's hash is stored (tokens.token_hash); the link is shown once,
    when the invitation is made (invitations.invite)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="invitations")
    # SHA-256 of a 192-bit token: looked up exactly (the unique index) from the link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=200)
    country = models.CharField(_("country"), max_length=64, blank=True)
    agency = models.CharField(_("agency"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return self.label


class ResponseQuerySet(models.QuerySet["Response"]):
    def submitted(self) -> ResponseQuerySet:
        """Responses sent, drafts left out: what every count and result reads."""
        return self.filter(submitted_at__isnull=False)

    def drafts(self) -> ResponseQuerySet:
        return self.filter(submitted_at__isnull=True)


class Response(models.Model):
    """One questionnaire answered: answers checked by xlsform.review_answers, stored
    normalised (answers to questions that were not relevant dropped, calculations added).
    A draft (`submitted_at` empty) belongs to a personal link (`invitation`) or to a resume
    code (`secret_hash`)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now, null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)  # a draft's last save
    language = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(default=dict)
    score = models.PositiveIntegerField(null=True, blank=True)
    max_score = models.PositiveIntegerField(null=True, blank=True)
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key; "" would collide in the unique index)
    # An opaque label for a using app that needs one; normally it holds a OneToOne instead.
    respondent = models.CharField(max_length=200, blank=True)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    # Keyed hash of a draft's resume code (tokens.resume_hash), "" when it has none.
    secret_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # From the invitation, or from an imported file's columns; choice names of the form.
    country = models.CharField(_("country"), max_length=64, blank=True)
    agency = models.CharField(_("agency"), max_length=64, blank=True)

    objects = ResponseQuerySet.as_manager()

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
            # actions.save_draft: one draft per resume code (the look-up at the next save).
            models.UniqueConstraint(
                fields=["round", "secret_hash"],
                condition=~models.Q(secret_hash=""),
                name="response_one_per_resume_code",
            ),
            # A draft is not scored: its score would count a test not yet finished.
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=False) | models.Q(score__isnull=True),
                name="response_draft_not_scored",
            ),
        ]
        indexes = [
            # results.summarise and exports: a round's responses in the order they came.
            models.Index(fields=["round", "submitted_at"], name="surveys_response_round_time"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.pk}"
