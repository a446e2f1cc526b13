"""Read a scenario folder's YAML files into one merged mapping that remembers positions.

Every value keeps the file, line and column where it was written, so that a problem found
later (a schema error, an unknown id, a bad expression) can be reported where the author
has to fix it.

The files may come from anyone (an upload, a careless copy), so reading is bounded
(`limits.py`: bytes, values after alias expansion, nesting) and strict: YAML 1.2 core rules
(`NO` is Norway, not false), no tags, no merge keys, no symbolic links out of the folder.
A file that breaks a rule is reported once, at the line and column of the problem, and
nothing more is read from it.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from . import limits
from .diagnostics import Diagnostic, Location

__all__ = ["LIST_SECTIONS", "READ_CODES", "Source", "read_folder"]

LIST_SECTIONS = (
    "objectives",
    "phases",
    "rubric",
    "roles",
    "scenes",
    "actions",
    "documents",
    "injects",
    "endings",
    "misconceptions",
    "expert_path",
)
MAPPING_SECTIONS = ("variables",)
# Diagnostic codes of a folder that could not be read in full: checking the rest would only
# add follow-on errors (a "missing key" that sits in the file that could not be read).
READ_CODES = frozenset({"yaml", "encoding", "limit", "file"})
Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """The merged raw content of a folder and where each part of it was written."""

    root: Path
    data: dict[str, Any] = field(default_factory=dict)
    locations: dict[Path_, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def locate(self, path: Path_) -> Location:
        """The position of `path`, or of its closest written ancestor."""
        probe = tuple(path)
        while probe:
            found = self.locations.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return Location(self.files[0] if self.files else "scenario.yaml", 1, 1)


class _Refused(Exception):
    """The rest of a file cannot be read; `diagnostic` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MiB"


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

_TOO_DEEP = (
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

    def refuse(self, mark: Any, message: str) -> _Refused:
        return _Refused(Diagnostic(_loc(self.file, mark), message, code="limit"))

    def spend(self, count: int, depth: int, mark: Any) -> None:
        self.used += count
        if self.used > self.budget:
            raise self.refuse(
                mark,
                f"too many values: more than {limits.MAX_NODES:,} in the folder once "
                "aliases are expanded (limit MAX_NODES)",
            )
        if self.depth + depth > limits.MAX_DEPTH:
            raise self.refuse(mark, _TOO_DEEP)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self.open:
                raise _Refused(
                    Diagnostic(
                        _loc(self.file, event.start_mark),
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


class _PyLoader(_BoundedComposer, Reader, Scanner, Parser, _CoreResolver):  # type: ignore[misc]
    """PyYAML's own scanner and parser, for a PyYAML built without libyaml."""

    def __init__(self, text: str, file: str, budget: int) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self, file, budget)
        _CoreResolver.__init__(self)

    def dispose(self) -> None:
        Parser.dispose(self)


_Loader: type[_PyLoader] = _PyLoader
try:  # libyaml's scanner and parser: seven times faster than PyYAML's own (0.3 s vs 2.2 s
    # for vardar-corridor's files), while composing stays in Python where it is counted.
    from yaml._yaml import CParser

    class _CLoader(_BoundedComposer, CParser, _CoreResolver):
        def __init__(self, text: str, file: str, budget: int) -> None:
            CParser.__init__(self, text)
            _BoundedComposer.__init__(self, file, budget)
            _CoreResolver.__init__(self)

    _Loader = _CLoader  # type: ignore[assignment]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass


# ---------------------------------------------------------------- from nodes to values


class _Reader:
    def __init__(self, file: str, problems: list[Diagnostic]) -> None:
        self.file = file
        self.problems = problems
        self.locations: dict[Path_, Location] = {}
        self.broken = False  # a value could not be read: the folder is not checked further

    def fail(self, node: Node, message: str) -> None:
        self.problems.append(Diagnostic(_loc(self.file, node.start_mark), message, code="yaml"))
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
                self.locations[(*path, index)] = _loc(self.file, item.start_mark)
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
                        _loc(self.file, key_node.start_mark),
                        f"duplicate key '{key}' (a later value would silently replace "
                        "the earlier one)",
                        code="duplicate-key",
                    )
                )
                continue
            self.locations[(*path, key)] = _loc(self.file, key_node.start_mark)
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


# ---------------------------------------------------------------- one file


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# What YAML accepts as text (PyYAML's Reader.NON_PRINTABLE), checked before parsing so that a
# stray NUL or control character is reported where it is, not at 1:1.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _decode(data: bytes, rel: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise _Refused(
            Diagnostic(
                Location(rel, line, column),
                f"not UTF-8 text: byte 0x{data[error.start]:02x} here ({error.reason}); "
                "save the file as UTF-8",
                code="encoding",
            )
        ) from None
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line, column = _position(text, bad.start())
        raise _Refused(
            Diagnostic(
                Location(rel, line, column),
                f"a control character (U+{ord(bad.group()):04X}) is not allowed in YAML text",
                code="encoding",
            )
        )
    return text


_CLOSING = {"[": "]", "{": "}"}


def _indent(lines: list[str], mark: Any) -> int:
    line = lines[mark.line] if mark.line < len(lines) else ""
    return len(line) - len(line.lstrip(" "))


def _syntax_problem(
    rel: str, error: yaml.MarkedYAMLError, text: str, flows: list[tuple[str, Any]]
) -> Diagnostic:
    """PyYAML's message, placed where the author has to look.

    An unclosed quote or bracket is noticed only where the file or the collection ends,
    often many lines later; the place it was opened (`context_mark`, or the innermost flow
    collection still open when the file ended) is the one to show.
    """
    context, problem = error.context or "", error.problem or ""
    where, there = error.context_mark, error.problem_mark
    lines = text.split("\n")
    opened = {
        "while scanning a quoted scalar": "the quote opened here is never closed",
        "while parsing a flow sequence": "the '[' opened here is never closed with ']'",
        "while parsing a flow mapping": "the '{' opened here is never closed with '}'",
    }.get(context)
    if (
        opened
        and where is not None
        and (there is None or where.line < there.line)
        # A bracket left open shows on the next key, written no deeper than the bracket's
        # line; an error deeper inside a long [...] is where it is.
        and (there is None or "quote" in opened or _indent(lines, there) <= _indent(lines, where))
    ):
        found = f" ({problem} at line {there.line + 1})" if there is not None else ""
        return Diagnostic(_loc(rel, where), f"broken YAML: {opened}{found}", code="yaml")
    if flows and there is not None and flows[-1][1].line < there.line:
        rest = lines[there.line :]
        if all(not line.strip() or line.lstrip().startswith("#") for line in rest):
            bracket, start = flows[-1]
            message = " ".join(p for p in (context, problem) if p)
            return Diagnostic(
                _loc(rel, start),
                f"broken YAML: the '{bracket}' opened here is never closed with "
                f"'{_CLOSING[bracket]}' (the file ends first: {message})",
                code="yaml",
            )
    mark = there or where
    location = _loc(rel, mark) if mark is not None else Location(rel, 1, 1)
    if "maximum nesting depth" in problem:  # libyaml's own bound (1,000 open brackets)
        return Diagnostic(location, _TOO_DEEP, code="limit")
    message = " ".join(p for p in (context, problem) if p)
    return Diagnostic(location, f"broken YAML: {message}", code="yaml")


def _read_file(
    path: Path, rel: str, problems: list[Diagnostic], budget: int
) -> tuple[Any, dict[Path_, Location], int]:
    """The file's mapping and positions, and how much of the value budget it used."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
        if len(data) > limits.MAX_FILE_BYTES:
            raise _Refused(
                Diagnostic(
                    Location(rel),
                    f"file too large: over {_kib(limits.MAX_FILE_BYTES)}, the most a scenario "
                    "file may hold (limit MAX_FILE_BYTES); split it into several files",
                    code="limit",
                )
            )
        text = _decode(data, rel)
        loader = _Loader(text, rel, budget)
        try:
            node = loader.get_single_node()
            used = loader.used
        except yaml.MarkedYAMLError as error:
            problems.append(_syntax_problem(rel, error, text, loader.flows))
            return None, {}, 0
        finally:
            loader.dispose()
    except _Refused as refused:
        problems.append(refused.diagnostic)
        return None, {}, 0
    except OSError as error:
        problems.append(Diagnostic(Location(rel), f"cannot read: {error.strerror}", code="file"))
        return None, {}, 0
    except yaml.YAMLError as error:
        problems.append(Diagnostic(Location(rel, 1, 1), f"broken YAML: {error}", code="yaml"))
        return None, {}, 0
    if node is None:
        return {}, {}, used
    reader = _Reader(rel, problems)
    data_ = reader.convert(node, ())
    if reader.broken:
        return None, {}, used
    if not isinstance(data_, dict):
        problems.append(
            Diagnostic(
                _loc(rel, node.start_mark), "a scenario file must be a mapping of keys", code="yaml"
            )
        )
        return None, {}, used
    return data_, reader.locations, used


# ---------------------------------------------------------------- the folder


def _is_yaml(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) and not name.startswith(".")


def _walk(root: Path) -> Iterator[Path]:
    """YAML files under `root`, not in hidden folders, without following linked folders.

    Without recursion: os.walk (and Path.rglob) recurse once per level, and 1,100 nested
    folders overflowed Python's stack.
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable: its files are simply not there
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(Path(entry.path))
            elif _is_yaml(entry.name):
                yield Path(entry.path)
        stack.extend(reversed(subfolders))


def _refused_file(root: Path, path: Path, rel: str) -> Diagnostic | None:
    """Why this file is not read, if it is not a regular file inside the folder."""
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(root.resolve()):
                return Diagnostic(
                    Location(rel),
                    "a symbolic link to a file outside the scenario folder is not read "
                    "(copy the file into the folder)",
                    code="file",
                )
        if not stat.S_ISREG(path.stat().st_mode):
            return Diagnostic(Location(rel), "not a regular file", code="file")
    except (OSError, RuntimeError):  # a broken link, or a loop of links
        return Diagnostic(Location(rel), "a symbolic link that leads nowhere", code="file")
    return None


def _scenario_files(root: Path, problems: list[Diagnostic]) -> tuple[list[Path], list[Path]]:
    """The folder's content files (scenario.yaml first) and its translation files."""
    found: list[Path] = []
    for path in _walk(root):
        if len(found) == limits.MAX_FILES:
            problems.append(
                Diagnostic(
                    Location(str(root)),
                    f"too many YAML files: a scenario folder holds at most {limits.MAX_FILES} "
                    "(limit MAX_FILES)",
                    code="limit",
                )
            )
            return [], []
        found.append(path)
    files: list[Path] = []
    translations: list[Path] = []
    for path in found:
        rel = path.relative_to(root)
        refused = _refused_file(root, path, rel.as_posix())
        if refused is not None:
            problems.append(refused)
        elif rel.parts[0] == "translations":
            if len(rel.parts) == 2:
                translations.append(path)
        else:
            files.append(path)
    main = [p for p in files if p.relative_to(root).as_posix() in ("scenario.yaml", "scenario.yml")]
    rest = sorted((p for p in files if p not in main), key=lambda p: p.relative_to(root).as_posix())
    return main + rest, translations


class _Budget:
    """What is left of the folder's limits as its files are read."""

    def __init__(self) -> None:
        self.nodes = limits.MAX_NODES
        self.bytes = limits.MAX_FOLDER_BYTES

    def admit(self, path: Path, rel: str, problems: list[Diagnostic]) -> bool:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if size > self.bytes and size <= limits.MAX_FILE_BYTES:
            problems.append(
                Diagnostic(
                    Location(rel),
                    f"the folder's YAML files hold more than {_kib(limits.MAX_FOLDER_BYTES)} "
                    "together (limit MAX_FOLDER_BYTES); this file is not read",
                    code="limit",
                )
            )
            return False
        self.bytes -= min(size, limits.MAX_FILE_BYTES)
        return True


def read_folder(root: Path, problems: list[Diagnostic]) -> Source:
    """Merge every YAML file of the folder; problems are appended, never raised."""
    source = Source(root=root)
    if not root.is_dir():
        problems.append(Diagnostic(Location(str(root)), "not a folder: a scenario is a folder"))
        return source
    files, translation_files = _scenario_files(root, problems)
    if any(p.code == "limit" for p in problems):
        return source
    if not files or files[0].name not in ("scenario.yaml", "scenario.yml"):
        problems.append(
            Diagnostic(Location("scenario.yaml"), "scenario.yaml is missing", code="file")
        )
    budget = _Budget()
    origin: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        source.files.append(rel)
        if not budget.admit(path, rel, problems):
            break
        data, locations, used = _read_file(path, rel, problems, budget.nodes)
        budget.nodes -= used
        if data is None:
            continue
        _merge(source, rel, data, locations, origin, problems)
    for path in translation_files:
        rel = path.relative_to(root).as_posix()
        if not budget.admit(path, rel, problems):
            break
        data, _, used = _read_file(path, rel, problems, budget.nodes)
        budget.nodes -= used
        if isinstance(data, dict):
            source.translations[path.stem] = data
    return source


def _merge(
    source: Source,
    rel: str,
    data: dict[str, Any],
    locations: dict[Path_, Location],
    origin: dict[str, str],
    problems: list[Diagnostic],
) -> None:
    """Add one file's sections to the folder's, keeping every position."""
    # Positions grouped by section once: a file with many sections must not cost
    # sections x positions.
    by_key: dict[str | int, list[tuple[Path_, Location]]] = {}
    for sub, where in locations.items():
        by_key.setdefault(sub[0], []).append((sub, where))
    for key, value in data.items():
        key_loc = locations.get((key,), Location(rel, 1, 1))
        positions = by_key.get(key, [])
        if key in LIST_SECTIONS:
            if not isinstance(value, list):
                problems.append(
                    Diagnostic(key_loc, f"'{key}' must be a list (items start with '-')")
                )
                continue
            merged = source.data.setdefault(key, [])
            offset = len(merged)
            merged.extend(value)
            source.locations.setdefault((key,), key_loc)
            for sub, where in positions:
                if len(sub) > 1:
                    index = sub[1]
                    assert isinstance(index, int)
                    source.locations[(key, index + offset, *sub[2:])] = where
        elif key in MAPPING_SECTIONS:
            if not isinstance(value, dict):
                problems.append(Diagnostic(key_loc, f"'{key}' must be a mapping of names"))
                continue
            merged_map = source.data.setdefault(key, {})
            source.locations.setdefault((key,), key_loc)
            for name, spec in value.items():
                if name in merged_map:
                    problems.append(
                        Diagnostic(
                            locations.get((key, name), key_loc),
                            f"variable '{name}' is already declared in {origin[f'{key}.{name}']}",
                            code="duplicate-id",
                        )
                    )
                    continue
                merged_map[name] = spec
                origin[f"{key}.{name}"] = rel
            for sub, where in positions:
                if len(sub) > 1:
                    source.locations[sub] = where
        else:
            if key in source.data:
                problems.append(
                    Diagnostic(
                        key_loc,
                        f"'{key}' is already set in {origin[key]}",
                        code="duplicate-key",
                    )
                )
                continue
            source.data[key] = value
            origin[key] = rel
            for sub, where in positions:
                source.locations[sub] = where
