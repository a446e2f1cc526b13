"""A person's tests for their data export and their erasure (people/exports.py and
people/actions.erase_person call these; the evaluations are anonymous and not theirs to
find). Without erase_tests, erasing a person would keep their test answers, unlinked."""

from __future__ import annotations

from typing import Any

from caseroom.surveys.models import Response

from ..models import Person, TestResult

__all__ = ["erase_tests", "person_tests"]


def person_tests(person: Person) -> list[dict[str, Any]]:
    """Each pre- and post-test of the person, with their answers; one query."""
    return [
        {
            "session": result.enrolment.session.title,
            "test": result.purpose,
            "score": result.score,
            "max_score": result.max_score,
            "submitted_at": (
                result.response.submitted_at.isoformat() if result.response.submitted_at else None
            ),
            "answers": result.response.answers,
        }
        for result in TestResult.objects.filter(enrolment__person=person)
        .select_related("enrolment__session", "response")
        .order_by("enrolment__session__starts_on", "purpose")
    ]


def erase_tests(person: Person) -> int:
    """Deletes the person's test results and the responses behind them (call it inside the
    erasure's transaction, before the person goes); the number of tests erased."""
    results = TestResult.objects.filter(enrolment__person=person)
    responses = list(results.values_list("response_id", flat=True))
    results.delete()
    Response.objects.filter(pk__in=responses).delete()
    return len(responses)
