"""Who may open and change delivery's pages: every URL of the part, as each role.

The URLs come from delivery's own URLconf, so a new page is in this matrix the day it
exists; the whole app's role × page matrix is tests/programmes/test_access_matrix.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from caseroom.programmes.access import Can
from caseroom.programmes.delivery import urls
from caseroom.programmes.models import Enrolment, Module, Programme, Session

pytestmark = pytest.mark.django_db

WRITES = {Can.DELIVER, Can.MANAGE}


def _patterns() -> Iterator[URLPattern]:
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        yield pattern


def _url(pattern: URLPattern, programme: Programme, module: Module, session: Session) -> str:
    ids = {"programme_id": programme.pk, "module_id": module.pk, "session_id": session.pk}
    names = pattern.pattern.converters  # type: ignore[attr-defined]
    return reverse(f"programmes:{pattern.name}", kwargs={k: ids[k] for k in names})


def test_every_delivery_page_declares_its_capability() -> None:
    for pattern in _patterns():
        assert getattr(pattern.callback, "needs", None) in set(Can), pattern.name


def test_an_observer_reads_but_gets_403_on_every_write(
    observer_client: Client, module: Module, session: Session, enrolment: Enrolment
) -> None:
    programme = module.programme
    for pattern in _patterns():
        url = _url(pattern, programme, module, session)
        need = pattern.callback.needs  # type: ignore[attr-defined]
        if need in WRITES:
            assert observer_client.get(url).status_code in (403, 405), url
            assert observer_client.post(url, {}).status_code in (403, 405), url
        else:
            assert observer_client.get(url).status_code == 200, url


def test_a_stranger_gets_404_on_every_page(
    stranger_client: Client, module: Module, session: Session
) -> None:
    for pattern in _patterns():
        url = _url(pattern, module.programme, module, session)
        assert stranger_client.get(url).status_code in (404, 405), url
        assert stranger_client.post(url, {}).status_code in (404, 405), url


def test_anonymous_visitors_are_sent_to_log_in(
    client: Client, module: Module, session: Session
) -> None:
    for pattern in _patterns():
        response = client.get(_url(pattern, module.programme, module, session))
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_trainer_member_opens_every_delivery_page_but_the_managers(
    trainer_client: Client, module: Module, session: Session, enrolment: Enrolment
) -> None:
    for pattern in _patterns():
        url = _url(pattern, module.programme, module, session)
        need = pattern.callback.needs  # type: ignore[attr-defined]
        if need == Can.MANAGE:
            assert trainer_client.post(url, {}).status_code == 403, url
        else:  # 405: a page that only takes a POST
            assert trainer_client.get(url).status_code in (200, 405), url
