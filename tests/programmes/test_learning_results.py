"""Results of a session, a module and the programme: gains, suppressed groups, evaluations,
team results, names only for those who may see people, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.exercises import actions as exercise_actions
from caseroom.programmes.delivery.exercises import run_exercise
from caseroom.programmes.delivery.seating import seat_participants
from caseroom.programmes.learning import actions
from caseroom.programmes.learning.gains import person_gains
from caseroom.programmes.learning.results import learning_results
from caseroom.programmes.models import Module, Person, Programme, Session, SessionRound
from caseroom.surveys import actions as surveys

from . import support_delivery as make
from .support_learning import EVALUATION, open_all, plan, take

pytestmark = pytest.mark.django_db


def _tested(session: Session, scores: list[tuple[int, int]], **person: str) -> list[Person]:
    """People of the session with these (pre, post) scores out of 10."""
    people = make.people(session.module.programme, len(scores), f"S{session.pk}x", **person)
    for enrolment, (pre, post) in zip(make.enrol(session, people), scores, strict=True):
        take(enrolment, "pre", pre)
        take(enrolment, "post", post)
    return people


@pytest.fixture
def planned(module: Module, session: Session) -> Session:
    plan(module)
    open_all(session, "pre", "post", "evaluation")
    return session


def _page(client: Client, name: str, pk: int) -> str:
    response = client.get(reverse(f"programmes:{name}", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_hakes_gain_on_known_values_through_the_pages(
    planned: Session, manager_client: Client
) -> None:
    _tested(planned, [(4, 7)])
    page = _page(manager_client, "session_results", planned.pk)
    assert '<dd id="class-gain">0.50</dd>' in page
    assert '<dd id="mean-gain">0.50</dd>' in page
    assert "40 %" in page and "70 %" in page


def test_the_class_gain_and_the_mean_of_individual_gains_are_both_shown_and_differ(
    planned: Session, manager_client: Client, module: Module
) -> None:
    # Class means 4 → 7: ⟨g⟩ = 3/6 = 0.5; individual gains 6/8 = 0.75 and 0/4 = 0: mean 0.375.
    _tested(planned, [(2, 8), (6, 6)])
    page = _page(manager_client, "module_results", module.pk)
    assert '<dd id="class-gain">0.50</dd>' in page
    assert '<dd id="mean-gain">0.38</dd>' in page
    # One of the two reached the default threshold of 0.3.
    assert '<dd id="share-reached">50 % (1 of 2)</dd>' in page


def test_a_small_groups_mean_is_suppressed_and_the_page_says_so(
    planned: Session, programme: Programme, manager_client: Client
) -> None:
    for sex, n, scores in (("F", 5, (2, 8)), ("M", 6, (4, 7)), ("X", 1, (0, 10))):
        for person in _tested(planned, [scores] * n):
            Person.objects.filter(pk=person.pk).update(sex=sex)
    by_sex = learning_results(
        programme, Session.objects.filter(pk=planned.pk), with_people=False
    ).breakdowns[0]
    lines = {line.label: line for line in by_sex.lines}
    assert lines["Other"].people is None and lines["Other"].mean_gain is None
    # The one person's group is hidden, and a second group with it: 12 − 6 would tell it.
    assert lines["Female"].people is None and lines["Female"].mean_gain is None
    assert lines["Male"].people == 6 and lines["Male"].mean_gain == pytest.approx(0.5)
    assert by_sex.total == 12
    page = _page(manager_client, "session_results", planned.pk)
    assert "suppressed, a group of fewer than 5 people" in page


def test_observers_see_aggregates_without_names_and_no_scores_of_a_handful(
    planned: Session, observer_client: Client, trainer_client: Client
) -> None:
    people = _tested(planned, [(4, 7), (5, 9)])
    seen_by_observer = _page(observer_client, "session_results", planned.pk)
    assert people[0].family_name not in seen_by_observer
    assert "Scores are not shown for fewer than 5 people tested." in seen_by_observer
    assert 'id="class-gain"' not in seen_by_observer
    seen_by_trainer = _page(trainer_client, "session_results", planned.pk)
    assert f"{people[0].given_name} {people[0].family_name}" in seen_by_trainer
    assert "4/10" in seen_by_trainer and "9/10" in seen_by_trainer


def test_the_evaluation_and_follow_up_are_summarised(
    planned: Session, module: Module, manager_client: Client
) -> None:
    evaluation = SessionRound.objects.get(session=planned, purpose="evaluation").round
    surveys.submit(evaluation, EVALUATION, language="en")
    surveys.submit(evaluation, {**EVALUATION, "objectives": "3"}, language="en")
    actions.choose_version(module, "follow_up", evaluation.version)
    follow_up = actions.open_follow_up(module)
    surveys.submit(follow_up.round, EVALUATION, language="en")
    page = _page(manager_client, "module_results", module.pk)
    assert "The objectives of the session were clear." in page
    assert '<td class="num">4.0</td>' in page  # mean of 5 and 3
    assert "More cases from the region" not in page, "comments are not shown here"
    assert "1 answer in 1 round(s)" in page  # the follow-up


def test_each_participant_sees_their_teams_exercise_result(
    planned: Session, trainer_member: User, trainer_client: Client
) -> None:
    ivana, marko = _tested(planned, [(4, 7), (3, 6)])
    exercise = run_exercise(
        planned, trainer_member, scenario=make.scenario_version(), title="Night shift", teams=2
    )
    teams = list(exercise.teams.order_by("name"))
    for person, team in ((ivana, teams[0]), (marko, teams[1])):
        exercise_actions.join(exercise, name=person.full_name, team=team)
    assert seat_participants(planned).matched == 2
    found = learning_results(
        planned.module.programme, Session.objects.filter(pk=planned.pk), with_people=True
    )
    assert {t.team for t in found.teams} == {teams[0].name, teams[1].name}
    rows = {p.person_id: p for p in found.people}
    assert [t.team for t in rows[ivana.pk].teams] == [teams[0].name]
    assert "Night shift" in _page(trainer_client, "session_results", planned.pk)


def test_person_gains_keeps_the_period_and_the_module(programme: Programme, module: Module) -> None:
    plan(module)
    other_module = Module.objects.create(programme=programme, number=2, title="B", audience="x")
    plan(other_module)
    march = make.session(module, "March", starts=dt.date(2026, 3, 2))
    june = make.session(module, "June", starts=dt.date(2026, 6, 1))
    other = make.session(other_module, "Other", starts=dt.date(2026, 3, 10))
    for s in (march, june, other):
        open_all(s)
        _tested(s, [(4, 7)])
    assert len(person_gains(programme)) == 3
    spring = person_gains(programme, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert {r.session_id for r in spring} == {march.pk, other.pk}
    only = person_gains(programme, module=module, start=dt.date(2026, 5, 1))
    assert [(r.session_id, r.pre, r.post, r.max) for r in only] == [(june.pk, 4, 7, 10)]
    assert only[0].gain == pytest.approx(0.5)
    assert only[0].reached and only[0].threshold == pytest.approx(0.3)


def _programme_with(
    programme: Programme, module: Module, sessions: int, people: int
) -> list[Session]:
    plan(module)
    made = []
    for i in range(sessions):
        s = make.session(module, f"S{i}", starts=dt.date(2026, 3, 1) + dt.timedelta(days=7 * i))
        open_all(s, "pre", "post", "evaluation")
        _tested(s, [(3, 8)] * people)
        surveys.submit(
            SessionRound.objects.get(session=s, purpose="evaluation").round,
            EVALUATION,
            language="en",
        )
        made.append(s)
    return made


@pytest.mark.parametrize("sessions", [2, 6])
def test_the_programme_results_cost_the_same_queries_for_2_and_6_sessions(
    sessions: int,
    programme: Programme,
    module: Module,
    manager_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _programme_with(programme, module, sessions, people=3)
    url = reverse("programmes:results", args=[programme.pk])
    # Log-in session, user, role, programme (4); the test results (1), exercise links (1),
    # evaluation rounds by version (1), their versions (1), one summary per version (1),
    # follow-up rounds (1). No names' table: each session's page lists its people.
    with django_assert_num_queries(10):
        response = manager_client.get(url)
    assert response.status_code == 200
    assert f"{3 * sessions}" in response.content.decode()


@pytest.mark.parametrize("sessions", [2, 6])
def test_the_module_results_cost_the_same_queries_for_2_and_6_sessions(
    sessions: int,
    programme: Programme,
    module: Module,
    observer_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _programme_with(programme, module, sessions, people=3)
    # As above, with the module and its programme in one query and no names' table.
    with django_assert_num_queries(10):
        response = observer_client.get(reverse("programmes:module_results", args=[module.pk]))
    assert response.status_code == 200


def test_only_a_sessions_page_lists_each_tested_person(
    programme: Programme, module: Module, manager_client: Client
) -> None:
    _programme_with(programme, module, 2, people=3)
    programme_page = manager_client.get(reverse("programmes:results", args=[programme.pk]))
    module_page = manager_client.get(reverse("programmes:module_results", args=[module.pk]))
    session = module.sessions.order_by("pk").first()
    assert session is not None
    session_page = manager_client.get(reverse("programmes:session_results", args=[session.pk]))
    for page in (programme_page, module_page):
        assert b"on their session's results page" in page.content
        assert b'<th scope="row">' not in page.content.split(b'id="people-title"')[1]
    assert b"on their session's results page" not in session_page.content
