"""Modules, their sessions, who took part in each and on which days."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Person
from .programme import Programme


class Module(models.Model):
    """A course for one audience, delivered in sessions ("8 sessions, 267 officers")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=300)
    objectives = models.TextField(_("objectives"), max_length=4000, blank=True)
    planned_sessions = models.PositiveIntegerField(_("planned sessions"), default=0)
    planned_people = models.PositiveIntegerField(_("planned people"), default=0)
    days_per_session = models.PositiveSmallIntegerField(_("days per session"), default=1)
    # A participant "completed" a session (counts as trained, gets a certificate) when they
    # attended at least this share of its days.
    attendance_rule = models.PositiveSmallIntegerField(_("attendance needed (%)"), default=80)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="module_number_unique"),
            models.CheckConstraint(
                condition=models.Q(attendance_rule__gte=1, attendance_rule__lte=100),
                name="module_attendance_rule_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"Module {self.number}: {self.title}"


class Topic(models.Model):
    """An agenda item of a module, copied into each new session's agenda."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    trainer = models.CharField(_("trainer"), max_length=150, blank=True)

    class Meta:
        ordering = ["module", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One delivery of a module in one place; a training of trainers when `is_tot`."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    days = models.PositiveSmallIntegerField(_("training days"))
    place = models.CharField(_("place"), max_length=200)
    country = models.CharField(_("country"), max_length=8)
    is_tot = models.BooleanField(_("training of trainers"), default=False)
    # Typed by participants on their phones to take the session's tests (upper case,
    # looked up exactly, throttled like join codes).
    code = models.CharField(_("session code"), max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_days_in_order",
            ),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="session_has_a_day"),
        ]
        indexes = [
            # Results and the donor report select a programme's sessions in a date range.
            models.Index(fields=["module", "starts_on"], name="session_module_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d}, {self.place})"


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    day = models.PositiveSmallIntegerField(_("day"), default=1)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    trainer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        ordering = ["session", "day", "order", "pk"]

    def __str__(self) -> str:
        return f"Day {self.day}: {self.title}"


class Enrolment(models.Model):
    """A person in a session, as a participant or as one of its trainers."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        TRAINER = "trainer", _("Trainer")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    # Days attended, kept in step with Attendance rows (one query for every results page).
    days_present = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["session", "person"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="enrolled_once"),
        ]
        indexes = [models.Index(fields=["person", "session"], name="enrolment_person")]

    def __str__(self) -> str:
        return f"{self.person} in {self.session}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.PositiveSmallIntegerField(_("day"))  # 1 .. session.days

    class Meta:
        ordering = ["enrolment", "day"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="present_once_a_day"),
            models.CheckConstraint(condition=models.Q(day__gte=1), name="attendance_day_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} day {self.day}"


class SessionExercise(models.Model):
    """A Caseroom exercise run in a session (an exercise belongs to at most one)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="exercise_links")
    exercise = models.OneToOneField(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="programme_session"
    )

    def __str__(self) -> str:
        return f"{self.exercise} in {self.session}"


class Seat(models.Model):
    """Which exercise participant a person was, so their team's results count for them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="seats")
    participant = models.OneToOneField(
        "exercises.Participant", on_delete=models.CASCADE, related_name="programme_seat"
    )

    def __str__(self) -> str:
        return f"{self.person} as {self.participant}"


class TeamPlace(models.Model):
    """The team a session's participant was put in when an exercise was run from the session.

    Written before anyone joins (the facilitator prints the team list); participants then
    join on their phones and become `Seat`s. `exercise` repeats the team's exercise so the
    database itself keeps a person in one team per exercise.
    """

    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.CASCADE, related_name="programme_places"
    )
    team = models.ForeignKey(
        "exercises.Team", on_delete=models.CASCADE, related_name="programme_places"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_places")

    class Meta:
        ordering = ["team", "person"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "person"], name="one_team_per_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.team}"
