"""What the trainers' Scenarios pages show: scenarios with their versions, validation reports.

Plain functions returning frozen dataclasses, so the templates only lay out strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from caseroom.engine import Diagnostic, Location, Severity

from .models import ScenarioVersion

__all__ = ["Problem", "ScenarioEntry", "catalogue", "problems"]


@dataclass(frozen=True)
class Problem:
    """One line of a validation report, as `caseroom validate` prints it."""

    where: str  # file:line:column, or the file, or "upload"
    severity: str  # "error" or "warning"
    message: str
    code: str
    line: str  # the whole line: "scenes.yaml:12:5: warning: …"

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.error.value


@dataclass(frozen=True)
class ScenarioEntry:
    slug: str
    title: str  # of its newest version
    versions: tuple[ScenarioVersion, ...]  # newest first


def catalogue(versions: Iterable[ScenarioVersion]) -> list[ScenarioEntry]:
    """Versions grouped by scenario, scenarios by title, each one's versions newest first."""
    grouped: dict[str, list[ScenarioVersion]] = {}
    for version in versions:
        grouped.setdefault(version.slug, []).append(version)
    entries = []
    for slug, found in grouped.items():
        found.sort(key=lambda v: v.registered_at, reverse=True)
        entries.append(ScenarioEntry(slug, found[0].title, tuple(found)))
    return sorted(entries, key=lambda e: (e.title.casefold(), e.slug))


def _diagnostic(stored: Mapping[str, object]) -> Diagnostic:
    """A diagnostic as `Diagnostic.to_dict` stored it on the version."""
    line, column = stored.get("line", 0), stored.get("column", 0)
    severity = str(stored.get("severity", "error"))
    return Diagnostic(
        Location(
            str(stored.get("file", "")),
            line if isinstance(line, int) else 0,
            column if isinstance(column, int) else 0,
        ),
        str(stored.get("message", "")),
        Severity.warning if severity == Severity.warning.value else Severity.error,
        str(stored.get("code", "")),
    )


def problems(found: Sequence[Diagnostic | Mapping[str, object]]) -> list[Problem]:
    """Diagnostics (or their stored dicts) as report lines, errors first, then by place."""
    diagnostics = [d if isinstance(d, Diagnostic) else _diagnostic(d) for d in found]
    diagnostics.sort(key=lambda d: (d.severity is not Severity.error, d.location))
    return [
        Problem(str(d.location), d.severity.value, d.message, d.code, str(d)) for d in diagnostics
    ]
