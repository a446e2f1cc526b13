"""The gap report of a round: DOCX (python-docx) and PDF (WeasyPrint through lib.pdf).

Both hold the heatmap PNG, the change since the previous round, response rates, the
difficulties that may be shown and the measures with their status, built from the same
`GapAnalysis` as the page (so the same cells are hidden). The tables' rows come from the
functions below, so the two formats agree.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from caseroom.lib.pdf import ReportUnavailable, html_to_pdf
from caseroom.programmes.disclosure import CountTable

from .analysis import Cell, GapAnalysis
from .chart import heatmap_png

__all__ = [
    "cell_text",
    "change_rows",
    "follow_up_rows",
    "measure_rows",
    "rate_rows",
    "render_docx",
    "render_pdf",
]


def cell_text(cell: Cell) -> str:
    if cell.hidden:
        return _("hidden")
    return "—" if cell.percent is None else f"{cell.percent} %"


def change_rows(result: GapAnalysis) -> tuple[list[str], list[list[str]]]:
    """Countries × sections: score now and the change since the previous round."""
    header = [_("Country"), *(s.label for s in result.sections)]
    rows = []
    for line in [*result.lines, result.region]:
        values = []
        for cell in line.cells:
            change = cell.change
            values.append(cell_text(cell) + (f" ({change:+d})" if change is not None else ""))
        rows.append([line.label, *values])
    return header, rows


def rate_rows(table: CountTable) -> tuple[list[str], list[list[str]]]:
    def shown(value: int | None) -> str:
        return _("hidden") if value is None else str(value)

    header = [_("Country"), *table.columns, _("Total")]
    rows = [
        [label, *(shown(v) for v in line), shown(total)]
        for label, line, total in zip(table.rows, table.cells, table.row_totals, strict=True)
    ]
    rows.append([_("Total"), *(shown(v) for v in table.column_totals), str(table.total)])
    return header, rows


def follow_up_rows(result: GapAnalysis) -> tuple[list[str], list[list[str]]]:
    header = [_("Measure"), _("Country"), _("Section"), _("Status"), _("Due"), _("Before"),
              _("Now"), _("Gap closed")]  # fmt: skip
    rows = []
    for f in result.follow_ups:
        m = f.measure
        closed = "—" if f.closed is None else _("yes") if f.closed else _("not yet")
        rows.append([
            m.what[:200], f.country, f.section.label, str(m.get_status_display()),
            date_format(m.due_on) + (" · " + _("overdue") if f.overdue else ""),
            "—" if f.before is None else f"{f.before} %",
            "—" if f.now is None else f"{f.now} %", closed,
        ])  # fmt: skip
    return header, rows


def measure_rows(result: GapAnalysis) -> tuple[list[str], list[list[str]]]:
    header = [_("Measure"), _("Country"), _("Section"), _("Institution"), _("Responsible"),
              _("Due"), _("Status")]  # fmt: skip
    labels = {line.key: line.label for line in result.lines}
    sections = {s.ref: s.label for s in result.sections}
    rows = [
        [m.what[:200], labels.get(m.country, m.country), sections.get(m.section, m.section),
         m.institution, m.responsible, date_format(m.due_on), str(m.get_status_display())]
        for m in result.measures
    ]  # fmt: skip
    return header, rows


def _note(result: GapAnalysis) -> str:
    return _(
        "Cells and counts of fewer than %(n)s respondents are hidden, with what would reveal "
        "them. A score is the mean of the respondents' section scores, 0-100 %%; a gap is "
        "closed at %(target)s %%."
    ) % {"n": result.min_cell, "target": result.target}


def render_html(result: GapAnalysis) -> str:
    png = heatmap_png(result)
    return render_to_string(
        "cooperation/report_document.html",
        {
            "result": result,
            "heatmap": "data:image/png;base64," + base64.b64encode(png.png).decode("ascii"),
            "heatmap_alt": png.alt,
            "note": _note(result),
            "changes": change_rows(result),
            "answered": rate_rows(result.answered),
            "invited": rate_rows(result.invited) if result.invited is not None else None,
            "follow_ups": follow_up_rows(result),
            "measures": measure_rows(result),
        },
    )


def render_pdf(result: GapAnalysis) -> bytes:
    identifier = f"caseroom-gap-report-{result.round.pk}-{result.scope_country or 'all'}"
    return html_to_pdf(render_html(result), identifier=identifier.encode())


def render_docx(result: GapAnalysis) -> bytes:
    try:
        import docx
        from docx.shared import Cm, Pt
    except ImportError as error:
        raise ReportUnavailable(
            _("DOCX needs python-docx: pip install 'caseroom[reports]'.") + f" [{error}]"
        ) from error
    document: Any = docx.Document()
    document.core_properties.title = f"{result.round.title} — {_('Gap report')}"
    document.core_properties.author = "Caseroom"
    document.add_heading(f"{result.round.coordination.title}: {result.round.title}", level=0)
    document.add_paragraph(_("Gap report of the self-assessment round."))
    document.add_paragraph().add_run(_note(result)).italic = True
    picture = heatmap_png(result)
    document.add_picture(io.BytesIO(picture.png), width=Cm(16))
    document.inline_shapes[-1]._inline.docPr.set("descr", picture.alt[:4000])

    def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        for values in rows:
            for cell, value in zip(grid.add_row().cells, values, strict=True):
                cell.text = str(value)
        for row in grid.rows:
            for cell in row.cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.font.size = Pt(8)
        document.add_paragraph()

    title = _("Scores and change since %(previous)s") % {"previous": result.previous_title}
    document.add_heading(title if result.previous_title else _("Scores"), level=1)
    table(*change_rows(result))
    document.add_heading(_("Respondents per country and agency"), level=1)
    table(*rate_rows(result.answered))
    if result.invited is not None:
        document.add_heading(_("Personal links handed out"), level=1)
        table(*rate_rows(result.invited))
    if result.follow_ups:
        document.add_heading(_("Measures from the previous round"), level=1)
        table(*follow_up_rows(result))
    if result.measures:
        document.add_heading(_("Measures on this round's gaps"), level=1)
        table(*measure_rows(result))
    document.add_heading(_("Difficulties written"), level=1)
    for group in result.difficulties:
        document.add_heading(group.section.label, level=2)
        for item in group.shown:
            where = ", ".join(x for x in (item.country, item.agency) if x)
            document.add_paragraph(f"{item.text} ({where})", style="List Bullet")
        if group.withheld:
            document.add_paragraph().add_run(
                _("%(n)s more not shown: too few respondents wrote from their country.")
                % {"n": group.withheld}
            ).italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
