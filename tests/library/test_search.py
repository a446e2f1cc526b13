"""Full-text search: every language, accents folded, English stemmed, the matching passage
highlighted and escaped, filters, paging, and hostile queries never reaching the engine as
syntax. The same tests run on SQLite (FTS5) and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest
from django.db import connection
from pytest_django import DjangoAssertNumQueries

from caseroom.library import actions
from caseroom.library.actions import SectionData
from caseroom.library.extract import Extracted
from caseroom.library.models import Document, Passage
from caseroom.library.query import MAX_QUERY_CHARS, parse
from caseroom.library.search import MAX_PAGE, PAGE_SIZE, Filters, SearchPage, search

from .conftest import make_document

PUBLIC = Filters()


def slugs(page: SearchPage) -> list[str]:
    return [hit.slug for hit in page.hits]


@pytest.fixture
def shelf(db: None) -> dict[str, Document]:
    guide = make_document(
        "guide",
        {
            "en": ("Cooperation guidelines", "Mutual legal assistance and joint teams."),
            "sr-latn": ("Smernice o saradnji", "Međunarodna pravna pomoć."),
        },
        kind="guidelines",
        audiences=("prosecutors",),
        topics=("jit",),
        sections=[
            SectionData(
                "4.2",
                {
                    "en": ("Joint investigation teams", "Teams need an agreement."),
                    "sr-latn": (
                        "Zajednički istražni timovi",
                        "Inspektor Đorđević i tužilac Ćirić.",
                    ),
                },
            ),
        ],
    )
    card = make_document(
        "card",
        {"en": ("Forced labour indicators", "Withholding of wages and debt bondage.")},
        kind="indicator-card",
        audiences=("labour-inspectors",),
        topics=("victim-identification",),
        country="RS",
    )
    law = make_document(
        "law-mk",
        {"mk": ("Кривичен законик", "Трговија со луѓе и криумчарење.")},
        kind="law",
        audiences=("judges",),
        country="MK",
    )
    draft = make_document("draft", {"en": ("Draft on wages", "Wages draft.")}, published=False)
    return {"guide": guide, "card": card, "law": law, "draft": draft}


def test_a_word_of_an_english_summary_finds_its_document(shelf: dict[str, Document]) -> None:
    page = search("bondage", PUBLIC, "en")
    assert slugs(page) == ["card"]
    assert page.hits[0].where == "Title and summary"
    assert "<mark>bondage</mark>" in page.hits[0].passage
    assert page.hits[0].url == "/library/card/"


def test_a_section_is_found_in_serbian_and_links_to_itself(shelf: dict[str, Document]) -> None:
    page = search("istražni", PUBLIC, "sr-latn")
    assert slugs(page) == ["guide"]
    assert page.hits[0].url == "/library/guide/s/4.2/"
    assert page.hits[0].language == "sr-latn"
    assert "§4.2" in page.hits[0].heading
    assert page.hits[0].title == "Smernice o saradnji"


def test_cyrillic_text_is_searchable(shelf: dict[str, Document]) -> None:
    assert slugs(search("трговија", PUBLIC, "mk")) == ["law-mk"]


@pytest.mark.parametrize("query", ["trgovija", "Trgovija so lugje", "криумчарење"])
def test_a_word_typed_in_the_other_script_finds_the_text(
    shelf: dict[str, Document], query: str
) -> None:
    """Serbian is written in both scripts and Macedonian in Cyrillic; people type on
    whatever keyboard they have."""
    assert slugs(search(query, PUBLIC, "sr-latn")) == ["law-mk"], query


def test_a_cyrillic_query_finds_serbian_latin_text(shelf: dict[str, Document]) -> None:
    assert slugs(search("истражни тимови", PUBLIC, "sr")) == ["guide"]
    assert slugs(search("ljudima", PUBLIC, "en")) == []  # nothing of the kind on the shelf
    make_document("sr-cyr", {"sr-cyrl": ("Трговина људима", "Заштита жртава.")})
    assert slugs(search("trgovina ljudima", PUBLIC, "sr-latn")) == ["sr-cyr"]


def test_transliteration_leaves_other_words_as_typed() -> None:
    assert parse("smuggling край").words == (("smuggling", "смугглинг"), ("край",))
    assert parse("quay").words == (("quay",),)  # q, w, x, y: not Serbian Latin


@pytest.mark.parametrize("query", ["Ciric", "ćirić", "CIRIĆ", "Djordjevic", "Đorđević", "dordevic"])
def test_names_match_with_or_without_their_diacritics(
    shelf: dict[str, Document], query: str
) -> None:
    if query == "dordevic" and connection.vendor == "sqlite":
        pytest.skip("FTS5 keeps đ a letter of its own: 'dj' is the spelling that matches")
    page = search(query, PUBLIC, "en")
    assert slugs(page) == ["guide"], query
    assert "<mark>" in page.hits[0].passage


def test_text_written_without_d_stroke_is_found_by_a_name_written_with_it(db: None) -> None:
    make_document("memo", {"en": ("Memo", "Statement of Djordjevic taken on Monday.")})
    assert slugs(search("Đorđević", PUBLIC, "en")) == ["memo"]


def test_english_words_are_stemmed(shelf: dict[str, Document]) -> None:
    # "agreements" finds "agreement", "team" finds "teams".
    assert slugs(search("agreements", PUBLIC, "en")) == ["guide"]
    assert slugs(search("team", PUBLIC, "en")) == ["guide"]


def test_every_word_is_required(shelf: dict[str, Document]) -> None:
    assert slugs(search("wages bondage", PUBLIC, "en")) == ["card"]
    assert slugs(search("wages teams", PUBLIC, "en")) == []


def test_a_passage_is_escaped_before_it_is_highlighted(db: None) -> None:
    make_document(
        "hostile", {"en": ("<b>Bold</b> title", "<script>alert(1)</script> smuggling & <i>x</i>")}
    )
    hit = search("smuggling", PUBLIC, "en").hits[0]
    assert "<script>" not in hit.passage and "<i>" not in hit.passage
    assert "<mark>smuggling</mark>" in hit.passage
    if connection.vendor == "sqlite":  # PostgreSQL's ts_headline drops tags itself
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>smuggling</mark> &amp; &lt;i&gt;"
            in hit.passage
        )
    make_document("amp", {"en": ("Amp", 'Routes & trafficking > 3 < 5 "quoted"')})
    passage = search("trafficking", PUBLIC, "en").hits[0].passage
    assert "&amp; <mark>trafficking</mark> &gt; 3 &lt; 5" in passage
    assert "<b>" not in search("bold", PUBLIC, "en").hits[0].heading


def test_the_text_of_an_uploaded_file_is_searched(shelf: dict[str, Document]) -> None:
    text = "Preamble. " * 400 + "The controlled delivery was agreed with the neighbouring State."
    upload = (b"%PDF-fake", Extracted("pdf", "application/pdf", text, "", "a" * 64))
    actions.save_version(shelf["card"], "en", title="Forced labour indicators", upload=upload)
    hit = search("controlled delivery", PUBLIC, "en").hits[0]
    assert hit.slug == "card" and hit.where == "Text"
    assert "<mark>controlled</mark> <mark>delivery</mark>" in hit.passage
    assert len(hit.passage) < 600  # the passage, not the whole text


def test_a_title_with_a_common_word_ranks_above_one_mention_deep_in_a_body(db: None) -> None:
    deep = "Preamble of the memorandum. " * 200 + "Cooperation was mentioned once."
    make_document("deep", {"en": ("Annual report", "Figures of the year.")}, body=deep)
    for n in range(6):
        make_document(f"body-{n}", {"en": (f"Note {n}", "Police cooperation across borders.")})
    make_document("titled", {"en": ("Cooperation handbook", "How to ask a neighbour.")})
    found = slugs(search("cooperation", PUBLIC, "en"))
    assert found[0] == "titled"
    assert found.index("titled") < found.index("deep")


def test_a_document_matching_in_many_passages_is_one_result(shelf: dict[str, Document]) -> None:
    actions.save_sections(
        shelf["guide"],
        [
            SectionData(f"5.{n}", {"en": (f"Teams part {n}", "Joint teams again.")})
            for n in range(5)
        ],
    )
    page = search("teams", PUBLIC, "en")
    assert slugs(page) == ["guide"]
    assert page.hits[0].more >= 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(audience="labour-inspectors"), ["card"]),
        (Filters(topic="jit"), ["guide"]),
        (Filters(country="RS"), ["card"]),
        (Filters(kind="indicator-card"), ["card"]),
        (Filters(language="sr-latn"), []),
        (Filters(include_drafts=True), ["card", "draft", "guide"]),
        (Filters(audience="judges"), []),
    ],
)
def test_filters_narrow_the_results(
    shelf: dict[str, Document], filters: Filters, expected: list[str]
) -> None:
    assert (
        sorted(slugs(search("wages", filters, "en")) + slugs(search("teams", filters, "en")))
        == expected
    )


def test_drafts_are_not_found_by_the_public(shelf: dict[str, Document]) -> None:
    assert slugs(search("draft", PUBLIC, "en")) == []
    assert slugs(search("draft", Filters(include_drafts=True), "en")) == ["draft"]


def test_an_empty_query_lists_the_documents_the_filters_select(shelf: dict[str, Document]) -> None:
    page = search("", PUBLIC, "en")
    assert sorted(slugs(page)) == ["card", "guide", "law-mk"]
    assert page.total == 3 and page.notice == ""
    assert slugs(search("  ", Filters(country="MK"), "en")) == ["law-mk"]


HOSTILE = [
    '"',
    '"unbalanced',
    "NEAR(wages bondage, 2)",
    "wages*",
    "^wages",
    "title:wages",
    "wages AND",
    "OR",
    "NOT wages",
    "(((",
    "') OR 1=1; DROP TABLE library_document; --",
    "wages & | ! <-> :*",
    "{wages}",
    "-wages",
    "\\",
    "*",
    "％ｗａｇｅｓ",
    "a" * 5000,
    "wages " * 100,
    "wages wages",
    "\u202ewages",
    "🙂 wages",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_searched_as_words_never_as_syntax(
    shelf: dict[str, Document], query: str
) -> None:
    page = search(query, PUBLIC, "en")
    assert isinstance(page, SearchPage)
    # Where "wages" is the only word left, it is found; other words are required too.
    if [variants[0] for variants in parse(query).words] == ["wages"]:
        assert slugs(page) == ["card"]


def test_a_long_query_is_cut_and_the_reader_told(shelf: dict[str, Document]) -> None:
    page = search("wages " + "x" * 300, PUBLIC, "en")
    assert f"first {MAX_QUERY_CHARS} characters" in page.notice
    assert "words were searched" in search("a b c d e f g h i j k l m n", PUBLIC, "en").notice
    assert "punctuation" in search("!!! ???", PUBLIC, "en").notice


def test_query_words_keep_only_letters_and_digits() -> None:
    terms = parse('"NEAR(Đorđević*" 4.2 AND')
    assert [variants[0] for variants in terms.words] == ["near", "đorđević", "4", "2", "and"]
    assert terms.words[1] == ("đorđević", "djordjević", "ђорђевић", "дјордјевић")


@pytest.fixture
def many(db: None) -> int:
    for n in range(PAGE_SIZE * 2 + 5):
        make_document(f"doc-{n:03d}", {"en": (f"Smuggling note {n}", "Smuggling route.")})
    return PAGE_SIZE * 2 + 5


def test_results_come_in_pages(many: int) -> None:
    first = search("smuggling", PUBLIC, "en")
    assert (first.total, first.pages, len(first.hits), first.next) == (many, 3, PAGE_SIZE, 2)
    last = search("smuggling", PUBLIC, "en", page=3)
    assert len(last.hits) == 5 and last.previous == 2 and last.next is None
    assert not set(slugs(first)) & set(slugs(last))


def test_a_page_past_the_end_shows_the_last_page(many: int) -> None:
    beyond = search("smuggling", PUBLIC, "en", page=MAX_PAGE + 10)
    assert beyond.page == 3 and len(beyond.hits) == 5


@pytest.mark.parametrize("documents", [3, 30])
def test_a_search_takes_the_same_queries_whatever_the_results(
    db: None, documents: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(documents):
        make_document(
            f"doc-{n}",
            {"en": (f"Smuggling {n}", "Smuggling."), "sr-latn": (f"Krijumčarenje {n}", "")},
            sections=[SectionData("1", {"en": ("Smuggling routes", "Smuggling.")})],
        )
    with django_assert_num_queries(3):  # ranked page with its total, passages, titles
        page = search("smuggling", PUBLIC, "sr-latn")
    assert len(page.hits) == min(documents, PAGE_SIZE)
    with django_assert_num_queries(3):  # count, page, titles
        search("", PUBLIC, "en")


def test_the_index_can_be_rebuilt_from_the_documents(shelf: dict[str, Document]) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reindex_library", stdout=out)
    assert "passages indexed" in out.getvalue()
    assert slugs(search("bondage", PUBLIC, "en")) == ["card"]
    assert slugs(search("istražni", PUBLIC, "en")) == ["guide"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table only")
def test_the_sqlite_index_follows_passages_however_they_are_deleted(db: None) -> None:
    """Triggers keep the FTS5 table in step (migration 0005): a document deleted with its
    passages by a cascade leaves no searchable text behind, and after the tables are
    emptied as `flush` does (ids start again) new passages are indexed without a clash."""
    gone = make_document("gone", {"en": ("Old memo", "Vanished smuggling route.")})
    assert slugs(search("vanished", PUBLIC, "en")) == ["gone"]
    gone.delete()
    assert slugs(search("vanished", PUBLIC, "en")) == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_passage")
        cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'library_passage'")
    make_document("fresh", {"en": ("New memo", "Another route.")})
    assert slugs(search("another", PUBLIC, "en")) == ["fresh"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM library_passage_fts")
        indexed = cursor.fetchone()[0]
    assert indexed == Passage.objects.count()
