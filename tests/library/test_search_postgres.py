"""PostgreSQL's two-stage ranking of common queries (search_postgres.py): the documents about
the words (title, summary, section headings) chosen by the small `head` vector, in a fixed
shuffle rather than by id when they tie, then ranked block by block by their best passage;
pages that never repeat or skip a document; the reader told. The thresholds are lowered so a
few documents make a query common (without statistics every query is rare)."""

from __future__ import annotations

import pytest
from django.db import connection
from pytest_django import DjangoAssertNumQueries

from caseroom.library import search_postgres
from caseroom.library.search import PAGE_SIZE, Filters, SearchPage, search

from .conftest import make_document

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's ranking (DATABASE_URL)"
)

PUBLIC = Filters()


def slugs(page: SearchPage) -> list[str]:
    return [hit.slug for hit in page.hits]


@pytest.fixture
def common(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query is common, three documents about it are enough to list only them, and
    blocks hold seven documents (not a divisor of the page size: pages cross blocks)."""
    monkeypatch.setattr(search_postgres, "COMMON", 0)
    monkeypatch.setattr(search_postgres, "MIN_HEADS", 3)
    monkeypatch.setattr(search_postgres, "BLOCK", 7)


def test_a_rare_query_is_ranked_exactly_over_every_passage(db: None) -> None:
    make_document("titled", {"en": ("Controlled delivery", "Customs.")})
    make_document("body", {"en": ("Customs note", "A controlled delivery was agreed.")})
    page = search("controlled delivery", PUBLIC, "en")
    assert slugs(page) == ["titled", "body"]
    assert page.total == 2 and page.notice == ""


def test_a_common_query_lists_the_documents_about_it_and_says_so(db: None, common: None) -> None:
    for n in range(4):
        make_document(f"titled-{n}", {"en": (f"Smuggling routes {n}", "Border police.")})
    make_document("summary", {"en": ("Border police", "Routes of smuggling by sea.")})
    deep = "Preamble of the memorandum. " * 200 + "Smuggling was mentioned once."
    make_document("deep", {"en": ("Annual report", "Figures.")}, body=deep)
    page = search("smuggling", PUBLIC, "en")
    assert sorted(slugs(page)) == ["summary", "titled-0", "titled-1", "titled-2", "titled-3"]
    assert slugs(page)[-1] == "summary"  # a title counts more than a summary
    assert page.total == 5
    assert "Very many passages match" in page.notice
    assert "title, summary or a section heading" in page.notice


def test_a_section_heading_makes_a_document_one_about_the_words(db: None, common: None) -> None:
    from caseroom.library.actions import SectionData

    for n in range(3):
        make_document(f"titled-{n}", {"en": (f"Joint teams {n}", "Agreements.")})
    make_document(
        "guide",
        {"en": ("Cooperation guidelines", "For practitioners.")},
        sections=[SectionData("4.2", {"en": ("Joint investigation teams", "Agreements.")})],
    )
    page = search("joint", PUBLIC, "en")
    assert "guide" in slugs(page)
    hit = page.hits[slugs(page).index("guide")]
    assert hit.url == "/library/guide/s/4.2/"


@pytest.fixture
def many(db: None, common: None) -> list[str]:
    made = [f"doc-{n:03d}" for n in range(PAGE_SIZE * 2 + 5)]
    for slug in made:
        make_document(slug, {"en": (f"Smuggling note {slug}", "Smuggling route.")})
    return made


def test_pages_of_a_common_query_neither_repeat_nor_skip_a_document(many: list[str]) -> None:
    pages = [search("smuggling", PUBLIC, "en", page=n) for n in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [PAGE_SIZE, PAGE_SIZE, 5]
    shown = [slug for page in pages for slug in slugs(page)]
    assert sorted(shown) == many
    assert {page.total for page in pages} == {len(many)}
    # Asked again, or after another page, a page is the same.
    assert slugs(search("smuggling", PUBLIC, "en", page=2)) == slugs(pages[1])


def test_equally_good_documents_are_not_taken_in_the_order_they_were_stored(
    many: list[str],
) -> None:
    first = slugs(search("smuggling", PUBLIC, "en"))
    assert first != many[:PAGE_SIZE]
    assert sorted(first) != many[:PAGE_SIZE]  # not the first stored, in any order


def test_a_page_past_the_end_of_a_common_query_shows_the_last_page(many: list[str]) -> None:
    beyond = search("smuggling", PUBLIC, "en", page=40)
    assert beyond.page == 3 and len(beyond.hits) == 5


def test_filters_apply_to_the_documents_of_a_common_query(db: None, common: None) -> None:
    # A filter leaving fewer than MIN_HEADS documents about the words ranks exactly.
    for n in range(4):
        make_document(f"rs-{n}", {"en": (f"Smuggling {n}", "Routes.")}, country="RS")
    make_document("mk", {"en": ("Smuggling in MK", "Routes.")}, country="MK")
    make_document("draft", {"en": ("Smuggling draft", "Routes.")}, published=False)
    make_document("sr", {"sr-latn": ("Smuggling na srpskom", "Rute.")}, country="RS")
    assert sorted(slugs(search("smuggling", Filters(country="RS"), "en"))) == [
        "rs-0",
        "rs-1",
        "rs-2",
        "rs-3",
        "sr",
    ]
    assert slugs(search("smuggling", Filters(country="RS", language="sr-latn"), "en")) == ["sr"]
    assert "draft" in slugs(search("smuggling", Filters(include_drafts=True), "en"))
    assert "draft" not in slugs(search("smuggling", PUBLIC, "en"))


@pytest.mark.parametrize("documents", [4, 30])
def test_a_common_query_takes_the_same_queries_whatever_the_results(
    db: None, common: None, documents: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(documents):
        make_document(f"doc-{n}", {"en": (f"Smuggling {n}", "Smuggling.")})
    with django_assert_num_queries(3):  # ranked page with its total, passages, titles
        page = search("smuggling", PUBLIC, "en")
    assert len(page.hits) == min(documents, PAGE_SIZE) and page.notice


def test_the_planners_statistics_say_which_queries_are_common(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_postgres, "COMMON", 20)
    monkeypatch.setattr(search_postgres, "MIN_HEADS", 3)
    for n in range(30):
        make_document(f"doc-{n:02d}", {"en": (f"Smuggling note {n}", "Routes by sea.")})
    make_document("rare", {"en": ("Controlled delivery", "Customs.")})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE library_passage")
    assert "Very many passages match" in search("smuggling", PUBLIC, "en").notice
    # Every word is required: one rare word makes the query rare.
    assert search("smuggling customs", PUBLIC, "en").notice == ""
    assert search("controlled", PUBLIC, "en").notice == ""
