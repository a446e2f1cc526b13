"""The programme's records, one module per part of the work (Django finds them here)."""

from .certificates import Certificate
from .delivery import (
    AgendaItem,
    Attendance,
    Enrolment,
    Module,
    Seat,
    Session,
    SessionExercise,
    Topic,
)
from .design import ActionItem, Decision, Finding, Meeting, WorkingGroupMember
from .learning import FollowUpRound, LearnerClaim, LearningPlan, Purpose, SessionRound, TestResult
from .needs import NeedsAssessment
from .people import AuditEntry, NotTheSamePerson, Person, SensitiveRecord
from .programme import COUNTRIES, Indicator, Membership, Outcome, Output, Programme

__all__ = [
    "COUNTRIES",
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "Certificate",
    "Decision",
    "Enrolment",
    "Finding",
    "FollowUpRound",
    "Indicator",
    "LearnerClaim",
    "LearningPlan",
    "Meeting",
    "Membership",
    "Module",
    "NeedsAssessment",
    "NotTheSamePerson",
    "Outcome",
    "Output",
    "Person",
    "Programme",
    "Purpose",
    "Seat",
    "SensitiveRecord",
    "Session",
    "SessionExercise",
    "SessionRound",
    "TestResult",
    "Topic",
    "WorkingGroupMember",
]
