"""The server-drawn Sankey SVG of the teams' flow, and its place on the cross-team page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from caseroom.debrief.flowsvg import render_flow_svg
from caseroom.engine import Event, FlowData, FlowLink, FlowNode
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team

SVG = "{http://www.w3.org/2000/svg}"


def node(id: str, teams: int, expert: bool = False, kind: str = "scene") -> FlowNode:
    if kind == "ending":
        return FlowNode(id, "ending", None, "success", teams, expert)
    return FlowNode(id, "scene", None, None, teams, expert)


FLOW = FlowData(
    teams=3,
    nodes=(
        node("start", 3, expert=True),
        node("a", 2, expert=True),
        node("b", 1),
        node("good", 2, expert=True, kind="ending"),
        node("unused", 0, expert=True, kind="ending"),
    ),
    links=(
        FlowLink("start", "a", 2, True),
        FlowLink("start", "b", 1, False),
        FlowLink("a", "good", 2, True),
        FlowLink("b", "start", 1, False),  # a cycle: back to the start
        FlowLink("a", "unused", 0, True),
    ),
    expert_path=("start", "a", "good"),
)
TITLES = {"start": "Scene Start", "a": "Scene A", "b": "Scene B", "good": "Good end"}


def titled(flow_node: FlowNode) -> str:
    return TITLES.get(flow_node.id, flow_node.id)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def rects(root: ET.Element) -> list[ET.Element]:
    return root.findall(f".//{SVG}g[@class='flow-nodes']//{SVG}rect")


def links(root: ET.Element) -> list[ET.Element]:
    return root.findall(f".//{SVG}g[@class='flow-links']/{SVG}path")


def test_the_svg_parses_and_scales() -> None:
    root = parse(render_flow_svg(FLOW, titled))
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "script" not in render_flow_svg(FLOW, titled)


def test_one_rect_per_node_and_one_path_per_taken_link() -> None:
    root = parse(render_flow_svg(FLOW, titled))
    assert len(rects(root)) == len(FLOW.nodes)
    taken = [link for link in FLOW.links if link.teams > 0]
    hovers = {path.findtext(f"{SVG}title") for path in links(root)}
    for link in taken:
        assert f"{TITLES[link.source]} → {TITLES[link.target]}: {link.teams} team" in str(hovers)
    assert "Scene Start → Scene A: 2 teams" in hovers
    assert "Scene B → Scene Start: 1 team" in hovers
    assert len(links(root)) == len(FLOW.links)  # the untaken expert link is drawn dashed


def test_every_node_and_link_has_hover_text() -> None:
    root = parse(render_flow_svg(FLOW, titled))
    groups = root.findall(f".//{SVG}g[@class='flow-nodes']/{SVG}g")
    assert len(groups) == len(FLOW.nodes)
    assert all(group.findtext(f"{SVG}title") for group in groups)
    assert all(path.findtext(f"{SVG}title") for path in links(root))
    assert any(group.findtext(f"{SVG}title") == "Scene A: 2 teams" for group in groups)


def test_expert_links_are_highlighted_and_drawn_last() -> None:
    root = parse(render_flow_svg(FLOW, titled))
    paths = links(root)
    expert = [p for p in paths if "flow-link-expert" in (p.get("class") or "")]
    assert len(expert) == sum(link.expert for link in FLOW.links)
    assert paths[-len(expert) :] == expert
    assert {p.get("stroke") for p in expert}.isdisjoint(
        {p.get("stroke") for p in paths if p not in expert}
    )
    assert "expert path" in "".join(root.itertext())


def test_columns_follow_the_first_reached_depth_with_endings_last() -> None:
    root = parse(render_flow_svg(FLOW, titled))
    xs = [float(rect.get("x", "0")) for rect in rects(root)]
    start, a, b, good, unused = xs
    assert start < a == b < good == unused


def test_heights_follow_the_teams_with_a_minimum() -> None:
    root = parse(render_flow_svg(FLOW, titled))
    heights = [float(rect.get("height", "0")) for rect in rects(root)]
    assert heights[0] > heights[1] > heights[2] >= 20
    assert heights[4] >= 20  # no team, still labelled


def test_text_is_escaped_and_long_labels_wrapped_whole() -> None:
    nasty = 'Evil <script>alert(1)</script> & "quoted" and a long tail'
    svg = render_flow_svg(FLOW, lambda n: nasty if n.id == "a" else titled(n))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg and "&quot;" in svg
    root = parse(svg)
    labels = [t for t in root.iter(f"{SVG}text") if "".join(t.itertext()).startswith("Evil")]
    assert labels and all(len(list(t)) > 1 for t in labels)  # over lines, not cut
    assert " ".join(span.text or "" for span in labels[0]) == f"{nasty} (2)"
    titles = {t.text for t in root.iter(f"{SVG}title")}
    assert f"{nasty}: 2 teams" in titles
    assert f"Scene Start → {nasty}: 2 teams" in titles


def test_the_output_is_deterministic_and_empty_without_nodes() -> None:
    assert render_flow_svg(FLOW, titled) == render_flow_svg(FLOW, titled)
    assert render_flow_svg(FlowData(0, (), (), ()), titled) == ""


def test_a_flow_without_expert_path_still_lays_out() -> None:
    flow = FlowData(
        1,
        (node("x", 1), node("y", 1), node("end", 1, kind="ending")),
        (
            FlowLink("x", "y", 1, False),
            FlowLink("y", "x", 1, False),
            FlowLink("y", "end", 1, False),
        ),
        (),
    )
    root = parse(render_flow_svg(flow, titled))
    assert len(rects(root)) == 3 and len(links(root)) == 3


@pytest.mark.django_db
def test_the_cross_team_page_shows_the_flow(
    exercise: Exercise, team: Team, other_team: Team, facilitator_client: Client
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    actions.command(other_team, Event("act", role="police-rs", ref="treat-as-victim", actor="B"))
    page = facilitator_client.get(reverse("debrief_exercise", args=[exercise.pk])).content.decode()
    assert "Flow of the teams through the case" in page
    start = page.index("<svg")
    svg = page[start : page.index("</svg>", start) + len("</svg>")]
    root = parse(svg)
    assert rects(root) and links(root)
    titles = {t.text or "" for t in root.iter(f"{SVG}title")}
    assert any(title.startswith("The stop → ") for title in titles)
    assert any("flow-link-expert" in (p.get("class") or "") for p in links(root))
