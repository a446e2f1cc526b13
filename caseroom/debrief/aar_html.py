"""The after-action report as one standalone HTML document, and as a PDF of that document.

The template is `debrief/aar.html`; charts are embedded as data: URIs and the CSS is inline,
so the file opens offline and WeasyPrint (through `lib.pdf`) fetches nothing.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from caseroom.lib.pdf import html_to_pdf

if TYPE_CHECKING:
    from .aar import AfterActionReport

__all__ = ["render_html", "render_pdf"]


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def render_html(report: AfterActionReport) -> str:
    """The report as one standalone HTML document (charts as data: URIs, CSS inline)."""
    return render_to_string(
        "debrief/aar.html",
        {
            "report": report,
            "facts": report.facts,
            "charts": [(chart, _data_uri(chart.svg)) for chart in report.charts],
        },
    )


def render_pdf(report: AfterActionReport) -> bytes:
    """The report as an A4 PDF with real text; `lib.pdf.ReportUnavailable` without WeasyPrint
    or Pango."""
    return html_to_pdf(
        render_html(report), identifier=f"caseroom-aar-{report.exercise_id}".encode()
    )
