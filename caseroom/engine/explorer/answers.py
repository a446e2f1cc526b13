"""Every kind of answer an action's outcomes and replies can tell apart, one answer each.

Conditions see an answer only through `score()`, `picked('item')` and `value()`
(expressions.Answer), so two answers with the same *signature* — the score if a condition
reads it, the value if one reads it, and the picked items that conditions name — have the
same consequences. The classes are enumerated, not sampled:

* multi: the score depends only on how many correct and wrong items were picked, so every
  subset of the named items, with 0…k further correct and 0…m further wrong items, gives
  every signature there is;
* order: the score depends only on the number of item pairs out of order (0…n(n-1)/2), and
  one permutation with each number of inversions is built;
* numeric: the score changes at answer ± tolerance and ± twice the tolerance, and a
  condition on `value()` at its constants: one answer at each such point and one between
  each two (within `min`…`max`) covers every signature — when every `value()` is compared
  with constants (`thresholds.uses_in`); otherwise the action is reported as not covered;
* text: conditions cannot read it (one answer).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from ..answers import normalise_answer, score_answer
from ..expressions import Answer, Compiled
from ..model import Input
from ..scenario import Scenario
from .thresholds import uses_in

__all__ = ["AnswerClasses", "answer_classes"]

_SCORE = re.compile(r"\bscore\s*\(")
_VALUE = re.compile(r"\bvalue\s*\(")
MAX_CLASSES = 4096  # per action; a multi input whose outcomes name 13 items would need 8,192


@dataclass(frozen=True)
class AnswerClasses:
    """One answer per signature, and whether they are all the signatures there are.

    A group of conditions (the outcomes, or the replies) that reads nothing but the answer
    picks the same branch for answers that make the same condition the first to hold, so
    its part of the signature is that index; a group that also reads the state keeps the
    score, value and named items its conditions read.
    """

    answers: tuple[Any, ...]
    complete: bool = True
    groups: tuple[tuple[Compiled | None, ...], ...] = ()
    pure: tuple[bool, ...] = ()
    reads: tuple[tuple[bool, bool, frozenset[str]], ...] = ()

    def signature(self, spec: Input | None, answer: Any) -> Any:
        if spec is None or not self.groups:
            return None
        scored = score_answer(spec, answer)
        parts: list[Any] = []
        for group, pure, (uses_score, uses_value, items) in zip(
            self.groups, self.pure, self.reads, strict=True
        ):
            if pure:
                parts.append(_first(group, scored))
            else:
                parts.append(
                    (
                        scored.score if uses_score else None,
                        scored.value if uses_value else None,
                        scored.picked & items,
                    )
                )
        return tuple(parts)


def _first(group: tuple[Compiled | None, ...], scored: Answer) -> int:
    for index, condition in enumerate(group):
        # Answer-only conditions read no state: None stands for it, and nothing is read.
        if condition is None or condition.fn(None, None, scored):  # type: ignore[arg-type]
            return index
    return len(group)


def _answer_only(condition: Compiled) -> bool:
    """Whether the condition reads the answer and nothing of the state."""
    if condition.reads or any(helper != "picked" for helper, _i, _c in condition.refs):
        return False
    tree = ast.parse(condition.source, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _ANSWER_CALLS:
                return False
        elif isinstance(node, ast.Name) and node.id not in _ANSWER_NAMES:
            return False
    return True


_ANSWER_CALLS = frozenset({"picked", "score", "value", "hours", "days"})
_ANSWER_NAMES = _ANSWER_CALLS | {"true", "false", "True", "False"}


def _group_reads(group: tuple[Compiled | None, ...]) -> tuple[bool, bool, frozenset[str]]:
    conditions = [c for c in group if c is not None]
    return (
        any(_SCORE.search(c.source) for c in conditions),
        any(_VALUE.search(c.source) for c in conditions),
        frozenset(i for c in conditions for h, i, _ in c.refs if h == "picked"),
    )


def answer_classes(scenario: Scenario, action_id: str) -> AnswerClasses:
    action = scenario.actions[action_id]
    spec = action.input
    if spec is None:
        return AnswerClasses((None,))
    groups = tuple(
        g
        for g in (
            scenario.outcome_conditions[action_id],
            scenario.reply_conditions[action_id],
            *scenario.decision_conditions.get(action_id, ()),  # an authority reads it too
        )
        if any(c is not None for c in g)
    )
    conditions = [c for g in groups for c in g if c is not None]
    reads = tuple(_group_reads(g) for g in groups)
    uses_score = any(r[0] for r in reads)
    items = frozenset(i for r in reads for i in r[2])
    complete = True
    if spec.type == "multi":
        candidates: list[Any] = _multi(spec, items, uses_score)
    elif spec.type == "order":
        candidates = _order(spec) if uses_score else [list(spec.correct)]
    elif spec.type == "numeric":
        value_uses = uses_in(conditions, "value").get(None)
        complete = value_uses is None or not value_uses.exact
        candidates = _numeric(spec, value_uses.constants if value_uses is not None else set())
    else:
        candidates = ["(free-text answer)"]
    if len(candidates) > MAX_CLASSES:
        candidates, complete = candidates[:MAX_CLASSES], False
    pure = tuple(all(c is None or _answer_only(c) for c in g) for g in groups)
    classes = AnswerClasses((), complete, groups, pure, reads)
    chosen: dict[Any, Any] = {}
    for raw in candidates:
        answer = normalise_answer(spec, raw)
        chosen.setdefault(classes.signature(spec, answer), answer)
    return AnswerClasses(tuple(chosen.values()), complete, groups, pure, reads)


def _multi(spec: Input, named: frozenset[str], uses_score: bool) -> list[list[str]]:
    """Every signature's answer; more than MAX_CLASSES + 1 are never built (the caller
    reports the action as not covered)."""
    ids = [i.id for i in spec.items]
    correct = set(spec.correct)
    free_right = [i for i in ids if i in correct and i not in named]
    free_wrong = [i for i in ids if i not in correct and i not in named]
    read = [i for i in ids if i in named]
    rights = range(len(free_right) + 1) if uses_score else range(1)
    wrongs = range(len(free_wrong) + 1) if uses_score else range(1)
    result: list[list[str]] = []
    for mask in range(2 ** len(read)):
        subset = {item for bit, item in enumerate(read) if mask >> bit & 1}
        for r in rights:
            for w in wrongs:
                chosen = subset | set(free_right[:r]) | set(free_wrong[:w])
                result.append([i for i in ids if i in chosen])
                if len(result) > MAX_CLASSES:
                    return result
    return result


def _order(spec: Input) -> list[list[str]]:
    """One permutation of the correct order with each possible number of inversions."""
    correct = list(spec.correct)
    n = len(correct)
    result = []
    for inversions in range(n * (n - 1) // 2 + 1):
        # Lehmer code: the item placed at each position skips `k` of those left.
        left, remaining, permutation = list(correct), inversions, []
        for position in range(n):
            k = min(remaining, n - position - 1)
            permutation.append(left.pop(k))
            remaining -= k
        result.append(permutation)
    return result


def _numeric(spec: Input, points: set[float]) -> list[float]:
    assert spec.answer is not None and spec.tolerance is not None
    a, t = spec.answer, spec.tolerance
    marks = sorted({a - 2 * t, a - t, a, a + t, a + 2 * t, *points})
    lo = spec.min if spec.min is not None else marks[0] - 1
    hi = spec.max if spec.max is not None else marks[-1] + 1
    inside = [m for m in marks if lo < m < hi]
    cells = [lo, *inside, hi]
    values = list(cells)
    values += [(x + y) / 2 for x, y in zip(cells, cells[1:], strict=False)]
    return sorted(set(values))
