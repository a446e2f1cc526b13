"""One YAML text read strictly: the YAML 1.2 core schema (`NO` is Norway, not false), a
composer that counts what aliases expand to (`limits.py`), and nodes turned into plain
values that remember where each was written. No tags, no merge keys.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from yaml.composer import Composer
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader as YamlReader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .. import limits
from ..diagnostics import Diagnostic, Location

__all__ = ["TOO_DEEP", "Loader", "NodeReader", "Path_", "PyLoader", "Refused", "loc"]

Path_ = tuple[str | int, ...]


class Refused(Exception):
    """The rest of a file cannot be read; `diagnostic` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


# ---------------------------------------------------------------- YAML 1.2 core schema

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema: only true/false are booleans (`NO`, `yes`, `on` stay text),
    `010` is ten, no sexagesimal numbers, no timestamps (dates stay as written)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_CoreResolver.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_CoreResolver.add_implicit_resolver(INT, _INT, list("-+0123456789"))
_CoreResolver.add_implicit_resolver(FLOAT, _FLOAT, list("-+.0123456789"))
_CoreResolver.add_implicit_resolver(NULL, _NULL, ["~", "n", "N", ""])


# ---------------------------------------------------------------- a bounded composer

TOO_DEEP = (
    f"nested too deeply: more than {limits.MAX_DEPTH} levels of mappings and lists "
    "(limit MAX_DEPTH)"
)


class _BoundedComposer(Composer):
    """PyYAML's composer, counting what it builds.

    Aliases share the node they name, so composing is cheap even for a "billion laughs"
    file; the damage comes when the tree is expanded. Every node therefore carries its
    expanded size and depth, and an alias adds those of what it names: the budget is spent
    as if the aliases were written out, and refused at the alias that exceeds it.
    """

    def __init__(self, file: str, budget: int) -> None:
        super().__init__()
        self.file = file
        self.budget = budget  # values left for this folder
        self.used = 0
        self.depth = 0
        self.sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, depth)
        self.open: set[str] = set()  # anchors of collections still being composed
        # '[' or '{' and where, of the flow collections being composed: after an error,
        # the innermost one still open is the bracket the author forgot to close.
        self.flows: list[tuple[str, Any]] = []

    if TYPE_CHECKING:  # given by the parser this is mixed with

        def check_event(self, *choices: type[Event]) -> bool: ...
        def peek_event(self) -> Any: ...

    def refuse(self, mark: Any, message: str) -> Refused:
        return Refused(Diagnostic(loc(self.file, mark), message, code="limit"))

    def spend(self, count: int, depth: int, mark: Any) -> None:
        self.used += count
        if self.used > self.budget:
            raise self.refuse(
                mark,
                f"too many values: more than {limits.MAX_NODES:,} in the folder once "
                "aliases are expanded (limit MAX_NODES)",
            )
        if self.depth + depth > limits.MAX_DEPTH:
            raise self.refuse(mark, TOO_DEEP)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self.open:
                raise Refused(
                    Diagnostic(
                        loc(self.file, event.start_mark),
                        f"the alias '*{event.anchor}' is inside the value it names "
                        "(a recursive alias)",
                        code="yaml",
                    )
                )
            node = super().compose_node(parent, index)
            size, depth = self.sizes.get(id(node), (1, 1))
            self.spend(size, depth, event.start_mark)
            return node
        self.spend(1, 1, self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_sequence_node(self, anchor: Any) -> SequenceNode:
        flow = self._open(anchor, "[")
        node = super().compose_sequence_node(anchor)
        self._close(anchor, flow, node, node.value)
        return node

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        flow = self._open(anchor, "{")
        node = super().compose_mapping_node(anchor)
        self._close(anchor, flow, node, [n for pair in node.value for n in pair])
        return node

    def _open(self, anchor: str | None, bracket: str) -> bool:
        if anchor is not None:
            self.open.add(anchor)
        start = self.peek_event()
        if start.flow_style:
            self.flows.append((bracket, start.start_mark))
        return bool(start.flow_style)

    def _close(self, anchor: str | None, flow: bool, node: Node, children: list[Node]) -> None:
        if anchor is not None:
            self.open.discard(anchor)
        if flow:
            self.flows.pop()
        if any(isinstance(c, SequenceNode | MappingNode) for c in children):
            known = [self.sizes.get(id(c), (1, 1)) for c in children]
            self.sizes[id(node)] = (
                1 + sum(s for s, _ in known),
                1 + max((d for _, d in known), default=0),
            )
        else:
            self.sizes[id(node)] = (1 + len(children), 2 if children else 1)


class PyLoader(_BoundedComposer, YamlReader, Scanner, Parser, _CoreResolver):  # type: ignore[misc]
    """PyYAML's own scanner and parser, for a PyYAML built without libyaml."""

    def __init__(self, text: str, file: str, budget: int) -> None:
        YamlReader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self, file, budget)
        _CoreResolver.__init__(self)

    def dispose(self) -> None:
        Parser.dispose(self)


Loader: type[PyLoader] = PyLoader
try:  # libyaml's scanner and parser: seven times faster than PyYAML's own (0.3 s vs 2.2 s
    # for vardar-corridor's files), while composing stays in Python where it is counted.
    from yaml._yaml import CParser

    class CLoader(_BoundedComposer, CParser, _CoreResolver):
        def __init__(self, text: str, file: str, budget: int) -> None:
            CParser.__init__(self, text)
            _BoundedComposer.__init__(self, file, budget)
            _CoreResolver.__init__(self)

    Loader = CLoader  # type: ignore[assignment]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass


# ---------------------------------------------------------------- from nodes to values


class NodeReader:
    """Composed nodes into plain values, recording where each key and item was written."""

    def __init__(self, file: str, problems: list[Diagnostic]) -> None:
        self.file = file
        self.problems = problems
        self.locations: dict[Path_, Location] = {}
        self.broken = False  # a value could not be read: the folder is not checked further

    def fail(self, node: Node, message: str) -> None:
        self.problems.append(Diagnostic(loc(self.file, node.start_mark), message, code="yaml"))
        self.broken = True

    def convert(self, node: Node, path: Path_) -> Any:
        # Depth and size were bounded while composing, so this recursion is bounded too.
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                self.fail(node, _unsupported_tag(node.tag))
                return None
            items = []
            for index, item in enumerate(node.value):
                self.locations[(*path, index)] = loc(self.file, item.start_mark)
                items.append(self.convert(item, (*path, index)))
            return items
        assert isinstance(node, ScalarNode)
        return self.scalar(node)

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if node.tag != MAP:
            self.fail(node, _unsupported_tag(node.tag))
            return result
        for key_node, value_node in node.value:
            known = len(self.problems)
            key = self.convert(key_node, path)
            if len(self.problems) > known:
                continue  # the key itself was reported
            if key == "<<" and isinstance(key_node, ScalarNode) and not key_node.style:
                self.fail(
                    key_node,
                    "merge keys ('<<') are not supported: write the keys out "
                    "(an alias may stand for a whole value)",
                )
                continue
            if not isinstance(key, str | int | float) or isinstance(key, bool):
                self.fail(key_node, "keys must be plain text")
                continue
            key = str(key)
            if key in result:
                self.problems.append(
                    Diagnostic(
                        loc(self.file, key_node.start_mark),
                        f"duplicate key '{key}' (a later value would silently replace "
                        "the earlier one)",
                        code="duplicate-key",
                    )
                )
                continue
            self.locations[(*path, key)] = loc(self.file, key_node.start_mark)
            result[key] = self.convert(value_node, (*path, key))
        return result

    def scalar(self, node: ScalarNode) -> Any:
        """A value by the YAML 1.2 core schema; an explicit tag must fit its value."""
        tag, value = node.tag, str(node.value)
        if tag == STR or tag == "!":
            return value
        if tag == NULL and _NULL.match(value):
            return None
        if tag == BOOL and value in _BOOL:
            return _BOOL[value]
        if tag == INT and _INT.match(value):
            digits = value.lstrip("+-")
            if len(digits) > limits.MAX_INT_DIGITS:
                self.fail(
                    node,
                    f"the number {_short(value, 16)} is too large: at most "
                    f"{limits.MAX_INT_DIGITS} digits (limit MAX_INT_DIGITS)",
                )
                return None
            sign = -1 if value.startswith("-") else 1
            if digits.startswith(("0o", "0x")):
                return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
            return sign * int(digits)
        if tag == FLOAT and _FLOAT.match(value):
            lowered = value.lower()
            if lowered.endswith(".nan"):
                return math.nan
            if lowered.endswith(".inf"):
                return -math.inf if value.startswith("-") else math.inf
            return float(value)
        if tag in (NULL, BOOL, INT, FLOAT):
            kind = {NULL: "null", BOOL: "true or false", INT: "a whole number", FLOAT: "a number"}
            self.fail(node, f"'{_short(value)}' is not {kind[tag]} (tag !!{tag.rsplit(':', 1)[1]})")
            return None
        self.fail(node, _unsupported_tag(tag))
        return None


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _unsupported_tag(tag: str | None) -> str:
    shown = str(tag).replace("tag:yaml.org,2002:", "!!")
    return (
        f"the tag '{_short(shown)}' is not supported: scenario files hold plain text, numbers, "
        "true/false, lists and mappings (quote a value that starts with '!')"
    )
