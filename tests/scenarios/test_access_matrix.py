"""Every page of the Scenarios area × every kind of visitor, taken from the URLconf (the
approach of tests/programmes/test_access_matrix.py), "try it" included (it lives in
exercises, a layer above, under the `tryout` namespace).

Each view declares `@access.needs(Can.MANAGE)`; expected answers: a trainer (staff) and a
superuser get the page, anyone else signed in 403 (whatever the id), an anonymous visitor the
log-in page. A POST-only view is posted to with empty data, in a savepoint rolled back after.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from caseroom.scenarios.access import ALLOWED, Can, Role
from caseroom.scenarios.models import ScenarioVersion
from tests.matrix import Page, mismatch, pages_of

PAGES = pages_of("scenarios") + pages_of("tryout")
VISITORS = ("trainer", "superuser", "outsider", "anonymous")


def expected(page: Page, visitor: str) -> str:
    if visitor == "anonymous":
        return "login"
    if visitor == "outsider":
        return "forbidden"
    assert page.needs is not None
    return "ok" if page.needs in ALLOWED[Role.TRAINER] else "forbidden"


def _client(visitor: str, request: pytest.FixtureRequest) -> Client:
    if visitor == "anonymous":
        return Client()
    if visitor == "superuser":
        client: Client = request.getfixturevalue("admin_client")
        return client
    client = request.getfixturevalue(f"{visitor}_client")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_each_visitor_gets_what_the_page_declares(
    page: Page, mini_version: ScenarioVersion, request: pytest.FixtureRequest
) -> None:
    assert isinstance(page.needs, Can), f"{page.name} declares @access.needs(Can.X)"
    values = {"version_id": mini_version.pk, "fmt": "dot"}
    missing = set(page.kwargs) - set(values)
    assert not missing, f"{page.name} takes {missing}: add it to the values"
    url = reverse(page.name, kwargs={name: values[name] for name in page.kwargs})
    wrong = [
        problem
        for visitor in VISITORS
        if (problem := mismatch(expected(page, visitor), visitor, url, _client(visitor, request)))
    ]
    assert not wrong, f"{url} ({page.name}):\n  " + "\n  ".join(wrong)


@pytest.mark.django_db
def test_an_unknown_version_is_403_to_an_outsider_and_404_to_a_trainer(
    trainer_client: Client, outsider_client: Client
) -> None:
    for url in ("/scenarios/999/", "/scenarios/999/graph.dot"):
        assert outsider_client.get(url).status_code == 403
        assert trainer_client.get(url).status_code == 404
    assert outsider_client.post("/scenarios/999/try/").status_code == 403
    assert trainer_client.post("/scenarios/999/try/").status_code == 404


@pytest.mark.django_db
def test_an_outsider_cannot_upload(outsider: User, store: object) -> None:
    client = Client()
    client.force_login(outsider)
    assert client.post("/scenarios/upload/", {}).status_code == 403
    assert not ScenarioVersion.objects.exists()


def test_the_matrix_finds_every_scenarios_page() -> None:
    names = {page.name for page in PAGES}
    assert names == {
        "scenarios:index",
        "scenarios:upload",
        "scenarios:version",
        "scenarios:graph",
        "tryout:try",
    }
