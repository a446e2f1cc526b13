"""The donor report as an editable Word document (python-docx), charts as PNG pictures.

The same sections and tables as the web page and the XLSX (the rows come from
`report_xlsx`, so the three agree); a suppressed cell reads "suppressed". python-docx is
in the 'reports' extra, so it is imported inside `render_docx`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from caseroom.lib.pdf import ReportUnavailable

from .breakdowns import Breakdown, suppression_note
from .charts import ReportChart, charts_for
from .report import DonorReport
from .report_xlsx import breakdown_rows, logframe_rows, reach_rows, shown

__all__ = ["render_docx"]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def render_docx(report: DonorReport) -> bytes:
    try:
        import docx
    except ImportError as error:
        raise ReportUnavailable(
            _("DOCX needs python-docx: pip install 'caseroom[reports]'.") + f" [{error}]"
        ) from error
    return _Writer(docx.Document(), report).write()


class _Writer:
    def __init__(self, document: Any, report: DonorReport) -> None:
        self.d = document
        self.r = report

    def table(self, header: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
        from docx.shared import Pt

        table = self.d.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_text(text)).bold = True
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = _text(value)
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
        self.d.add_paragraph()

    def breakdown(self, table: Breakdown) -> None:
        self.d.add_heading(table.title, level=2)
        if table.withheld:
            self.note(_("Too few people to show this breakdown."))
        self.table(*breakdown_rows(table))
        if table.note:
            self.note(table.note)

    def note(self, text: str) -> None:
        self.d.add_paragraph().add_run(text).italic = True

    def picture(self, chart: ReportChart) -> None:
        from docx.shared import Cm

        self.d.add_picture(io.BytesIO(chart.png), width=Cm(16))
        shape = self.d.inline_shapes[-1]
        shape._inline.docPr.set("descr", chart.alt)
        shape._inline.docPr.set("title", chart.title)
        self.d.add_paragraph(chart.title, style="Caption")
        if chart.note:
            self.note(chart.note)

    def write(self) -> bytes:
        r = self.r
        self.d.core_properties.title = f"{r.title} — {_('Donor report')}"
        self.d.core_properties.author = "Caseroom"
        self.d.add_heading(r.title, level=0)
        self.d.add_paragraph(
            _("Donor report, sessions from %(start)s to %(end)s")
            % {"start": date_format(r.start), "end": date_format(r.end)}
        )
        who = " · ".join(x for x in (r.implementer, r.funder) if x)
        if who:
            self.d.add_paragraph(who)
        self.note(suppression_note(r.min_cell))
        self.d.add_heading(_("Summary"), level=1)
        self.table([_("Item"), _("Value")], [[label, shown(cell)] for label, cell in r.headline])
        self.d.add_heading(_("Logframe"), level=1)
        header, rows = logframe_rows(r)
        # Outcome and output repeat on every line in the XLSX; here the code says it.
        self.table(header[2:], [row[2:] for row in rows])
        for value in r.indicators:
            for table in value.breakdowns:
                self.breakdown(replace(table, title=f"{value.code}: {table.title}"))
        self.d.add_heading(_("People trained"), level=1)
        for table in r.people:
            self.breakdown(table)
        self.d.add_heading(_("Sessions and training days"), level=1)
        for table in r.delivery:
            self.breakdown(table)
        self.d.add_heading(_("Training of trainers: reach"), level=1)
        self.table(*reach_rows(r))
        charts = charts_for(r)
        if charts:
            self.d.add_heading(_("Charts"), level=1)
            for chart in charts:
                self.picture(chart)
        out = io.BytesIO()
        self.d.save(out)
        return out.getvalue()
