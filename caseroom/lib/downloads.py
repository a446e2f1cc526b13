"""A file answered for download (or shown inline), with its name in the header as RFC 6266
wants it: quoted when plain ASCII, `filename*=utf-8''…` otherwise (a Macedonian or Albanian
title in a file name would otherwise break the header or be mangled)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .pdf import ReportUnavailable

__all__ = ["CSV", "DOCX", "PDF", "XLSX", "download", "rendered_download"]

CSV = "text/csv; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(
    body: bytes | str, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    header = content_disposition_header(not inline, filename)
    if header:
        response["Content-Disposition"] = header
    return response


def rendered_download(
    render: Callable[[], bytes], content_type: str, filename: str
) -> HttpResponse:
    """A report rendered now; 503 with the reason when its optional renderer (WeasyPrint,
    python-docx) is not installed here."""
    try:
        body = render()
    except ReportUnavailable as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    return download(body, content_type, filename)
