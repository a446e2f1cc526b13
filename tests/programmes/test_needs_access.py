"""The access matrix over the needs-assessment pages, as tests/programmes/test_access_matrix.py
checks every page: each declared with @access.needs, each visitor answered as declared.

The matrix reads the project's URLconf; until caseroom/programmes/urls.py includes the needs
URLs, this runs its very checks over them with the test URLconf that does (support_needs).
"""

from __future__ import annotations

import pytest
from django.test import Client

from caseroom.programmes.access import Can
from caseroom.programmes.models import Programme, Session
from caseroom.programmes.needs.actions import open_round, use_ready_form

from .support_needs import URLCONF, add_responses
from .test_access_matrix import (  # noqa: F401 (kwarg_values is a fixture)
    VISITORS,
    _client,
    _mismatch,
    _url,
    kwarg_values,
    programme_pages,
)

pytestmark = pytest.mark.urls(URLCONF)

DECLARED = {
    "needs_assessment": Can.READ,
    "needs_qr": Can.READ,
    "needs_results": Can.READ,
    "needs_results_csv": Can.READ,
    "needs_results_xlsx": Can.READ,
    "needs_upload": Can.MANAGE,
    "needs_use_ready": Can.MANAGE,
    "needs_questions": Can.MANAGE,
    "needs_open": Can.MANAGE,
    "needs_close": Can.MANAGE,
    "needs_responses_csv": Can.MANAGE,
    "needs_responses_xlsx": Can.MANAGE,
}


def test_every_needs_page_declares_the_capability_the_issue_gives_it() -> None:
    pages = {page.name.split(":")[1]: page.needs for page in programme_pages()}
    assert {name: pages.get(name) for name in DECLARED} == DECLARED


@pytest.mark.parametrize("opened", [False, True], ids=["no assessment", "open round"])
def test_each_visitor_gets_what_each_needs_page_declares(
    programme: Programme,
    kwarg_values: dict[str, object],  # noqa: F811
    session: Session,
    request: pytest.FixtureRequest,
    opened: bool,
) -> None:
    if opened:
        assessment = open_round(use_ready_form(programme))
        add_responses(assessment, 12)
    clients: dict[str, Client] = {v: _client(v, request, session) for v in VISITORS}
    wrong = []
    for page in programme_pages():
        if page.name.split(":")[1] not in DECLARED:
            continue
        url = _url(page, kwarg_values)
        for visitor, client in clients.items():
            problem = _mismatch(page, visitor, url, client)
            if problem:
                wrong.append(f"{page.name}: {problem}")
    assert not wrong, "\n".join(wrong)
