"""Findings accepted on purpose, as ruff's `# noqa`: a YAML comment where the finding is.

    debrief: >  # lint: accept lint-no-citation — a judgement call; no article decides it
    # lint: accept lint-gives-away, lint-no-citation -- the long option is the point here
    - id: screen

The comment sits at the end of the line a finding points at, or on comment-only lines
directly above it (only comments and blank lines between). A comment, not a key: every model
forbids unknown keys, and the reason is read beside the text it excuses. An accept needs a
reason of at least `MIN_REASON_WORDS` words and known codes; one that is malformed
(`lint-bad-accept`) or silences nothing (`lint-stale-accept`) is a finding itself, so accepts
do not outlive the fault they excused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import limits
from ..diagnostics import Diagnostic, Location, Severity
from ..yamlsource import Source

__all__ = [
    "ACCEPT_CODES",
    "MIN_REASON_WORDS",
    "Accept",
    "Accepted",
    "LintReport",
    "apply_accepts",
    "read_accepts",
]

ACCEPT_CODES: tuple[str, ...] = ("lint-bad-accept", "lint-stale-accept")
# "ok" or "intended" tells a reviewer nothing; three words at least say why.
MIN_REASON_WORDS = 3
SYNTAX = "# lint: accept <code>[, <code>…] — <why>"

# Where a comment may hold a directive; whether it is a comment at all (not text inside a
# quoted or block scalar) is decided by the YAML scanner (`_scalar_spans`).
_DIRECTIVE = re.compile(r"#\s*lint\s*:")
# Between the codes and the reason: an em or en dash, "--", or a "-" standing alone (codes
# have hyphens inside them).
_SEPARATOR = re.compile(r"\s*(?:—|–|--+|(?<!\S)-(?!\S))\s*")


@dataclass(frozen=True)
class Accept:
    """One well-formed accept comment: which codes it silences on which line, and why."""

    location: Location  # the comment's '#'
    target: int  # the line whose findings it accepts (0: none, the file ends first)
    codes: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Accepted:
    """A finding an author accepted, with the reason a reviewer reads."""

    finding: Diagnostic
    reason: str
    comment: Location

    def to_dict(self) -> dict[str, object]:
        return {**self.finding.to_dict(), "accepted": True, "reason": self.reason}


@dataclass(frozen=True)
class LintReport:
    """What the lint leaves to fix (findings and faulty accepts, in file order), and what
    was accepted."""

    findings: list[Diagnostic]
    accepted: list[Accepted]


def _bad(location: Location, message: str) -> Diagnostic:
    return Diagnostic(location, message, Severity.warning, "lint-bad-accept")


def _scalar_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) as (line, column) of every scalar's text: a '#' inside one is not a
    comment. A block scalar's text starts on the line after its '|' or '>', whose own line
    may end in a comment."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
    spans = []
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                first = (
                    (start.line + 1, 0) if token.style in ("|", ">") else (start.line, start.column)
                )
                spans.append((first, (end.line, end.column)))
    except yaml.YAMLError:
        return []  # the loader read this file; if it changed since, take every '#' at its word
    return spans


def _in_scalar(spans: list[tuple[tuple[int, int], tuple[int, int]]], at: tuple[int, int]) -> bool:
    return any(start <= at < end for start, end in spans)


def _target(lines: list[str], index: int) -> int:
    """The 1-based line a comment-only line at `index` speaks for: the next line with content."""
    for below in range(index + 1, len(lines)):
        stripped = lines[below].strip()
        if stripped and not stripped.startswith("#"):
            return below + 1
    return 0


def _parse(
    directive: str, where: Location, target: int, problems: list[Diagnostic], known: tuple[str, ...]
) -> Accept | None:
    """The accept written after '# lint:', or None with the reason in `problems`."""
    words = directive.split(maxsplit=1)
    if not words or words[0] != "accept":
        problems.append(_bad(where, f"not a lint comment the lint knows: write '{SYNTAX}'"))
        return None
    rest = words[1] if len(words) > 1 else ""
    split = _SEPARATOR.search(rest)
    listed, reason = (rest[: split.start()], rest[split.end() :]) if split else (rest, "")
    codes = tuple(code.strip() for code in listed.split(",") if code.strip())
    if not codes:
        problems.append(_bad(where, f"the accept names no lint code: write '{SYNTAX}'"))
        return None
    unknown = [code for code in codes if code not in known]
    for code in unknown:
        problems.append(
            _bad(where, f"'{code}' is not a lint code that can be accepted ({', '.join(known)})")
        )
    if len(reason.split()) < MIN_REASON_WORDS:
        problems.append(
            _bad(
                where,
                f"the accept of {', '.join(codes)} gives no reason (at least "
                f"{MIN_REASON_WORDS} words after the dash): write '{SYNTAX}'",
            )
        )
        return None
    kept = tuple(code for code in codes if code in known)
    return Accept(where, target, kept, reason.strip()) if kept else None


def _read(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:  # bounded, as the loader read it
            data = handle.read(limits.MAX_FILE_BYTES + 1)
        return data[: limits.MAX_FILE_BYTES].decode("utf-8", errors="replace")
    except OSError:
        return None  # gone since it was loaded: nothing of it is accepted


def read_accepts(
    source: Source, known: tuple[str, ...], problems: list[Diagnostic]
) -> Iterator[Accept]:
    """Every well-formed accept in the folder's YAML files; malformed ones go to `problems`.

    Only the files the loader read (`source.files`); translations never have findings.
    """
    for rel in source.files:
        text = _read(source.root / rel)
        if text is None or not _DIRECTIVE.search(text):
            continue  # most files accept nothing: no need to scan them
        spans = _scalar_spans(text)
        lines = text.splitlines()
        for index, line in enumerate(lines):
            for match in _DIRECTIVE.finditer(line):
                if _in_scalar(spans, (index, match.start())):
                    continue
                where = Location(rel, index + 1, match.start() + 1)
                alone = not line[: match.start()].strip()
                target = _target(lines, index) if alone else index + 1
                accept = _parse(line[match.end() :], where, target, problems, known)
                if accept is not None:
                    yield accept
                break  # the rest of the line is the comment's own text


def apply_accepts(source: Source, findings: list[Diagnostic], known: tuple[str, ...]) -> LintReport:
    """Split the findings into those accepted in the source and those left; add a finding for
    each malformed accept and for each accepted code that silences nothing."""
    problems: list[Diagnostic] = []
    by_line: dict[tuple[str, int], list[Accept]] = {}
    for accept in read_accepts(source, known, problems):
        by_line.setdefault((accept.location.file, accept.target), []).append(accept)
    used: set[tuple[Location, str]] = set()
    left: list[Diagnostic] = []
    accepted: list[Accepted] = []
    for finding in findings:
        place = (finding.location.file, finding.location.line)
        match = next((a for a in by_line.get(place, ()) if finding.code in a.codes), None)
        if match is None:
            left.append(finding)
            continue
        used.add((match.location, finding.code))
        accepted.append(Accepted(finding, match.reason, match.location))
    for accepts in by_line.values():
        for accept in accepts:
            for code in accept.codes:
                if (accept.location, code) not in used:
                    problems.append(
                        Diagnostic(
                            accept.location,
                            f"the accept of {code} silences nothing: no such finding on "
                            + (f"line {accept.target}" if accept.target else "a line below it")
                            + " (remove the comment, or move it to the finding's line)",
                            Severity.warning,
                            "lint-stale-accept",
                        )
                    )
    ordered = sorted([*left, *problems], key=lambda d: (d.location, d.message))
    return LintReport(ordered, accepted)
