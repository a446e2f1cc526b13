"""Uploads: PDF, DOCX and Markdown taken with their text made searchable; the type read
from the content, never the name; programs, pages, bombs and slow files refused with a
message; files stored under a generated name and served back only as attachments."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseroom.library import actions
from caseroom.library.extract import Limits, UploadRefused, detect, extract
from caseroom.library.models import Document, DocumentVersion
from caseroom.library.search import Filters, search

from .conftest import make_document
from .files import docx_bomb, docx_with_text, pdf_with_text


def test_a_pdfs_text_is_extracted() -> None:
    found = extract(pdf_with_text("Joint investigation team", "Operational action plan"))
    assert found.file_type == "pdf" and found.content_type == "application/pdf"
    assert "Joint investigation team" in found.text and "Operational action plan" in found.text
    assert len(found.digest) == 64 and found.note == ""


def test_a_docx_text_is_extracted() -> None:
    found = extract(docx_with_text("Zamolnica za pravnu pomoć", "Rok: 30 dana"))
    assert found.file_type == "docx"
    assert "Zamolnica za pravnu pomoć" in found.text and "Rok: 30 dana" in found.text


def test_a_markdown_text_is_taken_as_it_is() -> None:
    found = extract("\ufeff# Kartica\n\n- **Đorđević**\n".encode())
    assert (found.file_type, found.text) == ("md", "# Kartica\n\n- **Đorđević**\n")
    assert found.content_type == "text/markdown; charset=utf-8"


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "type", "a Windows program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "type", "a Linux program"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "type", "a PNG image"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup", "HTML"),
        (b"  \n<html><body onload=alert(1)>", "markup", "HTML"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "markup", "SVG"),
        (b'<?xml version="1.0"?><x/>', "markup", "XML"),
        (b"\xef\xbb\xbf<script>alert(1)</script>", "markup", "HTML"),
        (b"\xff\xfe\x00t\x00e\x00x\x00t", "type", "unknown kind"),
        (b"PK\x03\x04 not really a zip", "broken", "damaged"),
        (b"%PDF-1.7\n garbage without objects", "broken", "damaged"),
        (b"", "empty", "empty"),
    ],
    ids=[
        "exe",
        "elf",
        "png",
        "html",
        "html-late",
        "svg",
        "xml",
        "bom-script",
        "utf16",
        "bad-zip",
        "bad-pdf",
        "empty",
    ],
)
def test_files_that_are_not_pdf_docx_or_markdown_are_refused(
    data: bytes, code: str, words: str
) -> None:
    with pytest.raises(UploadRefused) as refused:
        extract(data)
    assert refused.value.code == code
    assert words in refused.value.message


def test_a_zip_that_is_not_a_docx_is_refused() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(UploadRefused) as refused:
        extract(out.getvalue())
    assert refused.value.code == "type" and "not a Word" in refused.value.message


def test_a_zip_bomb_disguised_as_a_docx_is_refused_before_it_is_opened() -> None:
    with pytest.raises(UploadRefused) as refused:
        extract(docx_bomb(megabytes=30))
    assert refused.value.code == "bomb"
    assert "30 MB" in refused.value.message and "compression bomb" in refused.value.message


def test_a_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(UploadRefused) as refused:
        extract(b"x" * 2000, Limits(upload_bytes=1000))
    assert refused.value.code == "size"


def test_extraction_that_takes_too_long_is_stopped_and_refused() -> None:
    # The worker is a separate process killed at the limit; starting one alone takes longer
    # than this limit, which is how the path is exercised without a slow PDF.
    with pytest.raises(UploadRefused) as refused:
        extract(pdf_with_text("slow"), Limits(seconds=0.001))
    assert refused.value.code == "slow" and "seconds" in refused.value.message


def test_a_long_text_is_cut_and_the_uploader_told() -> None:
    found = extract(pdf_with_text(*["word " * 20] * 30), Limits(chars=500))
    assert len(found.text) == 500
    assert found.note == "only the first 500 characters are searchable"


def test_the_type_is_read_from_the_content_not_the_name() -> None:
    assert detect(pdf_with_text("x")) == "pdf"
    assert detect(b"# Title\n") == "md"


# ---------------------------------------------------------------- through the page


@pytest.fixture
def card(db: None) -> Document:
    return make_document("card", {"en": ("Indicator card", "Summary.")})


def upload(client: Client, slug: str, name: str, data: bytes, language: str = "en") -> object:
    return client.post(
        f"/library/{slug}/version/",
        {
            "language": language,
            "title": "Indicator card",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )


def test_staff_upload_a_pdf_which_becomes_searchable_and_downloadable(
    card: Document, facilitator_client: Client, _library_store: Path
) -> None:
    response = upload(
        facilitator_client, "card", "../../evil name.pdf", pdf_with_text("Debt bondage")
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    version = DocumentVersion.objects.get(document=card, language="en")
    # Stored under its digest, never the uploader's name.
    assert version.file_name == f"{version.digest[:2]}/{version.digest}.pdf"
    assert (_library_store / version.file_name).is_file()
    assert [hit.slug for hit in search("bondage", Filters(), "en").hits] == ["card"]
    download = Client().get("/library/card/file/en/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="card-en.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_markdown_upload_is_shown_sanitised_and_served_as_an_attachment(
    card: Document, facilitator_client: Client
) -> None:
    text = "# Steps\n\n1. Call the <b>bureau</b> [x](javascript:alert(1))\n"
    upload(facilitator_client, "card", "steps.pdf", text.encode(), language="sr-latn")
    page = Client().get("/library/card/?lang=sr-latn").content.decode()
    assert "<h1>Steps</h1>" in page and 'href="javascript' not in page
    assert "<b>bureau" not in page
    download = Client().get("/library/card/file/sr-latn/")
    assert download["Content-Type"] == "text/markdown; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == text.encode()  # type: ignore[attr-defined]


def test_an_exe_renamed_pdf_is_refused_next_to_the_field(
    card: Document, facilitator_client: Client
) -> None:
    response = upload(facilitator_client, "card", "report.pdf", b"MZ" + b"\x00" * 100)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "a Windows program" in response.content.decode()  # type: ignore[attr-defined]
    assert not DocumentVersion.objects.filter(document=card).exclude(file_type="").exists()


def test_an_html_file_is_refused(card: Document, facilitator_client: Client) -> None:
    response = upload(facilitator_client, "card", "page.md", b"<html><script>alert(1)</script>")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "HTML" in response.content.decode()  # type: ignore[attr-defined]


def test_a_zip_bomb_docx_is_refused_through_the_page(
    card: Document, facilitator_client: Client
) -> None:
    response = upload(facilitator_client, "card", "a.docx", docx_bomb(megabytes=30))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "compression bomb" in response.content.decode()  # type: ignore[attr-defined]


def test_a_file_too_large_for_the_form_is_refused(
    card: Document, facilitator_client: Client, settings: object
) -> None:
    from caseroom.library import forms

    original = forms.LIMITS
    forms.LIMITS = Limits(upload_bytes=10)
    try:
        response = upload(facilitator_client, "card", "x.md", b"# 12345678901234")
    finally:
        forms.LIMITS = original
    assert response.status_code == 400  # type: ignore[attr-defined]


def test_replacing_a_language_keeps_one_version(card: Document) -> None:
    first = extract(pdf_with_text("first text"))
    second = extract(pdf_with_text("second text"))
    actions.save_version(card, "en", title="One", upload=(pdf_with_text("first text"), first))
    actions.save_version(card, "en", title="Two", upload=(pdf_with_text("second text"), second))
    assert DocumentVersion.objects.filter(document=card).count() == 1
    assert [h.slug for h in search("second", Filters(), "en").hits] == ["card"]
    assert search("first", Filters(), "en").hits == ()


def test_a_draft_file_is_not_served_to_the_public(db: None, facilitator_client: Client) -> None:
    draft = make_document("draft", {"en": ("Draft", "")}, published=False)
    found = extract(b"# draft")
    actions.save_version(draft, "en", title="Draft", upload=(b"# draft", found))
    assert Client().get("/library/draft/file/en/").status_code == 404
    staff = facilitator_client.get("/library/draft/file/en/")
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content) == b"# draft"  # type: ignore[attr-defined]
