"""The map of a case drawn as SVG: well-formed, every node and edge of the DOT graph drawn,
read left to right from the start, and every text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from caseroom.engine import Scenario
from caseroom.engine.graph import GraphNode, flow_graph
from caseroom.scenarios import casemap

SVG = "{http://www.w3.org/2000/svg}"


def test_the_map_draws_every_node_and_edge_of_the_graph(mini: Scenario) -> None:
    drawn = casemap.case_map(mini)
    root = ET.fromstring(drawn.svg)  # well-formed XML, or this raises
    graph = flow_graph(mini)
    nodes = [n for c in graph.clusters for n in c.nodes] + list(graph.nodes)
    assert drawn.nodes == len(nodes)
    assert len(root.findall(f".//{SVG}g[@class]")) >= len(nodes)
    assert len(root.findall(f".//{SVG}path[@marker-end]")) == len(graph.edges)
    assert len(drawn.rows) == len(graph.edges)
    assert any(row.expert for row in drawn.rows)


def test_the_start_is_the_first_column_and_what_it_leads_to_comes_after(mini: Scenario) -> None:
    graph = flow_graph(mini)
    nodes = [n for c in graph.clusters for n in c.nodes] + list(graph.nodes)
    columns = casemap._columns(nodes, graph.edges)
    start = next(n.id for n in nodes if n.kind == "start")
    assert columns[start] == 0
    first = next(e.target for e in graph.edges if e.source == start)
    assert columns[first] == 1


def test_labels_are_wrapped_and_escaped() -> None:
    node = GraphNode("scene_x", "<script>alert(1)</script> & a very long title indeed", "menu")
    box = casemap._Box(0, 0, 60, casemap._lines(node.label))
    markup = casemap._node(node, box)
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "&amp;" in markup
    assert all(len(line) <= casemap.CHARS for line in box.lines)
    assert len(casemap._lines("word " * 100)) == casemap.MAX_LINES
