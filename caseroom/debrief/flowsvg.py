"""A Sankey-style SVG of the teams' flow through the case, drawn on the server.

No JavaScript and no external resources: the facilitator projects the page as it is.
Nodes (scenes, then endings) sit in columns by the depth at which a breadth-first walk
from the start scene first reaches them, endings in the last column; a node's height is
proportional to the teams that passed through it, a link's stroke width to the teams that
took it. Links on the expert path are drawn last, in their own colour. Cycles (a scene
revisited, a facilitator jump back) only give links that point to an earlier column.

Every text written into the SVG goes through `html.escape`, so the markup can be marked
safe in a template. Output is deterministic: it depends only on the order of `flow`.

>>> svg = render_flow_svg(flow, lambda node: titles[node.id])  # doctest: +SKIP
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseroom.engine import FlowData, FlowLink, FlowNode

__all__ = ["render_flow_svg"]

MAX_LABEL = 28
NODE_WIDTH = 14
COLUMN_WIDTH = 240  # at most; long cases get narrower columns to fit FIT_WIDTH
MIN_COLUMN_WIDTH = 120
FIT_WIDTH = 1200  # a long case still reads on a laptop or projector without scrolling
CHAR_WIDTH = 6.6  # of the label font, to cut labels to the room their column leaves
NODE_GAP = 18
MIN_NODE_HEIGHT = 22
MAX_UNIT = 28.0  # pixels per team, at most
COLUMN_HEIGHT = 360.0  # the busiest column fits this height (beyond the minimum heights)
MARGIN = 16
LEGEND_HEIGHT = 28
LABEL_ROOM = 200  # labels right of the last column's nodes

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


def _truncate(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def render_flow_svg(flow: FlowData, label: Callable[[FlowNode], str]) -> str:
    """The flow as an SVG document fragment; '' when there is nothing to draw."""
    if not flow.nodes:
        return ""
    columns = _columns(flow)
    names = {node.id: label(node) or node.id for node in flow.nodes}
    by_column: dict[int, list[FlowNode]] = {}
    for node in flow.nodes:
        by_column.setdefault(columns[node.id], []).append(node)
    busiest = max(sum(node.teams for node in nodes) for nodes in by_column.values())
    unit = min(MAX_UNIT, COLUMN_HEIGHT / busiest) if busiest else 0.0

    last = max(by_column)
    step = max(MIN_COLUMN_WIDTH, min(COLUMN_WIDTH, FIT_WIDTH // max(1, last)))
    room = max(8, min(MAX_LABEL, int((step - NODE_WIDTH - 14) / CHAR_WIDTH)))
    top = MARGIN + LEGEND_HEIGHT
    boxes: dict[str, tuple[float, float, float]] = {}  # id -> x, y, height
    bottom = float(top)
    for column in sorted(by_column):
        y = float(top)
        x = MARGIN + column * step
        for node in by_column[column]:
            tall = max(float(MIN_NODE_HEIGHT), node.teams * unit)
            boxes[node.id] = (float(x), y, tall)
            y += tall + NODE_GAP
        bottom = max(bottom, y - NODE_GAP)
    width = MARGIN * 2 + last * step + NODE_WIDTH + LABEL_ROOM
    height = bottom + MARGIN

    drawn = [link for link in flow.links if link.source in boxes and link.target in boxes]
    ports = _ports(drawn, boxes, unit)

    caption = _("Flow of the teams through the case")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-svg" width="100%" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-labelledby="flow-svg-title" font-family="sans-serif" font-size="12">',
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
        out.append(_link(link, names, boxes, ports, unit))
    out.append("</g>")
    out.append('<g class="flow-nodes">')
    for node in flow.nodes:
        limit = MAX_LABEL if columns[node.id] == last else room
        out.append(_node(node, names[node.id], boxes[node.id], limit))
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
    boxes: dict[str, tuple[float, float, float]],
    ports: dict[tuple[str, str], tuple[float, float]],
    unit: float,
) -> str:
    y1, y2 = ports[(link.source, link.target)]
    x1 = boxes[link.source][0] + NODE_WIDTH
    x2 = boxes[link.target][0]
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
        f'stroke-width="{_num(_stroke(link, unit))}"{dash}>'
        f"<title>{escape(hover)}</title></path>"
    )


def _node(node: FlowNode, name: str, box: tuple[float, float, float], limit: int) -> str:
    x, y, height = box
    if node.kind == "ending":
        fill = ENDING_FILL.get(node.outcome or "", ENDING_DEFAULT)
    else:
        fill = SCENE_FILL
    css = f"flow-node flow-node-{node.kind}" + (" flow-node-expert" if node.expert else "")
    edge = f' stroke="{EXPERT_COLOUR}" stroke-width="2"' if node.expert else ""
    hover = f"{name}: {_teams(node.teams)}"
    text_x = x + NODE_WIDTH + 6
    return (
        f'<g class="{css}"><title>{escape(hover)}</title>'
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{NODE_WIDTH}" height="{_num(height)}" '
        f'fill="{fill}"{edge}/>'
        f'<text x="{_num(text_x)}" y="{_num(y + height / 2)}" dominant-baseline="middle" '
        f'fill="{TEXT_COLOUR}">{escape(_truncate(name, limit))} '
        f'<tspan fill-opacity="0.6">({node.teams})</tspan></text></g>'
    )
