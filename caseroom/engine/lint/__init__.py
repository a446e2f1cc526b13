"""The pedagogical lint: faults a reviewer of a training case would otherwise find by hand.

The validator says whether a scenario *works*; this says whether it *teaches*. Each finding is
a warning with the file and line where the author wrote the text, and a code naming its check:

- `lint-no-debrief`: a graded decision whose debrief (the rationale the facilitator discusses)
  is missing;
- `lint-no-citation`: a debrief or expert-path rationale that names no source (no pattern of
  `CITE_PATTERNS`, or of the patterns the caller passes);
- `lint-gives-away`: the best option of a decision markedly longer than the others, or the
  only one with bold or emphasis;
- `lint-unused-misconception` / `lint-scattered-misconception`: a misconception no wrong option
  exercises, or one attached in more than `MAX_MISCONCEPTION_SCENES` scenes;
- `lint-revealing-order`: an order question listed in the correct order, a multiple choice
  listing every correct item first;
- `lint-date-after-clock`: a text naming a day the case clock cannot have reached yet when the
  expert path shows it (see `dates.dates_check` for what it does not catch).

A finding is accepted on purpose with a comment in the YAML (`accept.py`); a malformed accept
is `lint-bad-accept`, one that silences nothing `lint-stale-accept`.

Only the source language is read: translations repeat the same structure.
"""

from __future__ import annotations

from .accept import ACCEPT_CODES, MIN_REASON_WORDS, Accepted, LintReport
from .checks import CHECKS, CITE_PATTERNS, MAX_MISCONCEPTION_SCENES
from .dates import find_dates
from .report import lint_report, lint_scenario

__all__ = [
    "ACCEPT_CODES",
    "CHECKS",
    "CITE_PATTERNS",
    "MAX_MISCONCEPTION_SCENES",
    "MIN_REASON_WORDS",
    "Accepted",
    "LintReport",
    "find_dates",
    "lint_report",
    "lint_scenario",
]
