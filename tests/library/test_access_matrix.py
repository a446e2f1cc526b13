"""Every page of the library × every kind of visitor, taken from the URLconf.

Each view declares `@access.public` (reading: published documents open to anyone, drafts to
staff only) or `@access.needs(Can.EDIT)` (staff). For a published document: a public page
opens for everyone; an editing page sends a visitor to log in, answers 403 to a signed-in
non-staff user and opens for staff. For a draft, reading pages are 404 to anyone but staff
(its existence is not told). A POST-only view is posted to with empty data, in a savepoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from caseroom.library import access, actions
from caseroom.library.access import Can
from caseroom.library.actions import SectionData
from caseroom.library.extract import extract
from tests.matrix import pages_of

from .conftest import make_document

NAMESPACE = "library"
VISITORS = ("anonymous", "outsider", "staff", "superuser")


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    kwargs: tuple[str, ...]
    view: Callable[..., HttpResponse]

    @property
    def needs(self) -> Can | None:
        need = getattr(self.view, "needs", None)
        return need if isinstance(need, Can) else None

    @property
    def public(self) -> bool:
        return getattr(self.view, "public", False) is True


PAGES = pages_of(NAMESPACE, Page)


@pytest.fixture
def values(db: None) -> dict[str, dict[str, str]]:
    """URL kwargs for a published document and for a draft, each with a section and a file."""
    made = {}
    for slug, published in (("open-doc", True), ("draft-doc", False)):
        document = make_document(
            slug,
            {"en": ("Title", "Summary")},
            published=published,
            sections=[SectionData("1", {"en": ("One", "Body")})],
        )
        actions.save_version(document, "en", title="Title", upload=(b"# x", extract(b"# x")))
        made[slug] = {"slug": slug, "key": "1", "language": "en", "audience": "police"}
    return {"published": made["open-doc"], "draft": made["draft-doc"]}


def _client(visitor: str, request: pytest.FixtureRequest) -> Client:
    if visitor == "anonymous":
        return Client()
    if visitor == "outsider":
        client: Client = request.getfixturevalue("outsider_client")
        return client
    if visitor == "staff":
        client = request.getfixturevalue("facilitator_client")
        return client
    client = Client()
    client.force_login(User.objects.create_superuser("ada-lib", password="pw-ada"))
    return client


def expected(page: Page, visitor: str, draft: bool) -> str:
    if page.public:
        if draft and "slug" in page.kwargs and visitor in ("anonymous", "outsider"):
            return "missing"
        return "ok"
    if visitor == "anonymous":
        return "login"
    if visitor == "outsider":
        return "missing" if draft and "slug" in page.kwargs else "forbidden"
    return "ok"


def _status(client: Client, url: str) -> tuple[int, str]:
    with transaction.atomic():
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        if hasattr(response, "streaming_content"):  # read to the end: the file is closed
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", "")


def _good(want: str, status: int, where: str) -> bool:
    if want == "ok":
        return (status < 400 or status in (405, 503)) and "/accounts/login/" not in where
    if want == "forbidden":
        return status == 403
    if want == "missing":
        return status == 404
    return status == 302 and "/accounts/login/" in where


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
@pytest.mark.parametrize("state", ["published", "draft"])
def test_each_visitor_gets_what_the_page_declares(
    page: Page, state: str, values: dict[str, dict[str, str]], request: pytest.FixtureRequest
) -> None:
    assert page.public or page.needs is not None, f"{page.name} declares nothing"
    url = reverse(page.name, kwargs={name: values[state][name] for name in page.kwargs})
    wrong = []
    for visitor in VISITORS:
        status, where = _status(_client(visitor, request), url)
        want = expected(page, visitor, state == "draft")
        if not _good(want, status, where):
            wrong.append(f"{visitor}: expected {want}, got {status} {where}".rstrip())
    assert not wrong, f"{url} ({page.name}):\n  " + "\n  ".join(wrong)


def test_the_matrix_finds_the_library_pages() -> None:
    names = {page.name for page in PAGES}
    assert {"library:index", "library:document", "library:section", "library:download"} <= names
    assert {"library:create", "library:edit", "library:version", "library:publish"} <= names
    assert all(page.public or page.needs is Can.EDIT for page in PAGES)


def test_the_read_rule_published_for_everyone_drafts_for_staff(
    values: dict[str, dict[str, str]], outsider: User, facilitator: User
) -> None:
    from caseroom.library.models import Document

    published = Document.objects.get(slug="open-doc")
    draft = Document.objects.get(slug="draft-doc")
    assert list(access.documents_visible_to(outsider)) == [published]
    assert set(access.documents_visible_to(facilitator)) == {published, draft}
    assert access.library_editor(facilitator) and not access.library_editor(outsider)
    assert not access.may(outsider, Can.EDIT, published)
