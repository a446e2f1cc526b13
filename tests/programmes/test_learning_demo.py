"""The demo's learning results: every module gets the shipped forms, each ended session its
closed rounds, about 90 % of participants a pre- and post-test, about 80 % an evaluation."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.demo.programme.learning import add_learning
from caseroom.programmes.learning.gains import person_gains
from caseroom.programmes.models import LearningPlan, Module, Programme, SessionRound, TestResult
from caseroom.surveys.models import Response

from . import support_delivery as make

pytestmark = pytest.mark.django_db


def _small_programme(programme: Programme, module: Module) -> None:
    second = Module.objects.create(programme=programme, number=2, title="B", audience="x")
    for m, starts in ((module, dt.date(2026, 3, 2)), (second, dt.date(2026, 4, 6))):
        for week in range(2):
            session = make.session(m, f"{m.title} {week}", starts=starts + dt.timedelta(weeks=week))
            make.enrol(session, make.people(programme, 40, f"M{m.number}W{week}-"))
    make.session(module, "Later", starts=dt.date(2026, 12, 1))  # not yet held: no rounds


def test_the_demo_adds_plausible_tests_and_evaluations(
    programme: Programme, module: Module, manager_client: Client
) -> None:
    _small_programme(programme, module)
    started = time.perf_counter()
    add_learning(programme, random.Random(7), today=dt.date(2026, 6, 1))
    elapsed = time.perf_counter() - started
    assert elapsed < 5
    assert LearningPlan.objects.filter(module__programme=programme).count() == 2
    assert SessionRound.objects.count() == 4 * 3
    assert all(r.round.state() == "closed" for r in SessionRound.objects.select_related("round"))
    participants = 160
    pre = TestResult.objects.filter(purpose="pre").count()
    assert 0.8 * participants <= pre <= participants
    assert TestResult.objects.filter(purpose="post").count() == pre
    evaluations = Response.objects.filter(round__programme_session__purpose="evaluation")
    assert 0.65 * participants <= evaluations.count() <= 0.95 * participants
    assert not evaluations.exclude(respondent="").exists()
    rows = person_gains(programme)
    mean_pre = sum(r.pre_share or 0 for r in rows) / len(rows)
    mean_post = sum(r.post_share or 0 for r in rows) / len(rows)
    assert 0.35 < mean_pre < 0.55 and 0.65 < mean_post < 0.85
    assert len({r.pre for r in rows}) >= 5, "a plausible spread"
    page = manager_client.get(reverse("programmes:results", args=[programme.pk]))
    assert page.status_code == 200


def test_adding_the_demo_learning_twice_adds_nothing_more(
    programme: Programme, module: Module
) -> None:
    _small_programme(programme, module)
    add_learning(programme, random.Random(7), today=dt.date(2026, 6, 1))
    counts = (TestResult.objects.count(), Response.objects.count())
    add_learning(programme, random.Random(7), today=dt.date(2026, 6, 1))
    assert (TestResult.objects.count(), Response.objects.count()) == counts
