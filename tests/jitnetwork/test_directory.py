"""The directory: search by country, expertise, language and function text, in a fixed
number of queries however many experts match; proposal by a national coordinator for their
own country, confirmation by the network coordinator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.jitnetwork.models import Area, Expert

from .conftest import make_expert, verified

SEARCH_QUERIES = 7  # session, user, OTP device, role, membership, experts, their areas


def test_a_member_finds_a_prosecutor_in_north_macedonia_who_speaks_english_and_set_up_a_jit(
    mira: Expert,
) -> None:
    make_expert("ilir", country="AL", languages="Albanian, English")
    make_expert("vesna", country="MK", languages="Macedonian", areas=(Area.MLA,))
    make_expert("bojan", country="MK", function="Police inspector", languages="English")
    make_expert("lidija", country="MK", state=Expert.State.PROPOSED)
    client = verified(mira.user)
    found = client.get(
        reverse("jitnetwork:search"),
        {"country": "MK", "area": Area.JIT_SETUP, "language": "english", "function": "prosecutor"},
    )
    assert found.status_code == 200
    names = [e.name for e in found.context["entries"]]
    assert names == ["Mira"]
    everyone = [e.name for e in client.get(reverse("jitnetwork:search")).context["entries"]]
    assert sorted(everyone) == ["Bojan", "Ilir", "Mira", "Vesna"], "confirmed experts only"


@pytest.mark.parametrize("experts", [3, 30])
def test_the_directory_takes_the_same_queries_for_3_or_30_experts(
    experts: int, mira: Expert, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(experts):
        make_expert(f"expert{n}", areas=(Area.MLA, Area.CYBER, Area.JIT_SETUP))
    client = verified(mira.user)
    with django_assert_num_queries(SEARCH_QUERIES):
        page = client.get(reverse("jitnetwork:search"), {"area": Area.JIT_SETUP})
    assert len(page.context["entries"]) == experts + 1


def test_malformed_search_input_is_refused_not_an_error(mira: Expert) -> None:
    client = verified(mira.user)
    page = client.get(reverse("jitnetwork:search"), {"country": "ZZ", "language": "x" * 500})
    assert page.status_code == 200
    assert page.context["form"].errors


def test_a_national_coordinator_proposes_for_their_country_and_the_network_coordinator_confirms(
    nada: User, nikola: User, mira: Expert
) -> None:
    ana = User.objects.create_user("ana", password="pw", first_name="Ana")
    proposal = {
        "username": "ana",
        "institution": "Ministry of Interior",
        "function": "Financial investigator",
        "languages": "English, Macedonian",
        "areas": [Area.FINANCIAL, Area.ASSET_RECOVERY],
        "jits_count": 3,
        "jit_years": "2018,2021 , 2024",
        "email": "ana@example.org",
        "phone": "+389 70 000 000",
    }
    answer = verified(nada).post(reverse("jitnetwork:propose"), proposal)
    assert answer.status_code == 302
    expert = Expert.objects.get(user=ana)
    assert (expert.country, expert.state, expert.jit_years) == (
        "MK",
        "proposed",
        "2018, 2021, 2024",
    )
    assert sorted(expert.areas.values_list("area", flat=True)) == ["asset_recovery", "financial"]
    verified(nada).post(reverse("jitnetwork:propose"), proposal)
    assert Expert.objects.filter(user=ana).count() == 1, "a repeated proposal is one"

    member = verified(mira.user)
    assert "Ana" not in [
        e.name for e in member.get(reverse("jitnetwork:search")).context["entries"]
    ]
    assert verified(nada).post(reverse("jitnetwork:confirm", args=[expert.pk])).status_code == 403

    assert verified(nikola).post(reverse("jitnetwork:confirm", args=[expert.pk])).status_code == 302
    expert.refresh_from_db()
    assert expert.state == Expert.State.CONFIRMED and expert.confirmed_by == nikola
    assert "Ana" in [e.name for e in member.get(reverse("jitnetwork:search")).context["entries"]]


def test_a_proposal_with_case_details_in_the_years_or_an_unknown_account_is_refused(
    nada: User,
) -> None:
    answer = verified(nada).post(
        reverse("jitnetwork:propose"),
        {
            "username": "nobody",
            "institution": "x",
            "function": "x",
            "languages": "x",
            "areas": [Area.MLA],
            "jits_count": 1,
            "jit_years": "2019 case KTR-123/19",
        },
    )
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert set(errors) == {"username", "jit_years"}
    assert not Expert.objects.exists()
