"""An uploaded file checked by its content and its text extracted for search, within bounds.

The type comes from the bytes, never the name: `%PDF-` is a PDF, a zip holding
`word/document.xml` a DOCX, UTF-8 text that does not open like HTML, SVG or XML is
Markdown; anything else (a program renamed .pdf, an HTML page, an image) is refused. A DOCX
is a zip: its table of contents is checked for a bomb before python-docx opens it. PDF and
DOCX text is extracted in a separate process (worker.py) killed after TIME_LIMIT seconds.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["LIMITS", "Extracted", "Limits", "UploadRefused", "detect", "extract"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 20 * MB
    pages: int = 1000  # text of the first 1,000 pages is searchable
    chars: int = 1_000_000  # and at most a million characters (about 400 pages of prose)
    seconds: float = 10.0  # a PDF that takes longer to read is refused
    docx_entries: int = 2000
    docx_unpacked_bytes: int = 200 * MB
    docx_ratio: int = 100  # text deflates 3-10 times; a bomb ~1000
    markdown_chars: int = 500_000


LIMITS = Limits()


class UploadRefused(Exception):
    """The file cannot be taken; `message` says why, in the uploader's language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Extracted:
    file_type: str  # pdf, docx, md
    content_type: str
    text: str  # for the index (Markdown: the source itself)
    note: str  # what was left out of the index, for the uploader ("" if nothing)
    digest: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
# What browsers sniff as HTML (WHATWG MIME sniffing) or script-capable XML: a "Markdown"
# file opening with one of these is a page, not a text.
_MARKUP = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<?xml",
    b"<!--",
    b"<div",
    b"<table",
    b"<style",
    b"<title",
    b"<a ",
    b"<p>",
    b"<img",
    b"<object",
)
_KNOWN_BINARY = {
    b"MZ": gettext_lazy("a Windows program"),
    b"\x7fELF": gettext_lazy("a Linux program"),
    b"\x89PNG": gettext_lazy("a PNG image"),
    b"\xff\xd8\xff": gettext_lazy("a JPEG image"),
    b"GIF8": gettext_lazy("a GIF image"),
}


def _what(data: bytes) -> str:
    for magic, name in _KNOWN_BINARY.items():
        if data.startswith(magic):
            return str(name)
    return _("an unknown kind of file")


def detect(data: bytes) -> str:
    """ "pdf", "docx" or "md" from the content; UploadRefused for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and any(head.startswith(tag) for tag in _MARKUP):
        raise UploadRefused(
            "markup", _("This is an HTML, SVG or XML page, not a Markdown text: it is not taken.")
        )
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "md"
    raise UploadRefused(
        "type",
        _("Only PDF, Word (DOCX) and Markdown files are taken; this one is %(what)s.")
        % {"what": _what(data)},
    )


def _check_docx(data: bytes, limits: Limits) -> None:
    broken = UploadRefused("broken", _("This Word file is damaged and cannot be read."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise broken from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise UploadRefused(
                "type", _("This zip file is not a Word (DOCX) document: it is not taken.")
            )
        unpacked = sum(entry.file_size for entry in entries)
        packed = max(1, sum(entry.compress_size for entry in entries))
        if (
            len(entries) > limits.docx_entries
            or unpacked > limits.docx_unpacked_bytes
            or (unpacked > MB and unpacked / packed > limits.docx_ratio)
        ):
            raise UploadRefused(
                "bomb",
                _(
                    "This Word file unpacks to %(mb)d MB from %(packed)d KB: "
                    "it is refused as a compression bomb."
                )
                % {"mb": unpacked // MB, "packed": packed // 1024},
            )


def _run_worker(kind: str, data: bytes, limits: Limits) -> dict[str, object]:
    command = [sys.executable, "-m", "caseroom.library.worker", kind]
    command += [str(limits.pages), str(limits.chars)]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired:  # run() has killed the worker
        raise UploadRefused(
            "slow",
            _("Reading the text of this file took longer than %(s)d seconds: it is refused.")
            % {"s": limits.seconds},
        ) from None
    try:
        result: dict[str, object] = json.loads(done.stdout)
    except ValueError:  # killed by the memory limit, or crashed
        result = {"refused": "broken"}
    return result


def _refusal(reason: str, kind: str) -> UploadRefused:
    if reason.startswith("missing:"):
        package = reason.split(":", 1)[1]
        return UploadRefused(
            "unavailable",
            _("Reading %(kind)s files needs %(package)s on the server (pip install %(hint)s).")
            % {
                "kind": kind.upper(),
                "package": package,
                "hint": "'caseroom[reports]'" if package == "python-docx" else package,
            },
        )
    if reason == "encrypted":
        return UploadRefused("encrypted", _("This PDF is password-protected: upload it unlocked."))
    if reason == "memory":
        return UploadRefused("memory", _("This file needs too much memory to read: it is refused."))
    return UploadRefused("broken", _("This file is damaged and its text cannot be read."))


def _note(raw: str, limits: Limits) -> str:
    notes = []
    for part in filter(None, raw.split(",")):
        if part.startswith("pages:"):
            notes.append(_("only the first %(n)d pages are searchable") % {"n": limits.pages})
        elif part.startswith("chars:"):
            notes.append(_("only the first %(n)d characters are searchable") % {"n": limits.chars})
    return "; ".join(notes)


def extract(data: bytes, limits: Limits = LIMITS) -> Extracted:
    """The checked file's type and text; UploadRefused with a message otherwise."""
    if len(data) > limits.upload_bytes:
        raise UploadRefused(
            "size",
            _("The file is larger than %(mb)d MB.") % {"mb": limits.upload_bytes // MB},
        )
    if not data:
        raise UploadRefused("empty", _("The file is empty."))
    kind = detect(data)
    digest = hashlib.sha256(data).hexdigest()
    if kind == "md":
        text = data.decode("utf-8").lstrip("\ufeff")
        if len(text) > limits.markdown_chars:
            raise UploadRefused(
                "size",
                _("A Markdown text may have at most %(n)d characters.")
                % {"n": limits.markdown_chars},
            )
        return Extracted("md", CONTENT_TYPES["md"], text, "", digest)
    if kind == "docx":
        _check_docx(data, limits)
    result = _run_worker(kind, data, limits)
    if "refused" in result:
        raise _refusal(str(result["refused"]), kind)
    text = str(result.get("text", ""))
    return Extracted(
        kind, CONTENT_TYPES[kind], text, _note(str(result.get("note", "")), limits), digest
    )
