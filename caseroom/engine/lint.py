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
  expert path shows it (see `_dates_check` for what it does not catch).

Only the source language is read: translations repeat the same structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .diagnostics import Diagnostic, Location, Severity
from .model import Action, Assessment, Grade, Input
from .scenario import Scenario
from .session import GRADE_VALUE

__all__ = [
    "CHECKS",
    "CITE_PATTERNS",
    "MAX_MISCONCEPTION_SCENES",
    "find_dates",
    "lint_scenario",
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

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class _Assessed:
    """One assessed choice (an action or one of its outcomes, approvals, replies) as scored."""

    action: str
    path: Path_
    own: Assessment
    grade: Grade | None
    debrief: str | None
    misconception: str | None


def lint_scenario(scenario: Scenario, *, cite: Sequence[str] = CITE_PATTERNS) -> list[Diagnostic]:
    """Every pedagogical finding of a loaded scenario, as warnings in file order."""
    assessed = list(_assessed(scenario))
    problems = [
        *_debrief_check(scenario, assessed),
        *_citation_check(scenario, assessed, tuple(cite)),
        *_give_away_check(scenario),
        *_misconception_check(scenario, assessed),
        *_order_check(scenario),
        *_dates_check(scenario),
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


# Dates as trainers write them in the region: 2026-03-12, 12.3. / 12.03.2026, 12 March (2026),
# March 12 (, 2026). The day-month form needs its closing dot so that 12.3 (a section) is not
# read as a date, and is skipped right after "Art." or "§", where 12.3. is an article.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b)"
    r"|(?P<dotted>(?<![\w.])(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})?(?![\w]))"
    r"|(?P<named>\b(?P<nd>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MONTH.format("nm")
    + r"(?:\s+(?P<ny>\d{4}))?\b)"
    r"|(?P<american>\b" + _MONTH.format("am") + r"\s+(?P<ad>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<ay>\d{4}))?)",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"(?:Art\.|Article|§|para\.?|No\.)\s*$", re.IGNORECASE)
# A deadline or a plan names a later day on purpose: "preserved until 3 January 2027".
_FUTURE_BEFORE = re.compile(
    r"\b(?:until|till|by|before|due|expires?|expiring|scheduled|planned|deadline|next|"
    r"later than|valid to|set for)\W+(?:\w+\W+)?$",
    re.IGNORECASE,
)


def find_dates(text: str, year: int) -> list[dt.date]:
    """The calendar days a text names; a date without a year is read in `year`."""
    found: list[dt.date] = []
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        if _FUTURE_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        if groups["iso"]:
            parts = (groups["iy"], groups["im"], groups["id"])
        elif groups["dotted"]:
            if _ARTICLE_BEFORE.search(text[: match.start()]):
                continue
            parts = (groups["dy"] or str(year), groups["dm"], groups["dd"])
        elif groups["named"]:
            parts = (groups["ny"] or str(year), str(_MONTHS[groups["nm"].lower()]), groups["nd"])
        else:
            parts = (groups["ay"] or str(year), str(_MONTHS[groups["am"].lower()]), groups["ad"])
        try:
            found.append(dt.date(int(parts[0]), int(parts[1]), int(parts[2])))
        except ValueError:
            continue  # 31.2. or a version number: not a day
    return found


def _shown_texts(scenario: Scenario) -> Iterator[tuple[str, Path_, str, Iterable[Path_]]]:
    """(what is shown, where its id is, kind, the text paths shown with it)."""
    for scene in scenario.scenes.values():
        base = scenario.paths[scene.id]
        yield (
            scene.id,
            base,
            "scene",
            [(*base, "text")]
            + [(*scenario.paths[a.id], "text") for a in (*scene.options, *scene.actions)],
        )
    for document in scenario.documents.values():
        base = scenario.paths[document.id]
        yield document.id, base, "document", [(*base, "date"), (*base, "body")]
    for inject in scenario.injects.values():
        base = scenario.paths[inject.id]
        yield inject.id, base, "inject", [(*base, "message")]


def _text_at(scenario: Scenario, path: Path_) -> str:
    """The source text at a path of the merged document (empty when not written)."""
    node: object = scenario.doc
    for key in path:
        if isinstance(key, int):
            assert isinstance(node, list)
            node = node[key]
        else:
            node = getattr(node, key, None)
            if node is None:
                return ""
    return node if isinstance(node, str) else ""


def _dates_check(scenario: Scenario) -> Iterator[Diagnostic]:
    """Dates a text names that lie after the day the expert path shows that text.

    Conservative on purpose: a scene, option, document or inject is judged only if the
    expert path shows it (its first arrival, unlock or firing), and a date is suspicious only
    if its day comes after the case day at that moment. It does not catch: texts the expert
    path never shows; a team slower than the expert (a date between the expert's day and a
    later team's day is not flagged); dates before the case (a "last seen" in the past is
    fine); weekdays ("Friday night" on a Thursday); times of day; dates in a word form it does
    not read (12th of March, 12/03, other languages); a date right after "until", "by",
    "before", "due", "scheduled", "next" (a deadline or a plan, named ahead on purpose). Other
    planned events ("the hearing on 20 March") are false positives: reword them ("the hearing
    set for 20 March") or count ("in six days").
    """
    from .validator import play_expert_path  # the validator imports the explorer: load late

    if not scenario.doc.expert_path:
        return
    session, _problems = play_expert_path(scenario)
    start = dt.datetime.fromisoformat(scenario.doc.clock.start)
    state = session.state
    shown = {
        "scene": state.visited,
        "document": {**state.unlocked},
        "inject": state.fired,
    }
    for ident, _base, kind, paths in _shown_texts(scenario):
        minutes = shown[kind].get(ident)
        if minutes is None:
            continue
        day = (start + dt.timedelta(minutes=minutes)).date()
        for path in paths:
            late = [d for d in find_dates(_text_at(scenario, path), start.year) if d > day]
            if late:
                yield _warn(
                    scenario.source.locate(path),
                    f"{kind} '{ident}' names {late[0].isoformat()}, but the expert path "
                    f"shows it on {day.isoformat()}",
                    "lint-date-after-clock",
                )
