"""The demo library that `make run` loads: the guidelines with their citable sections in
three languages, about thirty other documents, loaded twice without duplicates."""

from __future__ import annotations

from caseroom.library import vocab
from caseroom.library.citations import cite, unknown_refs
from caseroom.library.demo import GUIDELINES_SLUG, load_demo_library
from caseroom.library.demo.guidelines import SECTIONS
from caseroom.library.models import Document, DocumentVersion, Passage, Section, SectionText


def test_the_demo_guidelines_have_about_25_sections_in_three_languages(demo: Document) -> None:
    assert demo.slug == GUIDELINES_SLUG == "coop-guidelines"
    assert demo.structured and demo.published
    sections = Section.objects.filter(document=demo)
    assert 25 <= sections.count() <= 35
    for language in ("en", "sr-latn", "mk"):
        assert SectionText.objects.filter(section__document=demo, language=language).count() == (
            sections.count()
        )
    assert set(
        DocumentVersion.objects.filter(document=demo).values_list("language", flat=True)
    ) == {"en", "sr-latn", "mk"}


def test_the_demo_library_has_about_thirty_other_documents_of_every_kind(demo: Document) -> None:
    others = Document.objects.exclude(pk=demo.pk)
    assert 25 <= others.count() <= 35
    assert set(others.values_list("kind", flat=True)) == set(vocab.Kind.values) - {"guidelines"}
    assert not others.filter(published=False).exists()
    # National laws are listed by kind only, for every place of the region.
    laws = others.filter(kind=vocab.Kind.LAW)
    assert {d.country for d in laws} == {"AL", "BA", "HR", "XK", "ME", "MK", "RS"}
    assert all(
        "to be uploaded" in v.title
        for v in DocumentVersion.objects.filter(document__in=laws, language="en")
    )


def test_loading_the_demo_twice_adds_nothing(demo: Document) -> None:
    counts = (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        Section.objects.count(),
        SectionText.objects.count(),
        Passage.objects.count(),
    )
    again = load_demo_library()
    assert again.pk == demo.pk
    assert counts == (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        Section.objects.count(),
        SectionText.objects.count(),
        Passage.objects.count(),
    )


def test_every_demo_section_is_citable_in_english_and_serbian(demo: Document) -> None:
    refs = [f"{GUIDELINES_SLUG}#{key}" for key, _audiences, _texts in SECTIONS]
    assert unknown_refs(refs) == []
    joint = cite("coop-guidelines#4.1", "en")
    assert joint is not None
    assert joint.label == "Guidelines §4.1 — Legal bases for joint investigation teams"
    serbian = cite("coop-guidelines#4.1", "sr-latn")
    assert serbian is not None and not serbian.fell_back
    assert serbian.label.startswith("Smernice §4.1 — ")


def test_the_demo_guidelines_cite_the_conventions_by_article(demo: Document) -> None:
    english = " ".join(
        SectionText.objects.filter(section__document=demo, language="en").values_list(
            "body", flat=True
        )
    )
    for citation in (
        "Art. 18",
        "Art. 19",
        "Art. 27",
        "ETS 30",
        "ETS 182",
        "Art. 20",
        "Art. 13",
        "2002/465/JHA",
        "Trafficking in Persons Protocol",
        "Smuggling of Migrants Protocol",
    ):
        assert citation.replace("**", "") in english.replace("**", ""), citation
