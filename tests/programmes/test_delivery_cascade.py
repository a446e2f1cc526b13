"""The training-of-trainers cascade on a known little programme, its reach for the donor
report, and its page as a reader who may see names and as one who may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.delivery.cascade import cascade, tot_reach
from caseroom.programmes.models import Module, Person, Programme, Session

from . import support_delivery as make

pytestmark = pytest.mark.django_db

MARCH, MAY, JUNE = dt.date(2026, 3, 2), dt.date(2026, 5, 4), dt.date(2026, 6, 1)


@pytest.fixture
def known(module: Module) -> dict[str, object]:
    """A ToT with 3 graduates (and one who did not complete it); graduates Ana and Bora
    train 2 national sessions that 10 and 12 participants completed, one person in both
    (21 people reached); Cvijeta trains nothing."""
    programme = module.programme
    tot = make.session(module, "ToT Belgrade", starts=MARCH, days=3, tot=True)
    ana = make.person(programme, "Ana", "Trainer", country="RS")
    bora = make.person(programme, "Bora", "Trainer", country="MK")
    cvijeta = make.person(programme, "Cvijeta", "Trainer", country="RS")
    dropout = make.person(programme, "Dara", "Dropout", country="RS")
    make.enrol(tot, [ana, bora, cvijeta])
    make.enrol(tot, [dropout], days=1)  # 1 of 3 days: did not complete
    first = make.session(module, "National Niš", starts=MAY, country="RS")
    second = make.session(module, "National Ohrid", starts=JUNE, country="MK")
    make.enrol(first, [ana], role="trainer")
    make.enrol(second, [bora], role="trainer")
    both = make.person(programme, "Both", "Sessions", country="RS")
    make.enrol(first, [*make.people(programme, 9, "N", country="RS"), both])
    make.enrol(second, [*make.people(programme, 11, "O", country="MK"), both])
    make.enrol(second, make.people(programme, 3, "Absent", country="MK"), days=0)
    return {"tot": tot, "ana": ana, "bora": bora, "cvijeta": cvijeta, "both": both}


def test_the_known_programme_reaches_21_people_through_3_graduates(
    programme: Programme, known: dict[str, object]
) -> None:
    tree = cascade(programme, with_names=True)
    assert (tree.graduates, tree.trainers, tree.reached) == (3, 2, 21)
    assert tree.multiplier == 7.0  # 21 reached ÷ 3 graduates
    (tot,) = tree.tots
    assert (tot.reached, tot.multiplier) == (21, 7.0)
    reach = {g.label: (g.reached, [s.reached for s in g.sessions]) for g in tot.graduates}
    assert reach == {
        "Ana Trainer": (10, [10]),
        "Bora Trainer": (12, [12]),
        "Cvijeta Trainer": (0, []),
    }


def test_tot_reach_gives_the_ids_behind_each_number_for_a_date_range(
    programme: Programme, known: dict[str, object]
) -> None:
    everything = tot_reach(programme)
    assert len(everything.people) == 21 and everything.multiplier == 10.5
    ana, bora, cvijeta = known["ana"], known["bora"], known["cvijeta"]
    assert isinstance(ana, Person) and isinstance(bora, Person) and isinstance(cvijeta, Person)
    assert everything.trainers == {ana.pk, bora.pk}
    assert everything.graduates == {ana.pk, bora.pk, cvijeta.pk}
    may_only = tot_reach(programme, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert (len(may_only.people), may_only.trainers) == (10, {ana.pk})
    assert may_only.graduates == frozenset()  # the ToT ended in March


def test_a_session_trained_before_graduating_is_not_part_of_the_cascade(
    programme: Programme, module: Module, known: dict[str, object]
) -> None:
    early = make.session(module, "Before the ToT", starts=dt.date(2026, 2, 1))
    make.enrol(early, [known["ana"]], role="trainer")  # type: ignore[list-item]
    make.enrol(early, make.people(programme, 5, "E"))
    assert tot_reach(programme).people.__len__() == 21


def test_per_country_counts_are_suppressed_under_min_cell_and_so_is_their_multiplier(
    programme: Programme, known: dict[str, object]
) -> None:
    lines = {c.code: c for c in cascade(programme, with_names=True).countries}
    # Reached: 10 in Serbia (Both counts where first reached), 11 in North Macedonia.
    assert (lines["RS"].reached, lines["MK"].reached) == (10, 11)
    # Graduates: 2 from Serbia, 1 from North Macedonia, both under 5: hidden.
    assert lines["RS"].graduates is None and lines["MK"].graduates is None
    assert lines["RS"].multiplier is None
    programme.min_cell = 2
    programme.save()
    lines = {c.code: c for c in cascade(programme, with_names=True).countries}
    # North Macedonia's 1 is hidden, and Serbia's 2 with it: the total 3 would give it away.
    assert lines["MK"].graduates is None and lines["RS"].graduates is None
    tot = known["tot"]
    assert isinstance(tot, Session)
    make.enrol(tot, [make.person(programme, "Elena", "Trainer", country="MK")])
    lines = {c.code: c for c in cascade(programme, with_names=True).countries}
    assert (lines["RS"].graduates, lines["RS"].multiplier) == (2, 5.0)
    assert (lines["MK"].graduates, lines["MK"].multiplier) == (2, 5.5)


def test_a_reader_who_may_see_people_sees_the_graduates_names(
    trainer_client: Client, programme: Programme, known: dict[str, object]
) -> None:
    page = trainer_client.get(reverse("programmes:cascade", args=[programme.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ana Trainer" in body and "Bora Trainer" in body
    assert "<ul" in body and "people reached" in body


def test_an_observer_sees_the_same_tree_with_counts_and_no_names(
    observer_client: Client, programme: Programme, known: dict[str, object]
) -> None:
    page = observer_client.get(reverse("programmes:cascade", args=[programme.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Trainer" in body and "Trainer 1" in body and "Trainer 3" in body
    for name in ("Ana Trainer", "Bora Trainer", "Cvijeta", "Both Sessions"):
        assert name not in body
    assert "21 people reached" in body and "National Niš" in body


def _grow(module: Module, tots: int) -> None:
    """`tots` ToT sessions, each with 2 graduates training a national session of 3."""
    programme = module.programme
    for n in range(tots):
        tot = make.session(module, f"ToT {n}", starts=MARCH + dt.timedelta(days=7 * n), tot=True)
        graduates = make.people(programme, 2, f"G{n}-")
        make.enrol(tot, graduates)
        national = make.session(module, f"National {n}", starts=JUNE + dt.timedelta(days=n))
        make.enrol(national, graduates, role="trainer")
        make.enrol(national, make.people(programme, 3, f"R{n}-"))


@pytest.mark.parametrize("tots", [1, 3])
def test_the_cascade_costs_four_queries_for_2_and_6_sessions(
    module: Module, tots: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _grow(module, tots)
    assert Session.objects.count() == 2 * tots
    with django_assert_num_queries(4):
        tree = cascade(module.programme, with_names=True)
    assert (tree.graduates, tree.reached) == (2 * tots, 3 * tots)
    with django_assert_num_queries(4):
        assert len(tot_reach(module.programme).people) == 3 * tots


@pytest.mark.parametrize("tots", [1, 3])
def test_the_cascade_page_costs_the_same_for_2_and_6_sessions(
    observer_client: Client,
    module: Module,
    tots: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _grow(module, tots)
    # Browser session, user, role, programme, and the builder's four.
    with django_assert_num_queries(8):
        page = observer_client.get(reverse("programmes:cascade", args=[module.programme_id]))
    assert page.status_code == 200
