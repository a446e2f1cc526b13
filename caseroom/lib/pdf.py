"""HTML to PDF through WeasyPrint, for any document the project prints (after-action reports,
certificates, donor reports), and the one error a missing optional library raises.

WeasyPrint is in the 'reports' extra and needs the Pango shared library, so it is imported
inside `html_to_pdf`: a machine without it still serves every page, and the PDF link says
what to install.

>>> html_to_pdf("<h1>Hello</h1>", identifier=b"hello")[:4]  # doctest: +SKIP
b'%PDF'
"""

from __future__ import annotations

from django.utils.translation import gettext as _

__all__ = ["PANGO_HINT", "PDF_VARIANT", "ReportUnavailable", "html_to_pdf"]

PDF_VARIANT = "pdf/ua-1"  # tagged PDF for accessibility (WeasyPrint 57+)

PANGO_HINT = (
    "PDF needs WeasyPrint and the Pango library "
    "(pip install 'caseroom[reports]'; Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


class ReportUnavailable(RuntimeError):
    """A format cannot be produced on this machine: the message says what to install."""


def html_to_pdf(html: str, *, identifier: bytes) -> bytes:
    """An A4 (or whatever the CSS's @page says) tagged PDF of a standalone HTML document, with
    real text; `identifier` is the PDF's /ID, so the same document gives the same one.

    No network access and no local file: only data: URLs are embedded, so a URL the
    template did not mean to write cannot make the server fetch it.
    """
    try:
        import weasyprint  # type: ignore[import-untyped]  # ships no type information
    except (ImportError, OSError) as error:  # OSError: Pango's shared library is missing
        raise ReportUnavailable(_(PANGO_HINT) + f" [{error}]") from error
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    # Tagged (a structure tree, /MarkInfo, the language, the title shown): a screen reader
    # reads headings, tables and figures' alternatives in order. WeasyPrint calls its PDF/UA
    # support experimental; nothing here validates conformance, only the tags' presence
    # (tests/debrief/test_pdf_readability.py). It costs no measurable time on the report.
    pdf: bytes = document.write_pdf(
        pdf_identifier=identifier, optimize_images=False, pdf_variant=PDF_VARIANT
    )
    return pdf
