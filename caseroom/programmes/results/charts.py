"""The donor report's charts, drawn on the server by matplotlib as PNG (no script, no CDN).

The same pictures go into the web page (data: URIs, which the CSP's img-src allows), the PDF
and the DOCX. A suppressed count is never drawn: a bar's length would give it away, so a
category with a hidden count is left out and the chart says so in its caption. The palette,
sizes and thread-safe figure handling are the after-action report's (`debrief.charts`).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

# Importing debrief.charts points matplotlib's font cache at a writable folder; matplotlib
# itself is imported after it, inside `_figure`.
from caseroom.debrief.charts import GRID, INK, PALETTE, WIDTH

from .breakdowns import Breakdown
from .report import DonorReport

__all__ = ["ReportChart", "charts_for"]

# Sharp enough in print and on a projector, small enough to embed in the page (about 60 kB).
DPI = 150


@dataclass(frozen=True)
class ReportChart:
    title: str
    png: bytes
    alt: str  # the numbers drawn, for screen readers and Word's alt text
    note: str  # what was left out, if anything


def _figure(height: float) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.spines[["left", "bottom"]].set_color(GRID)
    axes.tick_params(colors=INK, labelsize=9)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    return figure, axes


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 30)[:2]) or " "


def _left_out(names: list[str]) -> str:
    if not names:
        return ""
    return _("Not drawn (count suppressed): %(names)s.") % {"names": ", ".join(names)}


def _bars(title: str, items: list[tuple[str, float]], xlabel: str, note: str) -> ReportChart:
    figure, axes = _figure(0.9 + 0.45 * max(len(items), 1))
    positions = list(range(len(items)))
    bars = axes.barh(positions, [v for _n, v in items], color=PALETTE[0], height=0.6)
    axes.set_yticks(positions, [_label(n) for n, _v in items])
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    axes.bar_label(bars, padding=3, color=INK, fontsize=9, fmt="%g")
    alt = "; ".join(f"{name}: {value:g}" for name, value in items) or _("nothing to draw")
    return ReportChart(title, _png(figure), alt, note)


def _list_chart(table: Breakdown, xlabel: str) -> ReportChart | None:
    """A bar per row of a one-column table, leaving suppressed rows out (None: all are)."""
    shown = [(r, line[0].value) for r, line in zip(table.rows, table.cells, strict=True)]
    items = [(name, float(value)) for name, value in shown if value is not None]
    if not items:
        return None
    hidden = [name for name, value in shown if value is None]
    return _bars(table.title, items, xlabel, _left_out(hidden))


def _stacked(table: Breakdown) -> ReportChart:
    """Columns of a two-way table (countries) as bars, stacked by its rows (sexes)."""
    figure, axes = _figure(0.9 + 0.5 * max(len(table.columns), 1))
    hidden = [
        f"{row} / {column}"
        for row, line in zip(table.rows, table.cells, strict=True)
        for column, cell in zip(table.columns, line, strict=True)
        if cell.value is None
    ]
    positions = list(range(len(table.columns)))
    left = [0.0] * len(table.columns)
    alt = []
    for number, (row, line) in enumerate(zip(table.rows, table.cells, strict=True)):
        values = [float(cell.value or 0) for cell in line]
        axes.barh(
            positions,
            values,
            left=left,
            height=0.6,
            color=PALETTE[number % len(PALETTE)],
            label=row,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
        alt += [
            f"{row} / {c}: {cell.value}"
            for c, cell in zip(table.columns, line, strict=True)
            if cell.value
        ]
    axes.set_yticks(positions, [_label(c) for c in table.columns])
    axes.invert_yaxis()
    axes.set_xlabel(_("People"))
    if table.rows:
        axes.legend(loc="lower right", frameon=False, fontsize=8.5)
    return ReportChart(
        table.title, _png(figure), "; ".join(alt) or _("nothing to draw"), _left_out(hidden)
    )


def _indicators(report: DonorReport) -> ReportChart | None:
    items = [
        (f"{v.code} {v.title}", float(v.percent_of_target))
        for v in report.indicators
        if v.percent_of_target is not None
    ]
    if not items:
        return None
    # xgettext:no-python-format
    title = _("Indicators: % of target reached")
    # xgettext:no-python-format
    axis = _("% of target")
    return _bars(title, items, axis, "")


def charts_for(report: DonorReport) -> tuple[ReportChart, ...]:
    """The report's charts, in its order; a table withheld or empty gets none."""
    charts: list[ReportChart] = []
    indicators = _indicators(report)
    if indicators is not None:
        charts.append(indicators)
    by_sex_country, _agency, by_module = report.people
    if not by_sex_country.withheld and by_sex_country.total.value:
        charts.append(_stacked(by_sex_country))
    by_module_chart = _list_chart(by_module, _("People"))
    if by_module_chart is not None:
        charts.append(by_module_chart)
    sessions = report.delivery[0]
    if sessions.total.value:
        items = [
            (row, float(cell.value or 0))
            for row, cell in zip(sessions.rows, sessions.row_totals, strict=True)
        ]
        charts.append(_bars(_("Sessions per module"), items, _("Sessions"), ""))
    return tuple(charts)
