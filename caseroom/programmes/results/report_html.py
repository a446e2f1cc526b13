"""The donor report as one standalone HTML document (for print and the PDF), and its PDF.

Charts are PNG data: URIs and the CSS is inline, so WeasyPrint fetches nothing (`lib.pdf`).
The web page (`views.report`) lays out the same `DonorReport` with trace links; this
document has none, since a PDF travels beyond the staff who may follow them.
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from caseroom.lib.pdf import html_to_pdf

from .breakdowns import suppression_note
from .charts import ReportChart, charts_for
from .report import DonorReport

__all__ = ["chart_images", "render_html", "render_pdf"]


def chart_images(charts: tuple[ReportChart, ...]) -> list[tuple[ReportChart, str]]:
    """Each chart with its PNG as a data: URI for an <img>."""
    return [
        (chart, "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii"))
        for chart in charts
    ]


def render_html(report: DonorReport) -> str:
    return render_to_string(
        "programmes/results/report_document.html",
        {
            "report": report,
            "charts": chart_images(charts_for(report)),
            "suppression_note": suppression_note(report.min_cell),
            "links": False,
        },
    )


def render_pdf(report: DonorReport) -> bytes:
    """A4 PDF; `lib.pdf.ReportUnavailable` without WeasyPrint or Pango."""
    identifier = f"caseroom-donor-report-{report.programme_id}-{report.start}-{report.end}"
    return html_to_pdf(render_html(report), identifier=identifier.encode())
