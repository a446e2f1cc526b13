"""Citing the library: "<slug>#<key>" in the reader's language, falling back to English and
saying so; unknown references are None for the caller to handle; many at once in a fixed
number of queries; the {% cite %} tag."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext
from pytest_django import DjangoAssertNumQueries

from caseroom.library.actions import SectionData
from caseroom.library.citations import Citation, cite, parse_ref, resolve_many, unknown_refs
from caseroom.library.models import Document

from .conftest import make_document

TITLES = {"en": ("Cooperation guidelines", "x"), "sr-latn": ("Smernice o saradnji", "y")}


@pytest.fixture
def guide(db: None) -> Document:
    return make_document(
        "guide",
        TITLES,
        sections=[
            SectionData("4", {"en": ("Joint teams", ""), "sr-latn": ("Zajednički timovi", "")}),
            SectionData("4.2", {"en": ("Joint investigation teams", "Body.")}),
            SectionData("4.3", {"sr-latn": ("Sporazum", "Tekst.")}),
        ],
    )


def test_a_section_is_cited_in_the_readers_language(guide: Document) -> None:
    found = cite("guide#4", "sr-latn")
    assert found == Citation(
        url="/library/guide/s/4/?lang=sr-latn",
        label="Smernice o saradnji §4 — Zajednički timovi",
        language_shown="sr-latn",
        fell_back=False,
    )


def test_the_short_title_names_the_document_in_a_label(guide: Document) -> None:
    from caseroom.library.models import DocumentVersion

    DocumentVersion.objects.filter(document=guide, language="en").update(short_title="Guidelines")
    found = cite("guide#4.2", "en")
    assert found is not None and found.label == "Guidelines §4.2 — Joint investigation teams"


def test_a_section_not_translated_falls_back_to_english_and_says_so(guide: Document) -> None:
    found = cite("guide#4.2", "sr-latn")
    assert found is not None
    assert found.fell_back and found.language_shown == "en"
    assert found.label == "Cooperation guidelines §4.2 — Joint investigation teams"
    assert found.url == "/library/guide/s/4.2/?lang=sr-latn"


def test_a_section_in_neither_language_falls_back_to_one_it_has(guide: Document) -> None:
    found = cite("guide#4.3", "mk")
    assert found is not None and found.fell_back and found.language_shown == "sr-latn"
    assert found.label == "Smernice o saradnji §4.3 — Sporazum"


def test_a_browser_language_code_is_understood(guide: Document) -> None:
    found = cite("guide#4", "sr-Latn")
    assert found is not None and not found.fell_back


def test_a_whole_document_can_be_cited(guide: Document) -> None:
    found = cite("guide", "sr-latn")
    assert found is not None
    assert (found.label, found.url) == ("Smernice o saradnji", "/library/guide/?lang=sr-latn")


@pytest.mark.parametrize(
    "ref",
    [
        "guide#9.9",
        "nothing#4",
        "guide#",
        "guide#4..2",
        "guide#<script>",
        "#4",
        "",
        "guide#4.2#x",
        "g" * 200,
        "../etc#1",
    ],
)
def test_an_unknown_or_malformed_ref_gives_none(guide: Document, ref: str) -> None:
    assert cite(ref, "en") is None


def test_drafts_are_cited_only_when_asked(db: None) -> None:
    make_document(
        "draft",
        {"en": ("Draft", "")},
        published=False,
        sections=[SectionData("1", {"en": ("One", "")})],
    )
    assert cite("draft#1", "en") is None
    assert cite("draft#1", "en", include_drafts=True) is not None


def test_unknown_refs_lists_what_names_nothing_in_order(guide: Document) -> None:
    refs = ["guide#4", "guide#7", "nope#1", "bad ref", "guide", "guide#4.3", "guide#7"]
    assert unknown_refs(refs) == ["guide#7", "nope#1", "bad ref"]
    assert unknown_refs([]) == []


def test_parse_ref_splits_slug_and_key() -> None:
    assert parse_ref("coop-guidelines#4.2") == ("coop-guidelines", "4.2")
    assert parse_ref(" coop-guidelines ") == ("coop-guidelines", None)
    assert parse_ref("coop guidelines#4") is None


@pytest.mark.parametrize("documents", [2, 8])
def test_resolve_many_takes_two_queries_whatever_the_number_of_refs(
    db: None, documents: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    refs = []
    for n in range(documents):
        make_document(
            f"doc-{n}",
            {"en": (f"Doc {n}", "")},
            sections=[SectionData(str(k), {"en": (f"Part {k}", "")}) for k in range(1, 4)],
        )
        refs += [f"doc-{n}#{k}" for k in range(1, 4)] + [f"doc-{n}"]
    with django_assert_num_queries(2):
        found = resolve_many([*refs, "doc-0#99", "x#1"], "sr-latn")
    assert set(found) == set(refs)
    assert all(c.fell_back for c in found.values())


def test_the_cite_tag_links_in_the_readers_language(guide: Document) -> None:
    template = Template('{% load citations %}{% cite "guide#4.2" %} {% cite ref %}')
    with translation.override("sr-latn"):
        html = template.render(Context({"ref": "guide#<b>9</b>"}))
        note = gettext("in %(language)s") % {"language": "English"}
    assert '<a class="cite" href="/library/guide/s/4.2/?lang=sr-latn" lang="en">' in html
    assert "Cooperation guidelines §4.2 — Joint investigation teams</a>" in html
    # Said in the reader's language, the language shown named as it names itself.
    assert note != "in English"  # the catalogue translates it
    assert f'<small class="cite-fallback">({note})</small>' in html
    # An unknown reference is shown as written, escaped, never a link or an error.
    assert '<span class="cite cite-unknown">guide#&lt;b&gt;9&lt;/b&gt;</span>' in html
