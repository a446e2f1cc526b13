"""The flow of a scenario as a graph: Graphviz DOT or Mermaid.

One cluster per phase holds its scenes; a decision scene's options are labelled edges to
where they lead, a menu scene's actions are nodes of their own with edges for their `goto`.
Outcomes, approval reactions and request replies that jump add labelled edges; injects
that jump add dashed edges; `goto: end` passes through a small "first ending that holds"
node. The expert path's actions are drawn bold and blue.

>>> print(to_mermaid(load_scenario("scenarios/night-crossing")))  # doctest: +SKIP
flowchart TD
...
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .model import Action, PhaseRange
from .scenario import END, Scenario
from .strings import text

__all__ = [
    "MAX_LABEL",
    "FlowGraph",
    "GraphEdge",
    "GraphNode",
    "dot_escape",
    "flow_graph",
    "mermaid_escape",
    "to_dot",
    "to_mermaid",
]

MAX_LABEL = 40

NodeKind = Literal[
    "start",
    "decision",
    "menu",
    "action",
    "global",
    "inject",
    "choice",
    "success",
    "partial",
    "failure",
]
EdgeStyle = Literal["solid", "dashed", "dotted"]


@dataclass(frozen=True, slots=True)
class _Node:
    id: str
    label: str
    kind: NodeKind
    expert: bool = False


@dataclass(frozen=True, slots=True)
class _Edge:
    source: str
    target: str
    label: str = ""
    style: EdgeStyle = "solid"
    expert: bool = False


@dataclass(frozen=True, slots=True)
class _Cluster:
    id: str
    title: str
    nodes: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Graph:
    title: str
    clusters: tuple[_Cluster, ...]
    nodes: tuple[_Node, ...]  # outside any cluster
    edges: tuple[_Edge, ...]


# ---------------------------------------------------------------- labels and ids


def _clean(value: str) -> str:
    """One line of plain text: Markdown emphasis dropped, whitespace collapsed."""
    value = re.sub(r"(\*\*|__|`)", "", value)
    return " ".join(value.split())


def _short(value: str, limit: int = MAX_LABEL) -> str:
    value = _clean(value)
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _label(*lines: str) -> str:
    """Up to a few short lines joined by newlines (escaped per format when written)."""
    return "\n".join(_short(line) for line in lines if line)


# Scenario ids are lower-case, so upper-case ids of our own never collide with them.
START = "START"
CHOICE = "END_CHOICE"
GLOBAL = "GLOBAL_ACTIONS"


# ---------------------------------------------------------------- the graph model


class _Builder:
    def __init__(self, scenario: Scenario, lang: str | None) -> None:
        self.scenario = scenario
        self.lang = lang
        self.edges: list[_Edge] = []
        self.uses_choice = False
        self.ids: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()
        expert = scenario.doc.expert_path
        self.expert_actions = {s.do for s in expert if s.do}
        self.expert_approvals = {s.approve for s in expert if s.approve}

    def node_id(self, kind: str, ident: str) -> str:
        """A readable id safe in both formats (`scene_who_is_samir`), unique per element."""
        key = (kind, ident)
        found = self.ids.get(key)
        if found is None:
            found = base = f"{kind}_{ident.replace('-', '_')}"
            suffix = 2
            while found in self.used:  # `a-b` and `a_b` both exist
                found = f"{base}_{suffix}"
                suffix += 1
            self.ids[key] = found
            self.used.add(found)
        return found

    def t(self, key: str, fallback: str) -> str:
        return text(self.scenario, key, self.lang) or fallback

    def target(self, goto: str | None, end: str | None) -> str | None:
        if end is not None:
            return self.node_id("ending", end)
        if goto == END:
            self.uses_choice = True
            return CHOICE
        if goto is not None:
            return self.node_id("scene", goto)
        return None

    def jumps(self, action: Action) -> Iterator[tuple[str, str, bool]]:
        """(target node, qualifier, is the expert's way) for every jump an action can make."""
        main = self.target(action.goto, action.end)
        if main is not None:
            yield main, "once approved" if action.approval else "", action.id in self.expert_actions
        # Roles sent to a scene of their own (`split`): where their track starts.
        for split in action.effects.split if action.effects is not None else ():
            who = ", ".join(self.t(f"role.{r}.title", r) for r in split.roles)
            yield self.node_id("scene", split.to), f"track: {who}", False
        for index, outcome in enumerate(action.outcomes):
            target = self.target(outcome.goto, outcome.end)
            if target is not None:
                condition = f"if {outcome.when}" if outcome.when else "otherwise"
                yield target, f"outcome {index + 1}: {condition}", False
        if action.approval is not None:
            approve = self.target(action.approval.approve.goto, action.approval.approve.end)
            if approve is not None:
                yield approve, "approved", action.id in self.expert_approvals
            refuse = self.target(action.approval.refuse.goto, action.approval.refuse.end)
            if refuse is not None:
                yield refuse, "refused", False
            for step in action.approval.then:
                who = self.t(f"role.{step.authority}.title", step.authority)
                for answer in step.answers:
                    target = self.target(answer.goto, answer.end)
                    if target is not None and answer.decision == "refuse":
                        condition = f" if {answer.when}" if answer.when else ""
                        yield target, f"refused by {who}{condition}", False
        if action.request is not None:
            for reply in action.request.replies:
                target = self.target(reply.goto, reply.end)
                if target is not None:
                    condition = f"if {reply.when}" if reply.when else "otherwise"
                    yield target, f"reply {condition}", False

    def action_text(self, action: Action) -> str:
        return self.t(f"action.{action.id}.text", action.text)

    def scene_cluster(self, scene_id: str) -> list[_Node]:
        sc = self.scenario
        scene = sc.scenes[scene_id]
        title = self.t(f"scene.{scene_id}.title", scene.title)
        node = self.node_id("scene", scene_id)
        kind: NodeKind = "decision" if scene.kind == "decision" else "menu"
        nodes = [_Node(node, f"{_short(title)}\n{scene_id}", kind)]
        for action_id in sc.scene_actions[scene_id]:
            action = sc.actions[action_id]
            expert = action_id in self.expert_actions
            label = self.action_text(action)
            if scene.kind == "decision":
                jumps = list(self.jumps(action))
                if not jumps:  # the team stays in the scene
                    self.edges.append(_Edge(node, node, _label(label), expert=expert))
                for target, qualifier, on_path in jumps:
                    self.edges.append(_Edge(node, target, _label(label, qualifier), expert=on_path))
                continue
            action_node = self.node_id("action", action_id)
            nodes.append(_Node(action_node, _label(label), "action", expert))
            self.edges.append(_Edge(node, action_node, style="dotted", expert=expert))
            for target, qualifier, on_path in self.jumps(action):
                self.edges.append(_Edge(action_node, target, _label(qualifier), expert=on_path))
        return nodes

    def offered_in(self, action: Action) -> str:
        """Where a global action is offered, for its node: "" when everywhere."""
        sc = self.scenario
        if action.scenes is not None:
            titles = (self.t(f"scene.{s}.title", s) for s in action.scenes)
            return "in: " + ", ".join(titles)
        if isinstance(action.phases, PhaseRange):
            last = action.phases.to or sc.doc.phases[-1].id
            first = self.t(f"phase.{action.phases.from_}.title", action.phases.from_)
            return f"in: {first} … {self.t(f'phase.{last}.title', last)}"
        if action.phases is not None:
            return "in: " + ", ".join(self.t(f"phase.{p}.title", p) for p in action.phases)
        return ""

    def global_cluster(self) -> list[_Node]:
        nodes: list[_Node] = []
        for action_id in self.scenario.global_actions:
            action = self.scenario.actions[action_id]
            phases = self.offered_in(action)
            node = self.node_id("action", action_id)
            nodes.append(
                _Node(
                    node,
                    _label(self.action_text(action), phases),
                    "global",
                    action_id in self.expert_actions,
                )
            )
            for target, qualifier, on_path in self.jumps(action):
                self.edges.append(_Edge(node, target, _label(qualifier), expert=on_path))
        return nodes

    def injects(self) -> list[_Node]:
        nodes: list[_Node] = []
        for inject in self.scenario.injects.values():
            target = self.target(inject.goto, inject.end)
            if target is None:
                continue
            title = self.t(f"inject.{inject.id}.title", inject.title)
            if inject.at is not None:
                trigger = f"at {_duration(inject.at)}"
            elif inject.when is not None and inject.delay is not None:
                trigger = f"{_duration(inject.delay)} after {inject.when}"
            elif inject.when is not None:
                trigger = f"when {inject.when}"
            else:
                trigger = "fired by the facilitator"
            node = self.node_id("inject", inject.id)
            nodes.append(_Node(node, _label(title, trigger), "inject"))
            self.edges.append(_Edge(node, target, style="dashed"))
        return nodes

    def endings(self) -> list[_Node]:
        nodes: list[_Node] = []
        for ending in self.scenario.endings.values():
            title = self.t(f"ending.{ending.id}.title", ending.title)
            nodes.append(
                _Node(
                    self.node_id("ending", ending.id),
                    f"{_short(title)}\n{ending.id} · {ending.outcome}",
                    ending.outcome,
                )
            )
        return nodes

    def build(self) -> _Graph:
        sc = self.scenario
        clusters: list[_Cluster] = []
        for phase in sc.doc.phases:
            members: list[_Node] = []
            for scene_id, scene in sc.scenes.items():
                if scene.phase == phase.id:
                    members.extend(self.scene_cluster(scene_id))
            if members:
                title = self.t(f"phase.{phase.id}.title", phase.title)
                ident = self.node_id("phase", phase.id)
                clusters.append(_Cluster(ident, _short(title), tuple(members)))
        if sc.global_actions:
            offered = tuple(self.global_cluster())
            clusters.append(_Cluster(GLOBAL, "Offered in every scene", offered))
        loose = [_Node(START, "start", "start")]
        loose.extend(self.injects())
        endings = self.endings()
        if self.uses_choice:
            loose.append(_Node(CHOICE, "goto: end", "choice"))
            for ending in sc.endings.values():
                condition = f"if {ending.when}" if ending.when else "otherwise"
                self.edges.append(
                    _Edge(CHOICE, self.node_id("ending", ending.id), _label(condition), "dotted")
                )
        loose.extend(endings)
        edges = [
            _Edge(START, self.node_id("scene", sc.doc.start), expert=bool(sc.doc.expert_path)),
            *self.edges,
        ]
        title = self.t("scenario.title", sc.doc.title)
        return _Graph(title, tuple(clusters), tuple(loose), tuple(edges))


def _duration(minutes: int) -> str:
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return " ".join(p for p in parts if p) or "0m"


def _graph(scenario: Scenario, lang: str | None) -> _Graph:
    return _Builder(scenario, lang).build()


# The model DOT and Mermaid are written from, for a renderer of its own (the trainers'
# Scenarios page draws it as SVG, with no Graphviz to install): frozen records.
FlowGraph = _Graph
GraphNode = _Node
GraphEdge = _Edge


def flow_graph(scenario: Scenario, lang: str | None = None) -> FlowGraph:
    """The nodes, phase clusters and edges that `to_dot` and `to_mermaid` write."""
    return _graph(scenario, lang)


# ---------------------------------------------------------------- DOT

EXPERT_COLOUR = "#1f6feb"

_DOT_NODE = {
    "start": 'shape=circle, style=filled, fillcolor="#333333", fontcolor=white, fontsize=9',
    "decision": 'shape=hexagon, style=filled, fillcolor="#fff2cc"',
    "menu": 'shape=box, style="rounded,filled", fillcolor="#dae8fc"',
    "action": "shape=box, style=filled, fillcolor=white, fontsize=10",
    "global": 'shape=box, style="filled,dashed", fillcolor="#f5f5f5", fontsize=10',
    "inject": 'shape=parallelogram, style="filled,dashed", fillcolor="#ffe6cc", fontsize=10',
    "choice": 'shape=diamond, style=filled, fillcolor="#eeeeee", fontsize=9',
    "success": 'shape=doubleoctagon, style=filled, fillcolor="#d5e8d4"',
    "partial": 'shape=octagon, style=filled, fillcolor="#fff2cc"',
    "failure": 'shape=tripleoctagon, style=filled, fillcolor="#f8cecc"',
}


def dot_escape(value: str) -> str:
    """The content of a double-quoted DOT string: backslashes, quotes and newlines escaped."""
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return value.replace("\n", "\\n")


def _dot_node(node: _Node, indent: str) -> str:
    attrs = f'label="{dot_escape(node.label)}", {_DOT_NODE[node.kind]}'
    if node.expert:
        attrs += f', color="{EXPERT_COLOUR}", penwidth=2.5, fontcolor="{EXPERT_COLOUR}"'
    return f'{indent}"{node.id}" [{attrs}];'


def _dot_edge(edge: _Edge) -> str:
    attrs: list[str] = []
    if edge.label:
        attrs.append(f'label="{dot_escape(edge.label)}"')
    if edge.style != "solid":
        attrs.append(f"style={edge.style}")
    if edge.expert:
        attrs.append(f'color="{EXPERT_COLOUR}", penwidth=2.5, fontcolor="{EXPERT_COLOUR}"')
    suffix = f" [{', '.join(attrs)}]" if attrs else ""
    return f'  "{edge.source}" -> "{edge.target}"{suffix};'


def to_dot(scenario: Scenario, lang: str | None = None) -> str:
    """The scenario's flow as a Graphviz digraph (`dot -Tsvg flow.dot > flow.svg`)."""
    graph = _graph(scenario, lang)
    lines = [
        f'digraph "{dot_escape(scenario.id)}" {{',
        f'  label="{dot_escape(_short(graph.title, 80))}";',
        "  labelloc=t;",
        "  rankdir=TB;",
        "  compound=true;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for cluster in graph.clusters:
        lines.append(f'  subgraph "cluster_{cluster.id}" {{')
        lines.append(f'    label="{dot_escape(cluster.title)}";')
        lines.append('    style="rounded,dashed"; color="#999999";')
        lines.extend(_dot_node(node, "    ") for node in cluster.nodes)
        lines.append("  }")
    lines.extend(_dot_node(node, "  ") for node in graph.nodes)
    lines.extend(_dot_edge(edge) for edge in graph.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Mermaid

_MERMAID_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
}
_MERMAID_SHAPES = {
    "start": ('(("', '"))'),
    "decision": ('{{"', '"}}'),
    "menu": ('("', '")'),
    "action": ('["', '"]'),
    "global": ('["', '"]'),
    "inject": ('[/"', '"/]'),
    "choice": ('{"', '"}'),
    "success": ('(["', '"])'),
    "partial": ('[["', '"]]'),
    "failure": ('>"', '"]'),
}
_MERMAID_CLASSES = {
    "start": "fill:#333333,color:#ffffff",
    "decision": "fill:#fff2cc,stroke:#d6b656",
    "menu": "fill:#dae8fc,stroke:#6c8ebf",
    "action": "fill:#ffffff,stroke:#999999",
    "global": "fill:#f5f5f5,stroke:#999999,stroke-dasharray:4 3",
    "inject": "fill:#ffe6cc,stroke:#d79b00,stroke-dasharray:4 3",
    "choice": "fill:#eeeeee,stroke:#999999",
    "success": "fill:#d5e8d4,stroke:#82b366",
    "partial": "fill:#fff2cc,stroke:#d6b656",
    "failure": "fill:#f8cecc,stroke:#b85450",
}


def mermaid_escape(value: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and brackets as entity codes."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    escaped = ("".join(_MERMAID_ESCAPES.get(ch, ch) for ch in line) for line in lines)
    return "<br/>".join(escaped)


def _mermaid_node(node: _Node, indent: str) -> str:
    opening, closing = _MERMAID_SHAPES[node.kind]
    return f"{indent}{node.id}{opening}{mermaid_escape(node.label)}{closing}"


def _mermaid_edge(edge: _Edge) -> str:
    arrow = "==>" if edge.expert else ("-->" if edge.style == "solid" else "-.->")
    label = f'|"{mermaid_escape(edge.label)}"|' if edge.label else ""
    return f"  {edge.source} {arrow}{label} {edge.target}"


def to_mermaid(scenario: Scenario, lang: str | None = None) -> str:
    """The scenario's flow as a Mermaid flowchart (paste into Markdown or mermaid.live)."""
    graph = _graph(scenario, lang)
    comment = f"{_clean(graph.title)} ({scenario.id} {_clean(scenario.version)})"
    lines = ["flowchart TD", f"  %% {comment}"]
    by_kind: dict[str, list[str]] = {}
    expert_nodes: list[str] = []

    def note(node: _Node) -> None:
        by_kind.setdefault(node.kind, []).append(node.id)
        if node.expert:
            expert_nodes.append(node.id)

    for cluster in graph.clusters:
        lines.append(f'  subgraph {cluster.id}["{mermaid_escape(cluster.title)}"]')
        for node in cluster.nodes:
            lines.append(_mermaid_node(node, "    "))
            note(node)
        lines.append("  end")
    for node in graph.nodes:
        lines.append(_mermaid_node(node, "  "))
        note(node)
    lines.extend(_mermaid_edge(edge) for edge in graph.edges)
    for kind, style in _MERMAID_CLASSES.items():
        if kind in by_kind:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {','.join(by_kind[kind])} {kind}")
    if expert_nodes:
        style = f"stroke:{EXPERT_COLOUR},stroke-width:3px,color:{EXPERT_COLOUR}"
        lines.append(f"  classDef expert {style}")
        lines.append(f"  class {','.join(expert_nodes)} expert")
    expert_edges = [str(i) for i, edge in enumerate(graph.edges) if edge.expert]
    if expert_edges:
        style = f"stroke:{EXPERT_COLOUR},stroke-width:3px"
        lines.append(f"  linkStyle {','.join(expert_edges)} {style}")
    return "\n".join(lines) + "\n"
