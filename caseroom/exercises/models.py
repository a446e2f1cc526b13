from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseroom.lib.codes import ALPHABET, new_code
from caseroom.scenarios.models import ScenarioVersion

# No 0/O, 1/I/L: a join code is read off a projector across a room.
CODE_ALPHABET = ALPHABET


def new_join_code() -> str:
    return new_code(6)


class Exercise(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not started")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    scenario = models.ForeignKey(
        ScenarioVersion, on_delete=models.PROTECT, verbose_name=_("scenario")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated"
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    ask_agency = models.BooleanField(_("ask participants for their agency"), default=True)
    ask_country = models.BooleanField(_("ask participants for their country"), default=True)
    roles_chosen_by_participants = models.BooleanField(
        _("participants pick their roles"), default=True
    )
    # Roles are self-chosen, so one person holding both roles could request and approve
    # their own action: the facilitator (or the scenario) can require two people.
    approver_must_differ = models.BooleanField(
        _("an approval must come from another person than the request"), default=False
    )
    # The facilitator's time box for the phase the room is working on (see timebox.py):
    # it ends at `timebox_ends_at` while the exercise runs; a pause keeps what is left.
    timebox_label = models.CharField(_("time box"), max_length=120, blank=True)
    timebox_ends_at = models.DateTimeField(null=True, blank=True)
    timebox_left = models.DurationField(null=True, blank=True)
    timebox_key = models.CharField(max_length=80, blank=True, editable=False)
    # When it ended: its join code opens the released debrief for a while, then retires
    # (access.exercise_by_code), so old codes do not pile up for guessers to find.
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("exercise")
        constraints = [
            # The time box runs to an end time, or is paused with what is left: never both.
            models.CheckConstraint(
                condition=models.Q(timebox_ends_at__isnull=True)
                | models.Q(timebox_left__isnull=True),
                name="timebox_ends_or_paused",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Team(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    # Number of events in the log: the optimistic check that a cached session is current.
    event_count = models.PositiveIntegerField(default=0)
    # The engine's TeamDigest of the play so far (derived, rebuilt from the log when its
    # event count or version differs): cross-team pages read it instead of replaying.
    digest = models.JSONField(null=True, blank=True, editable=False)
    # Linked teams (linking.py): two teams play the two sides of one case; each row names
    # the other, and `plays` the roles this team holds (the other team holds the rest).
    linked_team = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plays = models.JSONField(default=list, blank=True)
    # The team it was last linked with, kept when they are unlinked: the debrief still
    # shows both sides of what they played together.
    played_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exercise", "name"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participants")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("name"), max_length=120)
    agency = models.CharField(_("agency"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    roles = models.JSONField(default=list, blank=True)
    # Salted hash of the secret only this person holds (see personal_codes.py).
    personal_code_hash = models.CharField(max_length=100, blank=True, editable=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exercise", "team", "name"]

    def __str__(self) -> str:
        return self.name


class TeamEvent(models.Model):
    """The append-only log of a team's play; the engine replays it into the state."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    payload = models.JSONField()
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key; "" would collide in the unique index)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["team", "seq"], name="one_event_per_seq"),
            models.UniqueConstraint(
                fields=["team", "key"],
                condition=models.Q(key__isnull=False),
                name="idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}#{self.seq}"


class Message(models.Model):
    class Channel(models.TextChoices):
        TEAM = "team", _("Team chat")
        CROSS_BORDER = "cross-border", _("Cross-border channel")
        FACILITATOR = "facilitator", _("From the facilitator")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="messages")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.TEAM)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    role = models.CharField(max_length=80, blank=True)
    body = models.TextField(max_length=4000)
    key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: no key; "" would collide in the unique index)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Per team: a key is the sender's, and another team's key must not drop a message.
            models.UniqueConstraint(
                fields=["team", "key"],
                condition=models.Q(key__isnull=False),
                name="message_idempotency_key",
            ),
        ]
        indexes = [
            # player.messages_of: a team's latest messages in one channel, on every chat part.
            models.Index(fields=["team", "channel", "-id"], name="message_team_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.body[:40]}"
