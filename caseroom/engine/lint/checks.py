"""The lint's checks, each a generator of warnings over a loaded scenario (dates in `dates.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location, Severity
from ..model import Action, Assessment, Grade, Input
from ..scenario import Scenario
from ..session import GRADE_VALUE
from ..yamlsource import Path_
from .dates import dates_check

__all__ = [
    "CHECKS",
    "CITE_PATTERNS",
    "LENGTH_MARGIN",
    "LENGTH_RATIO",
    "MAX_MISCONCEPTION_SCENES",
    "every_finding",
]

# Words that show a rationale rests on a law, a standard or a practice guide. Matched as
# written (case-sensitive), so "Code" finds "Criminal Code" but not a join "code".
CITE_PATTERNS: tuple[str, ...] = (
    "Art.",
    "Article",
    "Directive",
    "Convention",
    "Protocol",
    "Code",
    "Guidelines",
    "Handbook",
    "§",
    "Rule",
    "Recommendation",
)
# One misconception met in more scenes than this is probably standing for several errors.
MAX_MISCONCEPTION_SCENES = 3
# The best option gives itself away when longer than this many times the others' mean...
LENGTH_RATIO = 1.5
# ...and at least this many characters longer (short options vary a lot in relative terms).
LENGTH_MARGIN = 40

CHECKS: tuple[str, ...] = (
    "lint-no-debrief",
    "lint-no-citation",
    "lint-gives-away",
    "lint-unused-misconception",
    "lint-scattered-misconception",
    "lint-revealing-order",
    "lint-date-after-clock",
)


@dataclass(frozen=True)
class _Assessed:
    """One assessed choice (an action or one of its outcomes, approvals, replies) as scored."""

    action: str
    path: Path_
    own: Assessment
    grade: Grade | None
    debrief: str | None
    misconception: str | None


def every_finding(scenario: Scenario, cite: tuple[str, ...]) -> list[Diagnostic]:
    """Every pedagogical finding of a loaded scenario, accepted or not, in file order."""
    assessed = list(_assessed(scenario))
    problems = [
        *_debrief_check(scenario, assessed),
        *_citation_check(scenario, assessed, cite),
        *_give_away_check(scenario),
        *_misconception_check(scenario, assessed),
        *_order_check(scenario),
        *dates_check(scenario),
    ]
    unique = {(d.location, d.message): d for d in problems}
    return sorted(unique.values(), key=lambda d: (d.location, d.message))


def _warn(location: Location, message: str, code: str) -> Diagnostic:
    return Diagnostic(location, message, Severity.warning, code)


def _assessed(scenario: Scenario) -> Iterator[_Assessed]:
    """Each choice the session scores, with what it inherits from its action.

    An outcome, an approval's answer or a reply overrides its action's grade, debrief and
    misconception only where it sets them (session/consequences.py), so it inherits the rest.
    """
    for ident, action in scenario.actions.items():
        base = scenario.paths[ident]
        yield _Assessed(ident, base, action, action.grade, action.debrief, action.misconception)
        subs: list[tuple[Path_, Assessment]] = [
            ((*base, "outcomes", i), outcome) for i, outcome in enumerate(action.outcomes)
        ]
        if action.approval:
            subs += [
                ((*base, "approval", v), getattr(action.approval, v)) for v in ("approve", "refuse")
            ]
        if action.request:
            subs += [
                ((*base, "request", "replies", i), reply)
                for i, reply in enumerate(action.request.replies)
            ]
        for path, sub in subs:
            yield _Assessed(
                ident,
                path,
                sub,
                sub.grade or action.grade,
                sub.debrief or action.debrief,
                sub.misconception or action.misconception,
            )


def _debrief_check(scenario: Scenario, assessed: list[_Assessed]) -> Iterator[Diagnostic]:
    for item in assessed:
        if item.own.grade is None and item.path != scenario.paths[item.action]:
            continue  # an ungraded outcome is reported through its graded action, once
        if item.grade is not None and not (item.debrief or "").strip():
            yield _warn(
                scenario.source.locate((*item.path, "grade")),
                f"'{item.action}' is graded {item.grade.value} but has no debrief explaining why",
                "lint-no-debrief",
            )


def _cites(text: str, patterns: tuple[str, ...]) -> bool:
    return any(pattern in text for pattern in patterns)


def _citation_check(
    scenario: Scenario, assessed: list[_Assessed], patterns: tuple[str, ...]
) -> Iterator[Diagnostic]:
    if not patterns:
        return
    for item in assessed:
        text = item.own.debrief
        if text and text.strip() and not _cites(text, patterns):
            yield _warn(
                scenario.source.locate((*item.path, "debrief")),
                f"the debrief of '{item.action}' cites no source (law, standard or guide)",
                "lint-no-citation",
            )
    for index, step in enumerate(scenario.doc.expert_path):
        if step.rationale.strip() and not _cites(step.rationale, patterns):
            yield _warn(
                scenario.source.locate(("expert_path", index, "rationale")),
                f"the rationale of expert step {index + 1} cites no source "
                "(law, standard or guide)",
                "lint-no-citation",
            )


_EMPHASIS = re.compile(
    r"\*\*\S[^*\n]*\*\*|__\S[^_\n]*__|(?<![*\w])\*\S[^*\n]*\*(?![*\w])|(?<![_\w])_\S[^_\n]*_(?![_\w])"
)


def _best_grade(action: Action) -> int | None:
    grades = [g for g in (action.grade, *(o.grade for o in action.outcomes)) if g is not None]
    return max(GRADE_VALUE[g] for g in grades) if grades else None


def _give_away_check(scenario: Scenario) -> Iterator[Diagnostic]:
    """In decision scenes only: a menu's actions are not alternatives of one answer."""
    for scene in scenario.scenes.values():
        options = scene.options if scene.kind == "decision" else []
        graded = [(o, _best_grade(o)) for o in options]
        values = [v for _o, v in graded if v is not None]
        if len(options) < 2 or not values:
            continue
        top = max(values)
        best = [o for o, v in graded if v == top]
        if len(best) != 1 or len(values) < 2:
            continue  # a tie, or no other graded option to compare with
        (winner,) = best
        others = [o for o in options if o is not winner]
        where = scenario.locate(winner.id, "text")
        length = len(winner.text.strip())
        mean = sum(len(o.text.strip()) for o in others) / len(others)
        if length > LENGTH_RATIO * mean and length - mean >= LENGTH_MARGIN:
            yield _warn(
                where,
                f"the best option of scene '{scene.id}' ('{winner.id}') is much longer than "
                f"the others ({length} characters against {mean:.0f} on average)",
                "lint-gives-away",
            )
        emphasised = [o for o in options if _EMPHASIS.search(o.text)]
        if emphasised == [winner]:
            yield _warn(
                where,
                f"the best option of scene '{scene.id}' ('{winner.id}') is the only one "
                "with bold or emphasis",
                "lint-gives-away",
            )


def _misconception_check(scenario: Scenario, assessed: list[_Assessed]) -> Iterator[Diagnostic]:
    wrong: dict[str, set[str]] = {}  # misconception → actions that are not exemplary
    scenes: dict[str, set[str]] = {}  # misconception → scenes (or global actions) using it
    for item in assessed:
        if item.misconception is None:
            continue
        if item.grade is not Grade.exemplary:
            wrong.setdefault(item.misconception, set()).add(item.action)
        place = scenario.action_scene.get(item.action) or f"global action {item.action}"
        scenes.setdefault(item.misconception, set()).add(place)
    for misconception in scenario.doc.misconceptions:
        where = scenario.locate(misconception.id)
        if misconception.id not in wrong:
            how = "only to exemplary choices" if misconception.id in scenes else "to no option"
            yield _warn(
                where,
                f"misconception '{misconception.id}' is attached {how}: no wrong choice "
                "exercises it",
                "lint-unused-misconception",
            )
        used = sorted(scenes.get(misconception.id, ()))
        if len(used) > MAX_MISCONCEPTION_SCENES:
            yield _warn(
                where,
                f"misconception '{misconception.id}' is attached in {len(used)} scenes "
                f"({', '.join(used)}): does it stand for several errors?",
                "lint-scattered-misconception",
            )


def _order_check(scenario: Scenario) -> Iterator[Diagnostic]:
    for ident, action in scenario.actions.items():
        given = action.input
        if given is None or not given.correct or len(given.items) < 2:
            continue
        if given.shuffle:
            continue  # each team sees its own order: the written one reveals nothing
        listed = [item.id for item in given.items]
        where = scenario.locate(ident, "input", "items")
        if given.type == "order" and listed == list(given.correct):
            yield _warn(
                where,
                f"the items of '{ident}' are listed in the correct order",
                "lint-revealing-order",
            )
        elif given.type == "multi" and _correct_first(given):
            yield _warn(
                where,
                f"the items of '{ident}' list every correct one first",
                "lint-revealing-order",
            )


def _correct_first(given: Input) -> bool:
    correct = set(given.correct)
    if len(correct) >= len(given.items):
        return False  # all correct: nothing to reveal
    return {item.id for item in given.items[: len(correct)]} == correct
