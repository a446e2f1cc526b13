"""One scenario file read: its bytes bounded and decoded, parsed (`parse.py`), and a
syntax error placed where the author has to look.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .. import limits
from ..diagnostics import Diagnostic, Location
from . import parse
from .parse import TOO_DEEP, NodeReader, Path_, Refused, loc

__all__ = ["kib", "read_file"]


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MiB"


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
        raise Refused(
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
        raise Refused(
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
        return Diagnostic(loc(rel, where), f"broken YAML: {opened}{found}", code="yaml")
    if flows and there is not None and flows[-1][1].line < there.line:
        rest = lines[there.line :]
        if all(not line.strip() or line.lstrip().startswith("#") for line in rest):
            bracket, start = flows[-1]
            message = " ".join(p for p in (context, problem) if p)
            return Diagnostic(
                loc(rel, start),
                f"broken YAML: the '{bracket}' opened here is never closed with "
                f"'{_CLOSING[bracket]}' (the file ends first: {message})",
                code="yaml",
            )
    mark = there or where
    location = loc(rel, mark) if mark is not None else Location(rel, 1, 1)
    if "maximum nesting depth" in problem:  # libyaml's own bound (1,000 open brackets)
        return Diagnostic(location, TOO_DEEP, code="limit")
    message = " ".join(p for p in (context, problem) if p)
    plain = _plain(problem)
    if plain:
        message = f"{plain} (YAML says: {message})"
    return Diagnostic(location, f"broken YAML: {message}", code="yaml")


# PyYAML's most frequent complaints in plain words; its own words follow in parentheses.
_PLAIN = (
    (
        "mapping values are not allowed",
        "a ':' where none can be: put text that holds ': ' in quotes, or check this line's "
        "indentation",
    ),
    (
        "expected <block end>, but found '<block mapping start>'",
        "this line is indented differently from the lines above it at the same level",
    ),
    (
        "expected <block end>, but found '?'",
        "this line does not line up with the items or keys above it",
    ),
    (
        "expected <block end>, but found '-'",
        "a list item does not line up with the items above it",
    ),
    ("could not find expected ':'", "a line that is neither 'key: value' nor '- item'"),
    (
        "did not find expected key",
        "this line does not line up with the keys above it (or a key lacks its ':')",
    ),
    ("did not find expected '-' indicator", "a list item does not line up with the items above it"),
    (
        "that cannot start any token",
        "a tab or a character YAML cannot start with: indent with spaces",
    ),
    ("found undefined alias", "an alias (*name) with no anchor (&name) above it"),
)


def _plain(problem: str) -> str:
    return next((words for found, words in _PLAIN if found in problem), "")


def read_file(
    path: Path, rel: str, problems: list[Diagnostic], budget: int
) -> tuple[Any, dict[Path_, Location], int]:
    """The file's mapping and positions, and how much of the value budget it used."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
        if len(data) > limits.MAX_FILE_BYTES:
            raise Refused(
                Diagnostic(
                    Location(rel),
                    f"file too large: over {kib(limits.MAX_FILE_BYTES)}, the most a scenario "
                    "file may hold (limit MAX_FILE_BYTES); split it into several files",
                    code="limit",
                )
            )
        text = _decode(data, rel)
        loader = parse.Loader(text, rel, budget)  # at each call: tests swap in PyLoader
        try:
            node = loader.get_single_node()
            used = loader.used
        except yaml.MarkedYAMLError as error:
            problems.append(_syntax_problem(rel, error, text, loader.flows))
            return None, {}, 0
        finally:
            loader.dispose()
    except Refused as refused:
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
    reader = NodeReader(rel, problems)
    data_ = reader.convert(node, ())
    if reader.broken:
        return None, {}, used
    if not isinstance(data_, dict):
        problems.append(
            Diagnostic(
                loc(rel, node.start_mark), "a scenario file must be a mapping of keys", code="yaml"
            )
        )
        return None, {}, used
    return data_, reader.locations, used
