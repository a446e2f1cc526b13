"""The heatmap of a gap analysis as a PNG (matplotlib, drawn on the server) for the reports.

The same cells as the page: colour and the number written in each, "hidden" where too few
respondents answered (never coloured: a colour would give the value away), "—" where none.
The five colours are ColorBrewer's RdYlBu, readable by colour-blind readers, and the
page's CSS (static/cooperation/cooperation.css) uses the same.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from caseroom.lib.pdf import ReportUnavailable

from .analysis import Cell, GapAnalysis, Line

__all__ = ["COLOURS", "HeatmapPicture", "heatmap_png"]

COLOURS = ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4")  # weakest to strongest
LIGHT_TEXT = {0, 4}  # steps whose background needs white text
HIDDEN = "#e5e7eb"
DPI = 150


@dataclass(frozen=True)
class HeatmapPicture:
    png: bytes
    alt: str  # every value drawn, for screen readers and Word's alt text


def _text(cell: Cell) -> str:
    if cell.hidden:
        return _("hidden")
    if cell.percent is None:
        return "—"
    change = cell.change
    return f"{cell.percent}" + (f"\n{change:+d}" if change is not None else "")


def heatmap_png(result: GapAnalysis) -> HeatmapPicture:
    try:
        # debrief.charts points matplotlib's font cache at a writable folder first.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import Rectangle

        from caseroom.debrief.charts import INK  # noqa: F401
    except ImportError as error:  # pragma: no cover - the 'reports' extra is missing
        raise ReportUnavailable(
            _("Charts need matplotlib: pip install 'caseroom[reports]'.") + f" [{error}]"
        ) from error
    lines: list[Line] = [*result.lines, result.region]
    columns = len(result.sections)
    width = 2.2 + 0.75 * max(columns, 1)
    height = 1.4 + 0.42 * len(lines)
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes: Any = figure.add_subplot()
    alt = []
    for row, line in enumerate(lines):
        for column, cell in enumerate(line.cells):
            step = cell.heat
            colour = HIDDEN if cell.hidden else "#ffffff" if step < 0 else COLOURS[step]
            axes.add_patch(
                Rectangle((column, row), 1, 1, facecolor=colour, edgecolor="#ffffff", linewidth=2)
            )
            ink = "#ffffff" if step in LIGHT_TEXT else "#1d232b"
            axes.text(
                column + 0.5, row + 0.5, _text(cell), ha="center", va="center", fontsize=7.5,
                color=ink,
            )  # fmt: skip
            alt.append(f"{line.label} / {result.sections[column].label}: {_text(cell)}")
    axes.set_xlim(0, max(columns, 1))
    axes.set_ylim(len(lines), 0)
    axes.set_xticks(
        [c + 0.5 for c in range(columns)],
        # "Guidelines §4.2" of "Guidelines §4.2 — Need assessment": the table says the rest.
        [textwrap.shorten(s.label.split(" — ")[0], 22, placeholder="…") for s in result.sections],
        rotation=40,
        ha="right",
        fontsize=7.5,
    )
    axes.set_yticks([r + 0.5 for r in range(len(lines))], [line.label for line in lines])
    axes.tick_params(length=0, labelsize=8)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_title(
        _("%(round)s: mean score per country and guideline section (%%)")
        % {"round": result.round.title},
        fontsize=9,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return HeatmapPicture(buffer.getvalue(), "; ".join(alt).replace("\n", " "))
