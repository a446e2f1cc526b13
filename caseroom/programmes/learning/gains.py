"""Each participant's pre- and post-test and their normalised gain, in one query.

The rows feed the results pages (`results.py`) and the donor report's "share with a gain
above a threshold" indicator. A row is one enrolment (a person in a session) with at least
one test result: a person tested in two sessions has two rows, each compared within its
own session. When the pre- and post-test versions differ in their maximum, the gain is
taken on the shares of each maximum (Hake's g is a ratio of shares anyway).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ..models import Module, Programme, Purpose, Session, TestResult
from ..results.gain import hake_gain

__all__ = ["DEFAULT_THRESHOLD", "PersonGain", "gains_of_sessions", "person_gains"]

DEFAULT_THRESHOLD = 0.3  # LearningPlan.gain_threshold's default, for modules with no plan


@dataclass(frozen=True)
class PersonGain:
    person_id: int
    enrolment_id: int
    session_id: int
    module_id: int
    given_name: str
    family_name: str
    sex: str
    agency: str
    country: str
    pre: int | None  # points
    pre_max: int | None
    post: int | None
    post_max: int | None
    threshold: float  # the module's gain threshold

    @property
    def pre_share(self) -> float | None:
        return self.pre / self.pre_max if self.pre is not None and self.pre_max else None

    @property
    def post_share(self) -> float | None:
        return self.post / self.post_max if self.post is not None and self.post_max else None

    @property
    def both(self) -> bool:
        return self.pre is not None and self.post is not None

    @property
    def max(self) -> int | None:
        """The post-test's maximum (the pre-test's when there is no post-test)."""
        return self.post_max if self.post_max is not None else self.pre_max

    @property
    def gain(self) -> float | None:
        """Hake's g; None without both tests or when the pre-test had the full score."""
        if self.pre is None or self.post is None or not self.pre_max or not self.post_max:
            return None
        if self.pre_max == self.post_max:
            return hake_gain(self.pre, self.post, self.pre_max)
        return hake_gain(self.pre / self.pre_max, self.post / self.post_max, 1.0)

    @property
    def reached(self) -> bool | None:
        """Whether the gain reaches the module's threshold (None without a gain)."""
        gain = self.gain
        return None if gain is None else gain >= self.threshold - 1e-9


_FIELDS = (
    "enrolment_id",
    "purpose",
    "score",
    "max_score",
    "enrolment__person_id",
    "enrolment__session_id",
    "enrolment__session__module_id",
    "enrolment__session__module__learning_plan__gain_threshold",
    "enrolment__person__given_name",
    "enrolment__person__family_name",
    "enrolment__person__sex",
    "enrolment__person__agency",
    "enrolment__person__country",
)


def gains_of_sessions(sessions: QuerySet[Session]) -> tuple[PersonGain, ...]:
    """The rows of the sessions' participants, in one query (a subquery for `sessions`)."""
    results = (
        TestResult.objects.filter(enrolment__session__in=sessions.values("pk"))
        .order_by("enrolment__person__family_name", "enrolment__person__given_name", "enrolment_id")
        .values_list(*_FIELDS)
    )
    return _rows(results)


def person_gains(
    programme: Programme,
    start: dt.date | None = None,
    end: dt.date | None = None,
    module: Module | None = None,
) -> tuple[PersonGain, ...]:
    """Every tested participant of the programme's sessions that started within [start,
    end] (either bound optional), of one module when given; one query."""
    sessions = Session.objects.filter(module__programme=programme)
    if module is not None:
        sessions = sessions.filter(module=module)
    if start is not None:
        sessions = sessions.filter(starts_on__gte=start)
    if end is not None:
        sessions = sessions.filter(starts_on__lte=end)
    return gains_of_sessions(sessions)


def _rows(results: Iterable[tuple[Any, ...]]) -> tuple[PersonGain, ...]:
    found: dict[int, dict[str, Any]] = {}
    for (
        enrolment_id,
        purpose,
        score,
        max_score,
        person_id,
        session_id,
        module_id,
        threshold,
        given,
        family,
        sex,
        agency,
        country,
    ) in results:
        row = found.setdefault(
            enrolment_id,
            {
                "person_id": person_id,
                "enrolment_id": enrolment_id,
                "session_id": session_id,
                "module_id": module_id,
                "given_name": given,
                "family_name": family,
                "sex": sex,
                "agency": agency,
                "country": country,
                "pre": None,
                "pre_max": None,
                "post": None,
                "post_max": None,
                "threshold": float(threshold)
                if isinstance(threshold, Decimal | float | int)
                else DEFAULT_THRESHOLD,
            },
        )
        if purpose == Purpose.PRE:
            row["pre"], row["pre_max"] = score, max_score
        elif purpose == Purpose.POST:
            row["post"], row["post_max"] = score, max_score
    return tuple(PersonGain(**row) for row in found.values())
