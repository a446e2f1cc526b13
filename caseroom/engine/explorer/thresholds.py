"""The constants that conditions compare the clock, counts and numeric answers with.

The explorer may forget a number's exact value once no condition can tell it from a larger
one: `elapsed() > hours(30)` cannot tell 31 hours from 40. That is only sound when every use
of the number is a plain comparison with a constant (`elapsed() >= days(2)`,
`count('call') < 3`, `value() > 1000`); an `elapsed()` inside arithmetic (`elapsed() / 60 > x`)
or compared with a variable makes the exact value matter, and `Uses.exact` says so.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..expressions import Compiled, compile_expression

__all__ = ["Uses", "constant_of", "uses_in"]

_CONSTANT_CALLS = frozenset({"hours", "days"})


@dataclass
class Uses:
    """How conditions use one number: the constants it is compared with, or `exact`."""

    constants: set[float] = field(default_factory=set)
    exact: bool = False

    def add(self, other: Uses) -> None:
        self.constants |= other.constants
        self.exact = self.exact or other.exact

    def bound(self) -> int | None:
        """The smallest whole number from which on every comparison gives the same answer
        for ever larger numbers; None when the exact value matters."""
        if self.exact:
            return None
        if not self.constants:
            return 0
        return max(math.floor(c) + 1 for c in self.constants)


def constant_of(node: ast.AST) -> float | None:
    """The value of a sub-expression made of numbers, + - * / % and hours()/days() only."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            if not isinstance(child.func, ast.Name) or child.func.id not in _CONSTANT_CALLS:
                return None
        elif isinstance(child, ast.Constant):
            if isinstance(child.value, bool) or not isinstance(child.value, int | float):
                return None
        elif not isinstance(
            child, ast.BinOp | ast.UnaryOp | ast.Name | ast.operator | ast.unaryop | ast.Load
        ) or (isinstance(child, ast.Name) and child.id not in _CONSTANT_CALLS):
            return None
    try:
        value = compile_expression(ast.unparse(node), {}).fn(None, None, None)  # type: ignore[arg-type]
    except (ValueError, TypeError, ArithmeticError):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id
    return None


def _ident(node: ast.Call) -> str | None:
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def uses_in(conditions: Iterable[Compiled], helper: str) -> dict[str | None, Uses]:
    """How the conditions use `helper()` (keyed None) or `helper('id')` (keyed by id).

    A use is plain when the call is an operand of a comparison whose every other operand is
    a constant; `done('x')` counts as `count('x') >= 1`.
    """
    found: dict[str | None, Uses] = {}
    for condition in conditions:
        tree = ast.parse(condition.source, mode="eval")
        parents: dict[int, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in ast.walk(tree):
            name = _call_name(node)
            if helper == "count" and name == "done":
                assert isinstance(node, ast.Call)
                found.setdefault(_ident(node), Uses()).constants.add(0.5)  # count >= 1
                continue
            if name != helper:
                continue
            assert isinstance(node, ast.Call)
            key = _ident(node) if node.args else None
            use = found.setdefault(key, Uses())
            parent = parents.get(id(node))
            if not isinstance(parent, ast.Compare):
                use.exact = True
                continue
            others = [o for o in (parent.left, *parent.comparators) if o is not node]
            values = [constant_of(o) for o in others]
            if any(v is None for v in values) or any(
                isinstance(op, ast.In | ast.NotIn | ast.Is | ast.IsNot) for op in parent.ops
            ):
                use.exact = True
                continue
            use.constants.update(v for v in values if v is not None)
    return found
