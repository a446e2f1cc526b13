"""The library's pages: the list with search and filters (a fixed number of queries at any
size), a document in the reader's language with the fallback said, section URLs, the pack
PDF per audience, and the staff pages that create, edit and publish."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pytest_django import DjangoAssertNumQueries

from caseroom.lib.pdf import ReportUnavailable
from caseroom.library.actions import SectionData
from caseroom.library.models import Document

from .conftest import make_document


@pytest.fixture
def guide(db: None) -> Document:
    return make_document(
        "guide",
        {
            "en": ("Cooperation guidelines", "How to cooperate."),
            "sr-latn": ("Smernice o saradnji", "Kako sarađivati."),
        },
        kind="guidelines",
        audiences=("police", "prosecutors"),
        sections=[
            SectionData("4", {"en": ("Joint teams", "Part four."), "sr-latn": ("Timovi", "Deo.")}),
            SectionData("4.2", {"en": ("Need assessment", "When a **team** helps.")}),
            SectionData("4.20", {"en": ("Another part", "Not under 4.2.")}),
            SectionData("5", {"en": ("Victims", "Protection.")}, audiences=0b10000),
        ],
    )


@pytest.mark.parametrize("documents", [5, 40])
def test_the_list_page_takes_the_same_queries_at_any_size(
    db: None, documents: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(documents):
        make_document(
            f"doc-{n:02d}", {"en": (f"Handbook {n}", "Smuggling routes."), "mk": ("Прирачник", "")}
        )
    client = Client()
    with django_assert_num_queries(3):  # count, page of ids, titles
        listing = client.get("/library/")
    assert listing.status_code == 200
    assert listing.content.decode().count('<span class="tag">Handbook</span>') == min(documents, 20)
    with django_assert_num_queries(3):  # ranked page with its total, passages, titles
        found = client.get("/library/", {"q": "smuggling", "country": "regional"})
    assert found.content.decode().count("<mark>Smuggling</mark>") == min(documents, 20)


def test_the_list_page_shows_highlighted_passages_and_pages(guide: Document) -> None:
    page = Client().get("/library/", {"q": "team"}).content.decode()
    assert "Cooperation guidelines" in page
    assert "<mark>teams</mark>" in page  # "team" stemmed finds "teams"
    assert 'href="/library/guide/s/4/"' in page
    inner = Client().get("/library/", {"q": "assessment"}).content.decode()
    assert 'href="/library/guide/s/4.2/"' in inner and "<mark>assessment</mark>" in inner


def test_bad_filters_are_named_never_a_500(guide: Document) -> None:
    response = Client().get("/library/", {"audience": "aliens", "page": "x", "q": "x" * 1001})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select a valid choice" in text and "Enter a whole number" in text
    assert "at most 1000 characters" in text


def test_a_document_is_shown_in_the_readers_language(guide: Document) -> None:
    client = Client()
    with translation.override("sr-latn"):
        page = client.get("/library/guide/", HTTP_ACCEPT_LANGUAGE="sr-latn").content.decode()
        said = gettext("Not yet translated: shown in %(language)s.") % {"language": "English"}
    assert "Smernice o saradnji" in page and "Kako sarađivati." in page
    # §4.2 has no Serbian text: shown in English, and said in Serbian.
    assert 'id="s-4-2"' in page and "Need assessment" in page
    assert said in page and said != "Not yet translated: shown in English."


def test_a_missing_language_falls_back_to_english_and_says_so(guide: Document) -> None:
    page = Client().get("/library/guide/?lang=mk").content.decode()
    assert "Cooperation guidelines" in page
    assert "not available in Македонски: shown in English" in page


def test_the_document_page_has_a_contents_with_anchors_and_renders_markdown(
    guide: Document, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(5):  # document, languages, version, versions, sections
        page = Client().get("/library/guide/?lang=en").content.decode()
    assert '<a href="#s-4-2">§4.2 Need assessment</a>' in page
    assert "When a <strong>team</strong> helps." in page


def test_a_section_url_shows_the_section_and_what_is_inside_it(guide: Document) -> None:
    page = Client().get("/library/guide/s/4/?lang=en").content.decode()
    assert "Joint teams" in page and "Need assessment" in page and "Another part" in page
    inner = Client().get("/library/guide/s/4.2/?lang=en").content.decode()
    assert "Need assessment" in inner and "Another part" not in inner and "Victims" not in inner
    assert Client().get("/library/guide/s/9.9/").status_code == 404
    assert Client().get("/library/guide/s/<x>/").status_code == 404


def test_the_pack_is_a_pdf_of_the_audiences_documents_and_sections(guide: Document) -> None:
    make_document(
        "other", {"en": ("Social work card", "For social workers.")}, audiences=("social-workers",)
    )
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint is not installed here")
    response = Client().get("/library/pack/police/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert Client().get("/library/pack/aliens/").status_code == 404


def test_the_pack_holds_the_sections_for_its_audience(guide: Document) -> None:
    from caseroom.library.reader import pack

    make_document(
        "sw", {"en": ("Social work card", "For social workers.")}, audiences=("social-workers",)
    )
    police = pack("police", "en")
    assert [d.slug for d in police.guidelines] == ["guide"]
    # §5 is marked for social workers only; the rest concern all of the guide's audiences.
    assert [r.key for r in police.guidelines[0].sections] == ["4", "4.2", "4.20"]
    assert police.documents == ()
    social = pack("social-workers", "en")
    assert [d.slug for d in social.documents] == ["sw"] and social.guidelines == ()


def test_the_pack_says_what_to_install_without_weasyprint(
    guide: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseroom.library import views

    def missing(html: str, *, identifier: bytes) -> bytes:
        raise ReportUnavailable("PDF needs WeasyPrint")

    monkeypatch.setattr(views, "html_to_pdf", missing)
    response = Client().get("/library/pack/police/")
    assert response.status_code == 503 and "PDF needs WeasyPrint" in response.content.decode()


# ---------------------------------------------------------------- staff pages


def test_staff_create_a_document_then_add_its_first_language(facilitator_client: Client) -> None:
    response = facilitator_client.post(
        "/library/new/",
        {
            "slug": "mla-form",
            "kind": "template",
            "country": "RS",
            "audiences": ["prosecutors", "judges"],
            "topics": ["mla"],
            "source": "Demo",
            "published": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/library/mla-form/version/"
    document = Document.objects.get(slug="mla-form")
    assert (document.kind, document.country, document.published) == ("template", "RS", True)
    facilitator_client.post(
        "/library/mla-form/version/", {"language": "sr-latn", "title": "Zamolnica"}
    )
    assert "Zamolnica" in Client().get("/library/mla-form/").content.decode()


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"slug": "new", "kind": "template", "country": "RS"}, "reserved word"),
        ({"slug": "guide", "kind": "template", "country": "RS"}, "taken by another document"),
        ({"slug": "Bad slug!", "kind": "template", "country": "RS"}, "Enter a valid"),
        ({"slug": "x" * 81, "kind": "template", "country": "RS"}, "at most 80 characters"),
        ({"slug": "ok", "kind": "virus", "country": "Atlantis"}, "Select a valid choice"),
    ],
)
def test_bad_document_input_is_named_next_to_its_field(
    guide: Document, facilitator_client: Client, data: dict[str, str], field_message: str
) -> None:
    response = facilitator_client.post("/library/new/", data)
    assert response.status_code == 400
    assert field_message in response.content.decode()


def test_editing_keeps_the_short_name_and_publishing_withdraws(
    guide: Document, facilitator_client: Client
) -> None:
    facilitator_client.post(
        "/library/guide/edit/",
        {"slug": "renamed", "kind": "handbook", "country": "AL", "audiences": ["ngos"]},
    )
    guide.refresh_from_db()
    assert (guide.slug, guide.kind, guide.country, guide.structured) == (
        "guide",
        "handbook",
        "AL",
        True,
    )
    facilitator_client.post("/library/guide/publish/", {"published": "0"})
    guide.refresh_from_db()
    assert not guide.published
    assert Client().get("/library/guide/").status_code == 404
