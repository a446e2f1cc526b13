"""The gap analysis: section scores, small cells and what would reveal them hidden, the
change since the previous round, response rates, difficulties, a focal point's view, and a
fixed number of queries whatever the number of responses."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.cooperation import actions, refs
from caseroom.cooperation.access import Role, Scope
from caseroom.cooperation.analysis import GapAnalysis, analyse
from caseroom.cooperation.models import Coordination, Round
from caseroom.surveys import models as surveys_models
from caseroom.surveys.models import Response
from tests.cooperation.conftest import add_answers, add_responses, basic, everyone

S21 = "coop-guidelines#2.1"  # mla_basis only
COORDINATOR = Scope(Role.COORDINATOR)


def result(round_: Round, scope: Scope = COORDINATOR) -> GapAnalysis:
    round_ = Round.objects.select_related("coordination", "survey__version", "previous").get(
        pk=round_.pk
    )
    return analyse(round_, scope, language="en")


def cell(found: GapAnalysis, country: str, section: str = S21):  # type: ignore[no-untyped-def]
    line = next(line for line in [*found.lines, found.region] if line.key == country)
    return line.cells[[s.ref for s in found.sections].index(section)]


def test_a_cell_is_the_mean_of_its_respondents_section_scores(round_: Round) -> None:
    add_answers(
        round_,
        [basic("RS", mla_basis="yes")] * 3
        + [basic("RS", mla_basis="partly")] * 2
        # Three questions of 2.7 for the sixth: (1.0 + 0.0 + 3/5) / 3, and none of 2.1.
        + [basic("RS", mla_made="yes", mla_template="always", mla_translated="never",
                 mla_content=["authority", "facts", "purpose"])]
        + [basic("RS", mla_made="yes", mla_template="sometimes")] * 4,
    )  # fmt: skip
    found = result(round_)
    assert cell(found, "RS").respondents == 5, "those who answered a question of §2.1"
    assert cell(found, "RS").percent == 80
    assert cell(found, "RS").heat == 4
    drafting = cell(found, "RS", "coop-guidelines#2.7")
    assert drafting.respondents == 5
    assert drafting.value == pytest.approx(((1.0 + 0.0 + 0.6) / 3 + 4 * 0.5) / 5)


def test_a_cell_of_fewer_than_min_cell_respondents_is_hidden_and_says_so(
    round_: Round, coordinator_client: Client
) -> None:
    add_answers(round_, [basic("RS", mla_basis="yes")] * 5 + [basic("ME", mla_basis="no")] * 4)
    found = result(round_)
    assert cell(found, "RS").percent == 100
    montenegro = cell(found, "ME")
    assert montenegro.hidden and montenegro.value is None and montenegro.respondents is None
    page = coordinator_client.get(reverse("cooperation:round", args=[round_.pk]))
    assert page.status_code == 200
    row = page.content.decode().split('id="line-ME"')[1].split("</tr>")[0]
    assert "hidden" in row and "fewer than 5 respondents" in row
    assert "%" not in row, "no value of a hidden cell reaches the page"


def test_the_region_is_hidden_when_it_would_give_away_a_hidden_cell(round_: Round) -> None:
    # Region − Serbia would be Montenegro's 4 respondents: hidden.
    add_answers(round_, [basic("RS", mla_basis="yes")] * 5 + [basic("ME", mla_basis="no")] * 4)
    assert cell(result(round_), "").hidden
    # With 5 more in Croatia, the hidden rest is still 4: hidden.
    add_answers(round_, [basic("HR", mla_basis="partly")] * 5)
    assert cell(result(round_), "").hidden
    # Two hidden countries of 4 and 3: together 7, a group large enough to show.
    add_answers(round_, [basic("AL", mla_basis="no")] * 3)
    region = cell(result(round_), "")
    assert not region.hidden and region.respondents == 17


def test_the_change_since_the_previous_round_is_shown_per_cell(
    coordination: Coordination, round_: Round, coordinator_client: Client
) -> None:
    add_answers(round_, [basic("RS", mla_basis="partly")] * 5)
    actions.close_round(round_)
    second = actions.open_round(coordination, "2028 annual", previous=round_)
    add_answers(second, [basic("RS", mla_basis="yes")] * 4 + [basic("RS", mla_basis="no")])
    found = cell(result(second), "RS")
    assert (found.percent, found.previous, found.change, found.trend) == (80, 0.5, 30, "up")
    page = coordinator_client.get(reverse("cooperation:round", args=[second.pk])).content.decode()
    assert "▲" in page and "+30" in page and "Compared with 2027 annual" in page


def test_response_rates_hide_small_counts_and_their_complements(round_: Round) -> None:
    add_answers(
        round_,
        [basic("RS")] * 7 + [basic("RS", "prosecution")] * 6 + [basic("ME", "judiciary")] * 2,
    )
    table = result(round_).answered
    rows = dict(zip(table.rows, table.cells, strict=True))
    columns = list(table.columns)
    assert rows["Montenegro"][columns.index("Courts")] is None
    assert table.total == 15
    assert table.hidden >= 2, "a lone hidden count would be given away by its totals"


def test_difficulties_need_min_cell_writers_and_name_an_agency_only_when_it_is_safe(
    round_: Round,
) -> None:
    texts = [f"Difficulty number {n}" for n in range(9)]
    add_answers(
        round_,
        [basic("RS", "police", mla_difficulties=t) for t in texts[:5]]
        + [basic("RS", "judiciary", mla_difficulties=texts[5])]
        + [basic("ME", "police", mla_difficulties=t) for t in texts[6:]],
    )
    group = result(round_).difficulties[0]
    shown = {d.text: d for d in group.shown}
    assert set(shown) == set(texts[:6]), "Serbia's six writers are enough, Montenegro's three not"
    assert shown[texts[0]].agency == "Police (criminal investigation)"
    assert shown[texts[5]].agency == "", "one judge's text is shown without the court"
    assert group.withheld == 3
    order = [(d.country, d.agency, d.text) for d in group.shown]
    assert order == sorted(order), "sorted, not in the order they came"


def test_a_focal_point_sees_their_country_and_the_region_only(
    round_: Round, focal_client: Client
) -> None:
    add_answers(
        round_,
        [basic("RS", mla_basis="yes", mla_difficulties="Serbian text")] * 5
        + [basic("HR", mla_basis="no", mla_difficulties="Croatian text")] * 6,
    )
    found = result(round_, Scope(Role.FOCAL_POINT, "RS"))
    assert [line.key for line in found.lines] == ["RS"]
    assert cell(found, "").respondents == 11, "the others (6) are a large enough group"
    assert [d.text for g in found.difficulties for d in g.shown] == ["Serbian text"] * 5
    assert list(found.answered.rows) == ["Serbia", "Other countries"]
    page = focal_client.get(reverse("cooperation:round", args=[round_.pk])).content.decode()
    assert "Croatia" not in page and "Croatian text" not in page
    assert 'id="line-RS"' in page


def test_a_focal_point_does_not_get_a_region_that_reveals_a_small_rest(round_: Round) -> None:
    add_answers(round_, [basic("RS", mla_basis="yes")] * 6 + [basic("HR", mla_basis="no")] * 3)
    assert cell(result(round_, Scope(Role.FOCAL_POINT, "RS")), "").hidden


def test_a_focal_points_raw_answers_are_their_countrys(
    round_: Round, focal_client: Client, coordinator_client: Client
) -> None:
    add_answers(round_, [basic("RS")] * 2 + [basic("HR")] * 3)
    url = reverse("cooperation:answers_csv", args=[round_.pk])
    own = focal_client.get(url).content.decode().splitlines()
    assert len(own) == 3 and all(",RS," in line for line in own[1:])
    assert len(coordinator_client.get(url).content.decode().splitlines()) == 6


def test_an_observer_reads_the_heatmap_but_not_the_raw_answers(
    round_: Round, observer_client: Client
) -> None:
    add_answers(round_, [basic("RS")] * 5)
    page = observer_client.get(reverse("cooperation:round", args=[round_.pk]))
    assert page.status_code == 200 and b"Raw answers" not in page.content
    assert (
        observer_client.get(reverse("cooperation:answers_csv", args=[round_.pk])).status_code == 403
    )


@pytest.mark.parametrize("per_country", [10, 60])
def test_the_gap_page_makes_the_same_queries_whatever_the_number_of_responses(
    coordination: Coordination,
    round_: Round,
    coordinator: User,
    coordinator_client: Client,
    per_country: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    counts = dict.fromkeys(("AL", "BA", "HR", "ME", "MK", "RS", "XK"), per_country)
    add_responses(round_, everyone(counts) + everyone(counts, "prosecution"))
    actions.close_round(round_)
    second = actions.open_round(coordination, "2028 annual", previous=round_)
    add_responses(second, everyone(counts) + everyone(counts, "judiciary"), seed=2)
    for country in ("RS", "HR", "ME"):
        actions.record_measure(
            coordination, round_=round_, country=country, section=S21, what="x",
            institution="y", responsible="z", due_on=__import__("datetime").date(2027, 6, 1),
        )  # fmt: skip
    url = reverse("cooperation:round", args=[second.pk])
    coordinator_client.get(url)  # the session and the form caches warm
    # session, user, round (with coordination and versions), membership, the two rounds'
    # stamps (their tallies are cached since the first visit: tally.cached_tally),
    # measures, invitations (when surveys has them), the library's citations (two).
    with django_assert_num_queries(EXPECTED_QUERIES):
        assert coordinator_client.get(url).status_code == 200


# 7 of ours, plus surveys' invitations and the library's two where they are installed
# (this app works without them).
EXPECTED_QUERIES = 7 + hasattr(surveys_models, "Invitation") + 2 * refs.library_available()


def test_a_cached_tally_is_not_used_once_the_responses_change(
    round_: Round, coordinator_client: Client
) -> None:
    url = reverse("cooperation:round", args=[round_.pk])
    add_answers(round_, [basic("RS", mla_basis="no")] * 5)
    assert cell(coordinator_client.get(url).context["result"], "RS").percent == 0
    add_answers(round_, [basic("RS", mla_basis="yes")] * 5)
    assert cell(coordinator_client.get(url).context["result"], "RS").percent == 50


def test_drafts_count_nowhere(round_: Round) -> None:
    add_answers(round_, [basic("RS", mla_basis="yes")] * 5)
    drafts = add_answers(round_, [basic("RS", mla_basis="no")] * 3)
    Response.objects.filter(pk__in=[d.pk for d in drafts]).update(submitted_at=None)
    found = result(round_)
    assert (found.responses, cell(found, "RS").percent) == (5, 100)
