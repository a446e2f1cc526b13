"""Needs-assessment test helpers: the ready form in place, answers to it, and a URLconf.

`answers(...)` is a complete, valid answer to the ready-made form; `add_responses` stores
many at once (bulk, as the demo does) with every rating set to one level, so each group's
mean is known. The URLconf is the project's with the needs URLs in the `programmes`
namespace, for as long as caseroom/programmes/urls.py does not include them itself; tests
use it with `pytest.mark.urls(URLCONF)`.
"""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, include, path

from caseroom import urls as project
from caseroom.programmes import urls as programmes
from caseroom.programmes.models import NeedsAssessment, Programme
from caseroom.programmes.needs import actions
from caseroom.programmes.needs import urls as needs
from caseroom.surveys.models import Response

URLCONF = "tests.programmes.support_needs"

RATINGS = (
    "c_trends",
    "c_law",
    "c_indicators",
    "c_protection",
    "c_roles",
    "c_asylum",
    "c_children",
    "c_labour",
    "c_networks",
    "c_evidence",
    "c_financial",
    "c_crossborder",
    "c_interagency",
    "c_referral",
)


def _with_needs() -> list[URLPattern | URLResolver]:
    included = any(
        getattr(p, "urlconf_name", None) is needs.urlpatterns for p in programmes.urlpatterns
    )
    inner = [*programmes.urlpatterns, *([] if included else [path("", include(needs.urlpatterns))])]
    keep = [
        cast(URLPattern | URLResolver, p)
        for p in project.urlpatterns
        if getattr(p, "app_name", None) != "programmes"
    ]
    return [*keep, path("", include((inner, "programmes")))]


urlpatterns = _with_needs()


def ready(programme: Programme) -> NeedsAssessment:
    """The ready-made form in place, its round open."""
    return actions.open_round(actions.use_ready_form(programme))


def answers(
    audience: str = "frontline",
    agency: str = "border_police",
    country: str = "MK",
    level: int = 3,
    **override: Any,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "audience": audience,
        "agency": agency,
        "country": country,
        "years": "3to5",
        **{name: str(level) for name in RATINGS},
        "methods": ["simulation", "cases"],
        "length": "two_three",
        "together": "yes",
    }
    found.update(override)
    return found


def add_responses(assessment: NeedsAssessment, n: int, **given: Any) -> None:
    """`n` responses with the same answers (`answers(**given)`), in one insert."""
    assert assessment.round is not None
    Response.objects.bulk_create(
        Response(round=assessment.round, language="en", answers=answers(**given)) for _ in range(n)
    )
