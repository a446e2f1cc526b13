"""Charts of the after-action report, drawn by matplotlib on the server as SVG and PNG.

No browser and no internet: the SVG goes inline into the HTML and PDF, the PNG into the
DOCX. Only matplotlib's object-oriented API with the Agg canvas is used (no pyplot and
no global figure state), so charts can be drawn from several threads at once. SVG text
is written as paths, so the file needs no font and looks the same in WeasyPrint, Word
and any browser.

>>> chart = endings_chart([("Team 1", "Network dismantled", "success")])  # doctest: +SKIP
>>> chart.svg.startswith("<svg"), chart.png[:4]  # doctest: +SKIP
(True, b'\\x89PNG')
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# matplotlib writes a font cache on import; a read-only home (a service account) must not
# stop the report, so the cache goes to a temporary folder unless the admin chose one.
if "MPLCONFIGDIR" not in os.environ:  # pragma: no cover - depends on the machine
    _cache = Path(tempfile.gettempdir()) / "caseroom-matplotlib"
    _cache.mkdir(parents=True, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(_cache)

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402 (after the cache dir)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

__all__ = [
    "OUTCOME_COLOURS",
    "PALETTE",
    "Chart",
    "endings_chart",
    "misconceptions_chart",
    "scores_chart",
]

# Okabe & Ito's colour-blind-safe palette; also distinct in greyscale print order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OUTCOME_COLOURS = {
    "success": "#009E73",
    "partial": "#E69F00",
    "failure": "#D55E00",
    "": "#999999",
}
INK = "#1d232b"
GRID = "#d6dbe1"
WIDTH = 7.2  # inches: the text width of an A4 page with 2 cm margins, at 100 %
DPI = 200  # the PNG stays sharp on a projector and in print
LABEL_WIDTH = 34  # characters per line of a category label


@dataclass(frozen=True)
class Chart:
    """One chart in both formats, with a text alternative for screen readers and Word."""

    title: str
    svg: str
    png: bytes
    alt: str


def _figure(height: float) -> tuple[Figure, Any]:
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.spines[["left", "bottom"]].set_color(GRID)
    axes.tick_params(colors=INK, labelsize=9.5)
    axes.set_axisbelow(True)
    return figure, axes


_SVG_HEAD = re.compile(r"\A.*?(<svg\b)", re.DOTALL)
_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def _render(figure: Figure, title: str, alt: str) -> Chart:
    # rcParams are global, so none is changed here (thread safety): text as paths and
    # DejaVu Sans are matplotlib's defaults; colours and sizes are set on each artist.
    svg_buffer = io.StringIO()
    figure.savefig(svg_buffer, format="svg", metadata={"Date": None, "Creator": None})
    png_buffer = io.BytesIO()
    figure.savefig(png_buffer, format="png", dpi=DPI, metadata={"Software": None})
    # Drop the XML declaration and DOCTYPE (it names an external DTD): the SVG goes inline.
    # The RDF metadata names outside vocabularies by URL: not needed in a report.
    svg = _SVG_HEAD.sub(r"\1", svg_buffer.getvalue(), count=1)
    svg = _SVG_METADATA.sub("", svg, count=1)
    return Chart(title=title, svg=svg, png=png_buffer.getvalue(), alt=alt)


def _wrap(label: str, width: int = LABEL_WIDTH, lines: int = 2) -> str:
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1].rstrip() + "…"]
    return "\n".join(wrapped)


def _legend_below(
    figure: Figure, handles: Sequence[Any], labels: Sequence[str], ncols: int
) -> None:
    """The legend under the whole figure, outside the axes: constrained layout makes room
    for it below the axis title, which a legend anchored under the axes overprinted."""
    figure.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=max(1, ncols),
        frameon=False,
        fontsize=9,
    )


def endings_chart(teams: Sequence[tuple[str, str, str]], *, unended: str = "") -> Chart:
    """Teams per ending, coloured by outcome: `teams` are (team, ending title, outcome).

    Teams without an ending count as `unended` ("not ended" unless told, say "stopped by
    the facilitator" once the exercise has ended).
    """
    figure, title, alt = _endings_figure(teams, unended=unended)
    return _render(figure, title, alt)


def _endings_figure(
    teams: Sequence[tuple[str, str, str]], *, unended: str = ""
) -> tuple[Figure, str, str]:
    title = _("Endings reached")
    unended = unended or _("not ended")
    counts: dict[tuple[str, str], list[str]] = {}
    for team, ending, outcome in teams:
        key = (ending or unended, outcome if ending else "")
        counts.setdefault(key, []).append(team)
    order = {"success": 0, "partial": 1, "failure": 2, "": 3}
    items = sorted(counts.items(), key=lambda kv: (order.get(kv[0][1], 3), -len(kv[1]), kv[0][0]))
    figure, axes = _figure(0.9 + 0.55 * max(len(items), 1))
    labels = [_wrap(ending) for (ending, _o), _t in items]
    values = [len(names) for _k, names in items]
    colours = [OUTCOME_COLOURS.get(outcome, OUTCOME_COLOURS[""]) for (_e, outcome), _t in items]
    positions = list(range(len(items)))
    bars = axes.barh(positions, values, color=colours, height=0.6)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel(_("Teams"))
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.bar_label(bars, padding=3, color=INK, fontsize=9.5)
    axes.set_xlim(0, max(values, default=1) * 1.15 + 0.1)
    outcome_names = {
        "success": _("success"),
        "partial": _("partial success"),
        "failure": _("failure"),
        "": unended,
    }
    shown = sorted({outcome for (_e, outcome), _t in items}, key=lambda o: order.get(o, 3))
    handles = [Patch(facecolor=OUTCOME_COLOURS.get(o, OUTCOME_COLOURS[""])) for o in shown]
    _legend_below(figure, handles, [outcome_names.get(o, o) for o in shown], len(shown))
    alt = "; ".join(
        _("%(ending)s: %(count)s (%(teams)s)")
        % {"ending": ending, "count": len(names), "teams": ", ".join(names)}
        for (ending, _o), names in items
    )
    return figure, title, alt


def scores_chart(dimensions: Sequence[str], teams: Sequence[tuple[str, Sequence[int]]]) -> Chart:
    """Points per rubric dimension (rows) for each team (bars in a group, one colour each)."""
    figure, title, alt = _scores_figure(dimensions, teams)
    return _render(figure, title, alt)


def _scores_figure(
    dimensions: Sequence[str], teams: Sequence[tuple[str, Sequence[int]]]
) -> tuple[Figure, str, str]:
    title = _("Scores per rubric dimension")
    count = max(len(teams), 1)
    group = 0.8
    bar = group / count
    figure, axes = _figure(1.1 + len(dimensions) * (0.14 * count + 0.3))
    positions = list(range(len(dimensions)))
    for number, (team, points) in enumerate(teams):
        offsets = [p - group / 2 + bar * (number + 0.5) for p in positions]
        colour = PALETTE[number % len(PALETTE)]
        hatch = "//" if number >= len(PALETTE) else None
        bars = axes.barh(
            offsets, list(points), height=bar * 0.92, color=colour, label=team, hatch=hatch
        )
        if count <= 6:
            axes.bar_label(bars, padding=2, fontsize=8, color=INK)
    axes.set_yticks(positions, [_wrap(d, 24) for d in dimensions])
    axes.invert_yaxis()
    axes.axvline(0, color=INK, linewidth=0.8)
    axes.set_xlabel(_("Points"))
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    handles, labels = axes.get_legend_handles_labels()
    _legend_below(figure, handles, labels, min(count, 4))
    alt = "; ".join(
        f"{team}: " + ", ".join(f"{d} {p}" for d, p in zip(dimensions, points, strict=False))
        for team, points in teams
    )
    return figure, title, alt


def misconceptions_chart(items: Sequence[tuple[str, int]], total_teams: int) -> Chart:
    """Misconceptions ranked (most teams first): (title, teams that showed it)."""
    title = _("Misconceptions by number of teams")
    figure, axes = _figure(0.9 + 0.55 * max(len(items), 1))
    positions = list(range(len(items)))
    bars = axes.barh(positions, [n for _t, n in items], color=PALETTE[5], height=0.6)
    axes.set_yticks(positions, [_wrap(t, 40) for t, _n in items])
    axes.invert_yaxis()
    axes.set_xlim(0, max(total_teams, 1))
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel(_("Teams (of %(total)s)") % {"total": total_teams})
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.bar_label(bars, padding=3, color=INK, fontsize=9.5)
    alt = "; ".join(
        ngettext(
            "%(title)s: %(teams)s of %(total)s team",
            "%(title)s: %(teams)s of %(total)s teams",
            total_teams,
        )
        % {"title": t, "teams": n, "total": total_teams}
        for t, n in items
    )
    return _render(figure, title, alt)
