"""The lint as callers use it: the checks' findings, less those accepted in the source."""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic
from ..scenario import Scenario
from .accept import LintReport, apply_accepts
from .checks import CHECKS, CITE_PATTERNS, every_finding

__all__ = ["lint_report", "lint_scenario"]


def lint_report(scenario: Scenario, *, cite: Sequence[str] = CITE_PATTERNS) -> LintReport:
    """The findings left to fix (with faulty accepts) and those accepted, with their reasons."""
    return apply_accepts(scenario.source, every_finding(scenario, tuple(cite)), CHECKS)


def lint_scenario(scenario: Scenario, *, cite: Sequence[str] = CITE_PATTERNS) -> list[Diagnostic]:
    """The pedagogical findings of a loaded scenario not accepted on purpose, in file order."""
    return lint_report(scenario, cite=cite).findings
