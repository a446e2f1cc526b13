"""A scenario's flow drawn as SVG on the server, for the trainers' page of a version.

The graph is the one `caseroom graph` writes as DOT or Mermaid (`engine.graph.flow_graph`):
scenes, a menu scene's actions, injects, endings, the expert path in blue. Nodes sit in
columns by the breadth-first depth at which the start first reaches them (left to right, as
a case is read); a node nothing leads to (an inject, an action offered in every scene) sits
one column before the first place it leads to. Within a column nodes follow the average row
of what leads to them, so most edges run level. Every edge is listed as a table row too
(`CaseMap.rows`): the words of each choice, and the map for a screen reader.

No JavaScript and no Graphviz to install: every text written into the SVG goes through
`html.escape`, so the markup may be marked safe in a template.
"""

from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from caseroom.engine import Scenario
from caseroom.engine.graph import FlowGraph, GraphEdge, GraphNode, flow_graph

__all__ = ["CaseMap", "MapRow", "case_map"]

NODE_WIDTH = 190
COLUMN_GAP = 90
NODE_GAP = 18
PAD = 8
FONT = 13  # px: read on a laptop at arm's length (the debrief's 9 px labels were not)
LINE = 16
CHARS = 25  # per line at FONT in NODE_WIDTH
MAX_LINES = 4
MARGIN = 16
LEGEND = 34

TEXT = "#1f2933"
STROKE = "#5b6b7b"
EDGE = "#7b8794"
EXPERT = "#1f6feb"
# The fills of the DOT drawing (engine/graph.py), so the two read alike.
FILLS = {
    "start": "#333333",
    "decision": "#fff2cc",
    "menu": "#dae8fc",
    "action": "#ffffff",
    "global": "#f5f5f5",
    "inject": "#ffe6cc",
    "choice": "#eeeeee",
    "success": "#d5e8d4",
    "partial": "#fff2cc",
    "failure": "#f8cecc",
}
DASHES = {"solid": "", "dashed": "6 4", "dotted": "2 3"}


@dataclass(frozen=True)
class MapRow:
    """One edge in words: from where, by what, to where."""

    source: str
    label: str
    target: str
    expert: bool


@dataclass(frozen=True)
class CaseMap:
    svg: str  # escaped: safe to mark safe
    rows: tuple[MapRow, ...]
    nodes: int


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    height: float
    lines: tuple[str, ...]


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _lines(label: str) -> tuple[str, ...]:
    """The node's label wrapped to the box, at most MAX_LINES lines (the last one cut)."""
    lines: list[str] = []
    for part in label.split("\n"):
        lines.extend(textwrap.wrap(part, CHARS) or [""])
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: CHARS - 1].rstrip() + "…"
    return tuple(lines)


def _nodes(graph: FlowGraph) -> list[GraphNode]:
    return [node for cluster in graph.clusters for node in cluster.nodes] + list(graph.nodes)


def _columns(nodes: list[GraphNode], edges: tuple[GraphEdge, ...]) -> dict[str, int]:
    after: dict[str, list[str]] = {node.id: [] for node in nodes}
    for edge in edges:
        if edge.source != edge.target and edge.source in after and edge.target in after:
            after[edge.source].append(edge.target)
    first = nodes[0].id if nodes else ""
    start = next((node.id for node in nodes if node.kind == "start"), first)
    column = {start: 0}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for target in after[here]:
            if target not in column:
                column[target] = column[here] + 1
                queue.append(target)
    # What nothing leads to goes just before the first place it leads to; repeated, since
    # such a node may lead to another of its kind.
    changed = True
    while changed:
        changed = False
        for node in nodes:
            placed = [column[t] for t in after[node.id] if t in column]
            if node.id not in column and placed:
                column[node.id] = max(0, min(placed) - 1)
                changed = True
    return {n.id: column.get(n.id, 0) for n in nodes}


def _order(
    nodes: list[GraphNode], edges: tuple[GraphEdge, ...], columns: dict[str, int]
) -> list[list[str]]:
    """The nodes of each column, top to bottom: two sweeps of averaging the rows of the
    nodes in earlier columns that lead to each (the barycentre heuristic)."""
    count = max(columns.values(), default=0) + 1
    table: list[list[str]] = [[] for _ in range(count)]
    for node in nodes:
        table[columns[node.id]].append(node.id)
    before: dict[str, list[str]] = {node.id: [] for node in nodes}
    for edge in edges:
        known = edge.target in before and edge.source in columns
        if known and columns[edge.source] < columns[edge.target]:
            before[edge.target].append(edge.source)
    row = {ident: index for column in table for index, ident in enumerate(column)}

    def centre(ident: str) -> float:
        sources = before[ident]
        return sum(row[s] for s in sources) / len(sources) if sources else float(row[ident])

    for _sweep in range(2):
        for index in range(1, count):
            table[index].sort(key=centre)
            row.update({ident: n for n, ident in enumerate(table[index])})
    return table


def _layout(nodes: list[GraphNode], table: list[list[str]]) -> tuple[dict[str, _Box], float, float]:
    labels = {node.id: _lines(node.label) for node in nodes}
    boxes: dict[str, _Box] = {}
    height = 0.0
    for index, column in enumerate(table):
        x = MARGIN + index * (NODE_WIDTH + COLUMN_GAP)
        y = MARGIN + LEGEND
        for ident in column:
            lines = labels[ident]
            tall = 2 * PAD + len(lines) * LINE
            boxes[ident] = _Box(x, y, tall, lines)
            y += tall + NODE_GAP
        height = max(height, y)
    width = MARGIN * 2 + len(table) * NODE_WIDTH + (len(table) - 1) * COLUMN_GAP
    return boxes, width + COLUMN_GAP / 2, height + MARGIN


def _edge(edge: GraphEdge, boxes: dict[str, _Box], names: dict[str, str]) -> str:
    a, b = boxes[edge.source], boxes[edge.target]
    y1, y2 = a.y + a.height / 2, b.y + b.height / 2
    right = a.x + NODE_WIDTH
    if edge.source == edge.target:  # the team stays: a small loop on the right
        d = (
            f"M{_num(right)},{_num(y1 - 6)} C{_num(right + 34)},{_num(y1 - 26)} "
            f"{_num(right + 34)},{_num(y1 + 26)} {_num(right + 2)},{_num(y1 + 6)}"
        )
    elif b.x > a.x:  # forward: a smooth S between the columns
        bend = (b.x - right) / 2
        d = (
            f"M{_num(right)},{_num(y1)} C{_num(right + bend)},{_num(y1)} "
            f"{_num(b.x - bend)},{_num(y2)} {_num(b.x - 2)},{_num(y2)}"
        )
    else:  # back or within a column: out on the right, round, in on the right
        reach = 50 + abs(a.x - b.x) / 8
        end = b.x + NODE_WIDTH
        d = (
            f"M{_num(right)},{_num(y1)} C{_num(right + reach)},{_num(y1)} "
            f"{_num(end + reach)},{_num(y2)} {_num(end + 2)},{_num(y2)}"
        )
    colour = EXPERT if edge.expert else EDGE
    marker = "map-arrow-expert" if edge.expert else "map-arrow"
    dash = DASHES[edge.style]
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    label = edge.label.replace("\n", " · ")
    hover = f"{names[edge.source]} → {names[edge.target]}" + (f": {label}" if label else "")
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" '
        f'stroke-width="{3 if edge.expert else 1.5}"{dashes} marker-end="url(#{marker})">'
        f"<title>{escape(hover)}</title></path>"
    )


def _node(node: GraphNode, box: _Box) -> str:
    fill = FILLS.get(node.kind, "#ffffff")
    ink = "#ffffff" if node.kind == "start" else TEXT
    stroke, width = (EXPERT, 3) if node.expert else (STROKE, 1)
    dash = ' stroke-dasharray="5 3"' if node.kind in ("global", "inject") else ""
    rounded = 14 if node.kind in ("success", "partial", "failure", "start") else 5
    spans = "".join(
        f'<tspan x="{_num(box.x + PAD)}" y="{_num(box.y + PAD + (n + 1) * LINE - 4)}">'
        f"{escape(line)}</tspan>"
        for n, line in enumerate(box.lines)
    )
    return (
        f'<g class="map-node map-node-{node.kind}"><title>{escape(node.label)}</title>'
        f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{NODE_WIDTH}" '
        f'height="{_num(box.height)}" rx="{rounded}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{width}"{dash}/><text fill="{ink}">{spans}</text></g>'
    )


def _first_line(label: str) -> str:
    return label.split("\n", 1)[0]


def case_map(scenario: Scenario, lang: str | None = None) -> CaseMap:
    """The scenario's flow as an SVG fragment and as rows of a table."""
    graph = flow_graph(scenario, lang)
    nodes = _nodes(graph)
    columns = _columns(nodes, graph.edges)
    boxes, width, height = _layout(nodes, _order(nodes, graph.edges, columns))
    names = {node.id: _first_line(node.label) for node in nodes}
    edges = [e for e in graph.edges if e.source in boxes and e.target in boxes]
    caption = _("The flow of the case: scenes, actions, injects and endings")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="case-map" width="{_num(width)}" '
        # Drawn at its size and scrolled sideways: the page's `svg { max-width: 100% }` would
        # shrink a long case's labels to nothing.
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        'style="max-width: none" role="img" '
        f'aria-labelledby="case-map-title" font-family="sans-serif" font-size="{FONT}">',
        f'<title id="case-map-title">{escape(caption)}</title>',
        "<defs>",
        *(
            # In the drawing's units: a thick expert line must not get a giant arrowhead.
            f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
            f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" '
            f'fill="{colour}"/></marker>'
            for ident, colour in (("map-arrow", EDGE), ("map-arrow-expert", EXPERT))
        ),
        "</defs>",
        f'<g class="map-legend"><line x1="{MARGIN}" y1="{MARGIN + 8}" x2="{MARGIN + 30}" '
        f'y2="{MARGIN + 8}" stroke="{EXPERT}" stroke-width="3"/>'
        f'<text x="{MARGIN + 38}" y="{MARGIN + 12}" fill="{TEXT}">'
        f"{escape(_('expert path'))}</text></g>",
        '<g class="map-edges">',
        *(_edge(edge, boxes, names) for edge in edges if not edge.expert),
        *(_edge(edge, boxes, names) for edge in edges if edge.expert),
        '</g><g class="map-nodes">',
        *(_node(node, boxes[node.id]) for node in nodes),
        "</g></svg>",
    ]
    rows = tuple(
        MapRow(names[e.source], e.label.replace("\n", " · "), names[e.target], e.expert)
        for e in edges
    )
    return CaseMap("".join(out), rows, len(nodes))
