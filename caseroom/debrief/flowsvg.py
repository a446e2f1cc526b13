"""A Sankey-style SVG of the teams' flow through the case, drawn on the server.

No JavaScript and no external resources: the facilitator projects the page as it is.
Nodes (scenes, then endings) sit in columns by the depth at which a breadth-first walk
from the start scene first reaches them, endings in the last column; a node's height is
proportional to the teams that passed through it, a link's stroke width to the teams that
took it. Links on the expert path are drawn last, in their own colour. Cycles (a scene
revisited, a facilitator jump back) only give links that point to an earlier column.
A long case's columns wrap onto bands below one another, so that its labels keep room to
be read at 12 px or more on a laptop or a projector; labels wrap over lines.

Every text written into the SVG goes through `html.escape`, so the markup can be marked
safe in a template. Output is deterministic: it depends only on the order of `flow`.

>>> svg = render_flow_svg(flow, lambda node: titles[node.id])  # doctest: +SKIP
"""

from __future__ import annotations

import textwrap
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseroom.engine import FlowData, FlowLink, FlowNode

__all__ = ["render_flow_svg"]

# The drawing is at most FIT_WIDTH units wide and its text FONT units high: the debrief
# page's card and the projector (1366 px wide) show it at 1:1 or larger, so labels are at
# least 12 px there. A long case does not squeeze its columns below MIN_COLUMN_WIDTH: its
# columns wrap onto a second band (third...) below the first, as lines of text do.
FONT = 12
LINE = 15  # height of a label's line
CHAR_WIDTH = 6.8  # average advance of the label font, to wrap labels to their room
FIT_WIDTH = 1100
COLUMN_WIDTH = 240  # at most
MIN_COLUMN_WIDTH = 140  # a label of ~17 characters a line between two columns
MAX_LINES = 4  # a label longer than this many lines ends with "…" (hover shows it whole)
NODE_WIDTH = 12
NODE_GAP = 14
MIN_NODE_HEIGHT = 22
MAX_UNIT = 20.0  # pixels per team, at most
COLUMN_HEIGHT = 240.0  # the busiest column fits this height (beyond the minimum heights)
MARGIN = 16
BAND_GAP = 36  # between two bands of columns
LEGEND_HEIGHT = 28
LABEL_ROOM = 210  # labels right of the last column's nodes (endings: the longest titles)

SCENE_FILL = "#4a6fa5"
ENDING_FILL = {"success": "#2e7d32", "partial": "#b08900", "failure": "#c62828"}
ENDING_DEFAULT = "#6b6b6b"
LINK_COLOUR = "#8aa1c1"
EXPERT_COLOUR = "#e65100"
TEXT_COLOUR = "#1f2933"


def _num(value: float) -> str:
    """A coordinate with at most one decimal, always written the same way."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _wrap(text: str, width: int, lines: int = MAX_LINES) -> list[str]:
    """The label over at most `lines` lines of about `width` characters, cut with "…" only
    when it needs more; a word longer than a line is split."""
    wrapped = textwrap.wrap(text, max(width, 4), break_long_words=True) or [""]
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        wrapped = [*wrapped[: lines - 1], last[: max(width - 1, 1)].rstrip() + "…"]
    return wrapped


def _teams(count: int) -> str:
    return ngettext("%(count)d team", "%(count)d teams", count) % {"count": count}


def _columns(flow: FlowData) -> dict[str, int]:
    """Column of each node: first-reached BFS depth from the start; endings last."""
    ids = [node.id for node in flow.nodes]
    known = set(ids)
    endings = {node.id for node in flow.nodes if node.kind == "ending"}
    successors: dict[str, list[str]] = {node: [] for node in ids}
    predecessors: dict[str, list[str]] = {node: [] for node in ids}
    for link in flow.links:
        if link.source in known and link.target in known:
            successors[link.source].append(link.target)
            predecessors[link.target].append(link.source)
    depth: dict[str, int] = {}
    starts = [flow.expert_path[0]] if flow.expert_path and flow.expert_path[0] in known else []
    pending = [node for node in ids if node not in endings]
    while True:
        start = next((node for node in starts if node not in depth), None)
        if start is None:
            start = next((node for node in pending if node not in depth), None)
        if start is None:
            break
        placed = [depth[p] for p in predecessors[start] if p in depth]
        depth[start] = max(placed) + 1 if placed else 0
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in successors[node]:
                if nxt not in depth and nxt not in endings:
                    depth[nxt] = depth[node] + 1
                    queue.append(nxt)
    last = max(depth.values(), default=-1) + 1
    for node in ids:
        if node in endings:
            depth[node] = last
    return depth


@dataclass(frozen=True)
class _Layout:
    """Where each node is (x, y, height of its box) and its label's lines."""

    boxes: dict[str, tuple[float, float, float]]
    lines: dict[str, list[str]]
    width: float
    height: float
    unit: float  # pixels per team
    bands: dict[str, float]  # the top of each node's band


def _layout(flow: FlowData, columns: dict[str, int], names: dict[str, str]) -> _Layout:
    by_column: dict[int, list[FlowNode]] = {}
    for node in flow.nodes:
        by_column.setdefault(columns[node.id], []).append(node)
    last = max(by_column)
    # As many columns a band as fit FIT_WIDTH at MIN_COLUMN_WIDTH, spread evenly over bands.
    room = FIT_WIDTH - 2 * MARGIN - NODE_WIDTH - LABEL_ROOM
    fit = max(1, int(room // MIN_COLUMN_WIDTH) + 1)
    bands = -(-(last + 1) // fit)
    per_band = -(-(last + 1) // bands)
    step = min(float(COLUMN_WIDTH), room / max(1, per_band - 1))
    chars = int((step - NODE_WIDTH - 12) / CHAR_WIDTH)
    busiest = max(sum(node.teams for node in nodes) for nodes in by_column.values())
    unit = min(MAX_UNIT, COLUMN_HEIGHT / busiest) if busiest else 0.0

    lines: dict[str, list[str]] = {}
    slots: dict[str, float] = {}  # the height each node takes in its column: box or label
    for column, nodes in by_column.items():
        room_chars = int(LABEL_ROOM / CHAR_WIDTH) if column == last else chars
        for node in nodes:
            lines[node.id] = _wrap(f"{names[node.id]} ({node.teams})", room_chars)
            tall = max(float(MIN_NODE_HEIGHT), node.teams * unit)
            slots[node.id] = max(tall, len(lines[node.id]) * LINE + 4)
    band_height = [0.0] * bands
    for column, nodes in by_column.items():
        used = sum(slots[n.id] for n in nodes) + NODE_GAP * (len(nodes) - 1)
        band_height[column // per_band] = max(band_height[column // per_band], used)
    tops = [float(MARGIN + LEGEND_HEIGHT)]
    for band in range(1, bands):
        tops.append(tops[-1] + band_height[band - 1] + BAND_GAP)

    boxes: dict[str, tuple[float, float, float]] = {}
    for column, nodes in by_column.items():
        y = tops[column // per_band]
        x = MARGIN + (column % per_band) * step
        for node in nodes:
            tall = max(float(MIN_NODE_HEIGHT), node.teams * unit)
            slot = slots[node.id]
            boxes[node.id] = (x, y + (slot - tall) / 2, tall)
            y += slot + NODE_GAP
    width = MARGIN * 2 + (per_band - 1) * step + NODE_WIDTH + LABEL_ROOM
    height = tops[-1] + band_height[-1] + MARGIN
    band_tops = {node.id: tops[columns[node.id] // per_band] for node in flow.nodes}
    return _Layout(boxes, lines, width, height, unit, band_tops)


def render_flow_svg(flow: FlowData, label: Callable[[FlowNode], str]) -> str:
    """The flow as an SVG document fragment; '' when there is nothing to draw."""
    if not flow.nodes:
        return ""
    columns = _columns(flow)
    names = {node.id: label(node) or node.id for node in flow.nodes}
    layout = _layout(flow, columns, names)
    boxes, unit = layout.boxes, layout.unit

    drawn = [link for link in flow.links if link.source in boxes and link.target in boxes]
    ports = _ports(drawn, boxes, unit)

    caption = _("Flow of the teams through the case")
    # No fixed size: the drawing takes its container's width and keeps its proportions.
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-svg" width="100%" '
        f'viewBox="0 0 {_num(layout.width)} {_num(layout.height)}" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="flow-svg-title" '
        f'font-family="sans-serif" font-size="{FONT}">',
        f'<title id="flow-svg-title">{escape(caption)}</title>',
        f'<g class="flow-legend"><line x1="{MARGIN}" y1="{MARGIN + 8}" x2="{MARGIN + 28}" '
        f'y2="{MARGIN + 8}" stroke="{EXPERT_COLOUR}" stroke-width="5"/>'
        f'<text x="{MARGIN + 36}" y="{MARGIN + 12}" fill="{TEXT_COLOUR}">'
        f"{escape(_('expert path'))}</text></g>",
    ]
    plain = [link for link in drawn if not link.expert]
    expert = [link for link in drawn if link.expert]
    out.append('<g class="flow-links" fill="none">')
    for link in [*plain, *expert]:
        out.append(_link(link, names, layout, ports))
    out.append("</g>")
    out.append('<g class="flow-nodes">')
    for node in flow.nodes:
        out.append(_node(node, names[node.id], boxes[node.id], layout.lines[node.id]))
    out.append("</g></svg>")
    return "".join(out)


def _ports(
    links: list[FlowLink], boxes: dict[str, tuple[float, float, float]], unit: float
) -> dict[tuple[str, str], tuple[float, float]]:
    """Vertical centre of each link at its source and at its target, stacked by position."""
    outgoing: dict[str, list[FlowLink]] = {}
    incoming: dict[str, list[FlowLink]] = {}
    for link in links:
        outgoing.setdefault(link.source, []).append(link)
        incoming.setdefault(link.target, []).append(link)
    starts: dict[tuple[str, str], float] = {}
    ends: dict[tuple[str, str], float] = {}
    for table, other, result in (
        (outgoing, "target", starts),
        (incoming, "source", ends),
    ):
        for node, group in table.items():
            _x, y, height = boxes[node]
            group = sorted(group, key=lambda link: boxes[getattr(link, other)][1])
            widths = [_stroke(link, unit) for link in group]
            total = sum(widths)
            scale = min(1.0, height / total) if total else 1.0
            offset = y + max(0.0, (height - total * scale) / 2)
            for link, stroke in zip(group, widths, strict=True):
                result[(link.source, link.target)] = offset + stroke * scale / 2
                offset += stroke * scale
    return {key: (starts[key], ends[key]) for key in starts}


def _stroke(link: FlowLink, unit: float) -> float:
    return max(2.0, link.teams * unit) if link.teams else 2.0


def _link(
    link: FlowLink,
    names: dict[str, str],
    layout: _Layout,
    ports: dict[tuple[str, str], tuple[float, float]],
) -> str:
    boxes, unit = layout.boxes, layout.unit
    y1, y2 = ports[(link.source, link.target)]
    x1 = boxes[link.source][0] + NODE_WIDTH
    x2 = boxes[link.target][0]
    stroke = _stroke(link, unit)
    if layout.bands[link.target] > layout.bands[link.source]:
        # Onto a later band: a thin line that returns like a carriage, through the gap
        # above the target's band (a broad band across the drawing would hide the labels).
        d = _carriage(x1, y1, x2, y2, layout.bands[link.target] - BAND_GAP / 2)
        stroke = min(stroke, 3.0)
    else:
        # Forward: a smooth S between the columns. Back to an earlier column (a cycle): a
        # short fixed bend, so the curve stays within the drawing's left margin.
        bend = max((x2 - x1) / 2, 60.0) if x2 > x1 else 60.0
        d = (
            f"M{_num(x1)},{_num(y1)} C{_num(x1 + bend)},{_num(y1)} "
            f"{_num(x2 - bend)},{_num(y2)} {_num(x2)},{_num(y2)}"
        )
    colour = EXPERT_COLOUR if link.expert else LINK_COLOUR
    css = "flow-link flow-link-expert" if link.expert else "flow-link"
    opacity = "0.75" if link.expert else "0.45"
    dash = ' stroke-dasharray="6 4"' if not link.teams else ""
    hover = f"{names[link.source]} → {names[link.target]}: {_teams(link.teams)}"
    return (
        f'<path class="{css}" d="{d}" stroke="{colour}" stroke-opacity="{opacity}" '
        f'stroke-width="{_num(stroke)}"{dash}>'
        f"<title>{escape(hover)}</title></path>"
    )


def _carriage(x1: float, y1: float, x2: float, y2: float, gap: float) -> str:
    """Right out of the source, down to `gap`, left to before the target, down, in."""
    r = 8.0
    right, left = x1 + 10, max(2.0, x2 - 10 - r)  # within the drawing's left margin
    return (
        f"M{_num(x1)},{_num(y1)} H{_num(right)} Q{_num(right + r)},{_num(y1)} "
        f"{_num(right + r)},{_num(y1 + r)} V{_num(gap - r)} Q{_num(right + r)},{_num(gap)} "
        f"{_num(right)},{_num(gap)} H{_num(left + r)} Q{_num(left)},{_num(gap)} "
        f"{_num(left)},{_num(gap + r)} V{_num(y2 - r)} Q{_num(left)},{_num(y2)} "
        f"{_num(left + r)},{_num(y2)} H{_num(x2)}"
    )


def _node(node: FlowNode, name: str, box: tuple[float, float, float], lines: list[str]) -> str:
    x, y, height = box
    if node.kind == "ending":
        fill = ENDING_FILL.get(node.outcome or "", ENDING_DEFAULT)
    else:
        fill = SCENE_FILL
    css = f"flow-node flow-node-{node.kind}" + (" flow-node-expert" if node.expert else "")
    edge = f' stroke="{EXPERT_COLOUR}" stroke-width="2"' if node.expert else ""
    hover = f"{name}: {_teams(node.teams)}"
    text_x = _num(x + NODE_WIDTH + 6)
    # The lines are centred on the box; a white halo keeps them legible over the links.
    first = y + height / 2 - (len(lines) - 1) * LINE / 2
    spans = "".join(
        f'<tspan x="{text_x}" y="{_num(first + number * LINE)}">{escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )
    return (
        f'<g class="{css}"><title>{escape(hover)}</title>'
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{NODE_WIDTH}" height="{_num(height)}" '
        f'fill="{fill}"{edge}/>'
        f'<text dominant-baseline="middle" fill="{TEXT_COLOUR}" stroke="#fff" '
        f'stroke-width="3" stroke-linejoin="round" paint-order="stroke">{spans}</text></g>'
    )
