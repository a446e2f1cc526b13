"""Who counts as trained: the module's attendance rule, the same in a query and in Python."""

from __future__ import annotations

import pytest

from caseroom.programmes.counting import completed, has_completed
from caseroom.programmes.models import Enrolment, Person, Session

pytestmark = pytest.mark.django_db


def _enrol(session: Session, n: int, days: int, role: str = "participant") -> Enrolment:
    person = Person.objects.create(
        programme=session.module.programme,
        given_name=f"P{n}",
        family_name="Test",
        agency="Police",
        country="RS",
        match_key=f"test p{n}",
    )
    return Enrolment.objects.create(session=session, person=person, days_present=days, role=role)


def test_a_participant_completes_a_session_with_the_modules_share_of_its_days(
    session: Session,
) -> None:
    # Two days, rule 80 %: 1.6 days needed, so both days; a trainer never "completes".
    session.module.attendance_rule = 80
    session.module.save()
    both, one, none = _enrol(session, 1, 2), _enrol(session, 2, 1), _enrol(session, 3, 0)
    trainer = _enrol(session, 4, 2, role="trainer")
    assert set(completed(Enrolment.objects.all())) == {both}
    for enrolment, expected in [(both, True), (one, False), (none, False), (trainer, False)]:
        assert has_completed(enrolment, days=2, rule=80) is expected


def test_half_the_days_is_enough_under_a_fifty_percent_rule(session: Session) -> None:
    session.module.attendance_rule = 50
    session.module.save()
    one = _enrol(session, 1, 1)
    assert list(completed(Enrolment.objects.all())) == [one]
    assert has_completed(one, days=2, rule=50)
