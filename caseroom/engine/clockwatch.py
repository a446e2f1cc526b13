"""When a condition can change while nothing but case time passes.

While a team waits, nothing changes in the state but the clock, so an inject's condition can
only become true where a comparison with `elapsed()` changes its answer. In
`elapsed() > hours(30)` that is at minute 1,801; in `elapsed() >= deadline` at the value of
`deadline`, which cannot change during the wait either. `ClockWatch` keeps, for each such
comparison, the other side compiled on its own, so that the session can compute these
moments for the state at hand and test the condition only there (`earliest`), instead of
minute by minute through a wait of weeks.

Where `elapsed()` is not a plain operand of a comparison (`elapsed() % 1440 > 600`,
`hours(elapsed()) > 5`), the moments cannot be listed this way; the watch says so
(`plain` False) and the condition is tested only at the moments something else happens
during the wait. The validator warns about such conditions.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass

from .expressions import Compiled, EvalState, ExpressionError, Fn, VarInfo, compile_expression

__all__ = ["ClockWatch", "clock_watch", "earliest"]


@dataclass(frozen=True)
class ClockWatch:
    """The sides that `elapsed()` is compared with, and whether that is all it is used for."""

    thresholds: tuple[Fn, ...]
    plain: bool


def _is_elapsed(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "elapsed"
        and not node.args
    )


def _reads_clock(node: ast.AST) -> bool:
    return any(_is_elapsed(child) for child in ast.walk(node))


def clock_watch(condition: Compiled, variables: Mapping[str, VarInfo]) -> ClockWatch | None:
    """How the condition reads the clock; None when it does not read it at all."""
    tree = ast.parse(condition.source, mode="eval")
    if not _reads_clock(tree):
        return None
    plain_uses: set[int] = set()
    thresholds: list[Fn] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or any(
            isinstance(op, ast.In | ast.NotIn | ast.Is | ast.IsNot) for op in node.ops
        ):
            continue
        operands = [node.left, *node.comparators]
        for index, operand in enumerate(operands):
            if not _is_elapsed(operand):
                continue
            neighbours = operands[max(index - 1, 0) : index] + operands[index + 1 : index + 2]
            if any(_reads_clock(other) for other in neighbours):
                continue
            try:
                sides = [
                    compile_expression(ast.unparse(other), variables, role_context=False).fn
                    for other in neighbours
                ]
            except ExpressionError:  # a part that only compiles in its context: not plain
                continue
            thresholds.extend(sides)
            plain_uses.add(id(operand))
    every_use = {id(n) for n in ast.walk(tree) if _is_elapsed(n)}
    return ClockWatch(tuple(thresholds), every_use <= plain_uses)


def earliest(
    condition: Compiled, watch: ClockWatch, state: EvalState, after: int, until: int
) -> int | None:
    """The first minute in (after, until] at which the condition holds, the rest of the
    state as it is; None if there is none (or the watch is not plain: see the module).

    A comparison of the clock with a number `c` can change its answer only at floor(c) or
    floor(c) + 1, so between those moments every comparison, and the condition, keeps its
    answer: testing the first minute and each such moment is enough.
    """
    if not watch.plain or until <= after:
        return None
    moments = {after + 1}
    for threshold in watch.thresholds:
        value = threshold(state, None, None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not math.isfinite(value):
            continue
        base = math.floor(value)
        moments.update((base, base + 1))
    clock = state.clock
    try:
        for moment in sorted(m for m in moments if after < m <= until):
            state.clock = moment
            if condition.fn(state, None, None):
                return moment
    finally:
        state.clock = clock
    return None
