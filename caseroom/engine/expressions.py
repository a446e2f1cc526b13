"""Safe conditions: parsed once at load into closures, with names and ids checked statically.

Python's own parser reads the text (`ast.parse(mode="eval")`); we then accept only a small
whitelist of nodes and compile them into plain closures. Nothing is ever passed to `eval`,
there is no attribute or item access, and the state is only read. Compiling ourselves
(rather than interpreting with a general sandbox) lets the loader report unknown variables,
mistyped comparisons and ids of the wrong kind with their column, and makes evaluation a
handful of function calls.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import limits

__all__ = [
    "Answer",
    "Compiled",
    "EvalState",
    "ExpressionError",
    "HELPERS",
    "compile_expression",
]


class EvalState(Protocol):
    """What an expression may read. The session's state satisfies it."""

    vars: dict[str, Any]
    role_vars: dict[str, dict[str, Any]]
    visited: dict[str, int]
    unlocked: dict[str, int]
    taken: dict[str, int]
    fired: dict[str, int]
    pending_actions: dict[str, int]
    scene: str | None
    phase: str
    clock: int
    tracks: dict[str, str]


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer to an action's input, as conditions see it."""

    score: float | None = None
    picked: frozenset[str] = frozenset()
    value: float | None = None


Fn = Callable[[EvalState, str | None, Answer | None], Any]


class ExpressionError(ValueError):
    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Compiled:
    source: str
    fn: Fn
    reads: frozenset[str]
    # (helper name, id argument, column) for the loader to check against the scenario.
    refs: tuple[tuple[str, str, int], ...] = field(default=())

    def __call__(
        self, state: EvalState, role: str | None = None, answer: Answer | None = None
    ) -> bool:
        return bool(self.fn(state, role, answer))


# helper name -> (kind of id argument or None, number of args, result type)
HELPERS: dict[str, tuple[str | None, int, str]] = {
    "visited": ("scene", 1, "bool"),
    "at": ("scene", 1, "bool"),
    "has": ("document", 1, "bool"),
    "done": ("action", 1, "bool"),
    "count": ("action", 1, "num"),
    "pending": ("action", 1, "bool"),
    "fired": ("inject", 1, "bool"),
    "picked": ("item", 1, "bool"),
    "phase": (None, 0, "str"),
    "elapsed": (None, 0, "num"),
    "hours": (None, 1, "num"),
    "days": (None, 1, "num"),
    "score": (None, 0, "num"),
    "value": (None, 0, "num"),
}
ANSWER_HELPERS = frozenset({"score", "picked", "value"})

_VAR_TYPES = {"bool": "bool", "int": "num", "enum": "str", "set": "set"}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    # Division by zero gives 0: a condition must never crash a live exercise.
    ast.Div: lambda a, b: a / b if b else 0,
    ast.Mod: lambda a, b: a % b if b else 0,
}


@dataclass(frozen=True)
class VarInfo:
    type: str  # bool | int | enum | set
    scope: str = "team"
    values: tuple[str, ...] = ()


@dataclass
class _Compiler:
    variables: Mapping[str, VarInfo]
    allow_answer: bool
    role_context: bool
    reads: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, int]] = field(default_factory=list)

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(message, getattr(node, "col_offset", 0))

    def compile(self, node: ast.AST) -> tuple[Fn, str]:
        """Return the closure and the static type: bool, num, str, set, list."""
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v)[0] for v in node.values]
            return _bool_op(isinstance(node.op, ast.And), parts), "bool"
        if isinstance(node, ast.UnaryOp):
            inner, kind = self.compile(node.operand)
            if isinstance(node.op, ast.Not):
                return (lambda s, r, a: not inner(s, r, a)), "bool"
            if isinstance(node.op, ast.USub | ast.UAdd):
                self._expect(node.operand, kind, "num")
                sign = -1 if isinstance(node.op, ast.USub) else 1
                return (lambda s, r, a: sign * inner(s, r, a)), "num"
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            left, lk = self.compile(node.left)
            right, rk = self.compile(node.right)
            self._expect(node.left, lk, "num")
            self._expect(node.right, rk, "num")
            op = _ARITH[type(node.op)]
            return (lambda s, r, a: op(left(s, r, a), right(s, r, a))), "num"
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = []
            for element in node.elts:
                if not isinstance(element, ast.Constant) or not isinstance(
                    element.value, str | int
                ):
                    raise self.fail(element, "a list may only hold plain 'text' or numbers")
                items.append(element.value)
            frozen = frozenset(items)
            return (lambda s, r, a: frozen), "list"
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Attribute):
            raise self.fail(node, "attribute access ('.') is not allowed in conditions")
        if isinstance(node, ast.Subscript):
            raise self.fail(node, "indexing ('[...]') is not allowed in conditions")
        raise self.fail(node, f"'{ast.unparse(node)}' is not allowed in a condition")

    def _constant(self, node: ast.Constant) -> tuple[Fn, str]:
        value = node.value
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, int | float):
            kind = "num"
        elif isinstance(value, str):
            kind = "str"
        else:
            raise self.fail(node, f"{value!r} is not allowed in a condition")
        return (lambda s, r, a: value), kind

    def _name(self, node: ast.Name) -> tuple[Fn, str]:
        name = node.id
        if name in ("true", "True"):
            return (lambda s, r, a: True), "bool"
        if name in ("false", "False"):
            return (lambda s, r, a: False), "bool"
        info = self.variables.get(name)
        if info is None:
            if name in HELPERS:
                raise self.fail(node, f"'{name}' is a helper: call it as {name}(...)")
            known = ", ".join(sorted(self.variables)) or "none declared"
            raise self.fail(node, f"unknown variable '{name}' (variables: {known})")
        self.reads.add(name)
        kind = _VAR_TYPES[info.type]
        if info.scope == "role":
            if not self.role_context:
                raise self.fail(
                    node, f"'{name}' has scope: role and cannot be read here (no acting role)"
                )
            return (lambda s, r, a: s.role_vars[r][name] if r else None), kind
        return (lambda s, r, a: s.vars[name]), kind

    def _compare(self, node: ast.Compare) -> tuple[Fn, str]:
        operands = [node.left, *node.comparators]
        compiled = [self.compile(o) for o in operands]
        steps: list[tuple[Callable[[Any, Any], Any], Fn, Fn]] = []
        for index, op in enumerate(node.ops):
            (lf, lk), (rf, rk) = compiled[index], compiled[index + 1]
            left_node, right_node = operands[index], operands[index + 1]
            if isinstance(op, ast.In | ast.NotIn):
                if rk not in ("set", "list"):
                    raise self.fail(
                        right_node, "'in' needs a set variable or a [list] on its right"
                    )
                func: Callable[[Any, Any], Any] = (
                    (lambda x, y: x in y) if isinstance(op, ast.In) else (lambda x, y: x not in y)
                )
                self._check_member(left_node, right_node)
            elif type(op) in _COMPARE:
                if lk != rk:
                    raise self.fail(
                        node,
                        f"cannot compare {lk} '{ast.unparse(left_node)}' "
                        f"with {rk} '{ast.unparse(right_node)}'",
                    )
                if isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) and lk != "num":
                    raise self.fail(node, "'<', '<=', '>', '>=' compare numbers only")
                self._check_enum_value(left_node, right_node)
                self._check_enum_value(right_node, left_node)
                func = _COMPARE[type(op)]
            else:  # `is`, `is not`
                raise self.fail(node, "use '==' and '!=' instead of 'is'")
            steps.append((func, lf, rf))
        if len(steps) == 1:
            func, lf, rf = steps[0]
            direct = self._direct(func, operands[0], operands[1])
            if direct is not None:
                return direct, "bool"
            return (lambda s, r, a: func(lf(s, r, a), rf(s, r, a))), "bool"
        return (lambda s, r, a: all(f(x(s, r, a), y(s, r, a)) for f, x, y in steps)), "bool"

    def _direct(self, func: Callable[[Any, Any], Any], left: ast.AST, right: ast.AST) -> Fn | None:
        """One closure for the commonest comparisons — a team variable or the clock with a
        constant — instead of three: conditional injects are checked after every event,
        and the explorer checks every condition in every state. Same results (tested)."""
        value = _constant_of(right)
        if value is _NOT_CONSTANT:
            return None
        if isinstance(left, ast.Name) and left.id in self.variables:
            if self.variables[left.id].scope != "team":
                return None
            name = left.id
            if func is operator.eq:
                return lambda s, r, a: s.vars[name] == value
            if func is operator.ne:
                return lambda s, r, a: s.vars[name] != value
            if func is operator.ge:
                return lambda s, r, a: s.vars[name] >= value
            return lambda s, r, a: func(s.vars[name], value)
        elapsed = isinstance(left, ast.Call) and ast.unparse(left) == "elapsed()"
        if elapsed and func is operator.gt:
            return lambda s, r, a: s.clock > value
        if elapsed:
            return lambda s, r, a: func(s.clock, value)
        return None

    def _values_of(self, node: ast.AST) -> tuple[str, tuple[str, ...]] | None:
        if isinstance(node, ast.Name) and node.id in self.variables:
            info = self.variables[node.id]
            if info.values:
                return node.id, info.values
        return None

    def _check_enum_value(self, var_node: ast.AST, value_node: ast.AST) -> None:
        declared = self._values_of(var_node)
        if declared and isinstance(value_node, ast.Constant) and isinstance(value_node.value, str):
            name, values = declared
            if value_node.value not in values:
                raise self.fail(
                    value_node,
                    f"'{value_node.value}' is not a value of {name} ({', '.join(values)})",
                )

    def _check_member(self, item_node: ast.AST, container_node: ast.AST) -> None:
        self._check_enum_value(container_node, item_node)
        if isinstance(container_node, ast.List | ast.Tuple | ast.Set):
            declared = self._values_of(item_node)
            if declared:
                name, values = declared
                for element in container_node.elts:
                    self._check_enum_value(item_node, element)

    def _call(self, node: ast.Call) -> tuple[Fn, str]:
        if not isinstance(node.func, ast.Name) or node.func.id not in HELPERS:
            what = ast.unparse(node.func)
            raise self.fail(node, f"unknown helper '{what}' (helpers: {', '.join(HELPERS)})")
        name = node.func.id
        id_kind, arity, result = HELPERS[name]
        if node.keywords or len(node.args) != arity:
            raise self.fail(node, f"{name}() takes {arity} argument{'s' if arity != 1 else ''}")
        if name in ANSWER_HELPERS and not self.allow_answer:
            raise self.fail(node, f"{name}() is only allowed in outcomes and replies of an input")
        if id_kind is not None:
            arg = node.args[0]
            if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
                raise self.fail(arg, f"{name}() takes an id in quotes, e.g. {name}('some-id')")
            ident = arg.value
            self.refs.append((name, ident, arg.col_offset))
            return _ID_HELPERS[name](ident), result
        if name in ("hours", "days"):
            inner, kind = self.compile(node.args[0])
            self._expect(node.args[0], kind, "num")
            factor = 60 if name == "hours" else 1440
            return (lambda s, r, a: inner(s, r, a) * factor), "num"
        return _PLAIN_HELPERS[name], result

    def _expect(self, node: ast.AST, kind: str, wanted: str) -> None:
        if kind != wanted:
            raise self.fail(node, f"'{ast.unparse(node)}' is {kind}, a {wanted} is needed here")


_NOT_CONSTANT = object()


def _constant_of(node: ast.AST) -> Any:
    """The value of a constant operand already compiled (so checked): a literal, a list of
    literals, or hours()/days() of a number; else _NOT_CONSTANT."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float | str):
        return node.value
    if isinstance(node, ast.Name) and node.id in ("true", "True", "false", "False"):
        return node.id in ("true", "True")
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return frozenset(e.value for e in node.elts if isinstance(e, ast.Constant))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("hours", "days")
        and len(node.args) == 1
    ):
        inner = _constant_of(node.args[0])
        if isinstance(inner, int | float) and not isinstance(inner, bool):
            return inner * (60 if node.func.id == "hours" else 1440)
    return _NOT_CONSTANT


def _bool_op(conjunction: bool, parts: list[Fn]) -> Fn:
    # Conditions are evaluated for every option on every screen and by the explorer for
    # every state: unrolling the common two-part case avoids a generator per call.
    if len(parts) == 2:
        first, second = parts
        if conjunction:
            return lambda s, r, a: first(s, r, a) and second(s, r, a)
        return lambda s, r, a: first(s, r, a) or second(s, r, a)
    if conjunction:
        return lambda s, r, a: all(p(s, r, a) for p in parts)
    return lambda s, r, a: any(p(s, r, a) for p in parts)


def _answer_picked(ident: str) -> Fn:
    return lambda s, r, a: a is not None and ident in a.picked


_ID_HELPERS: dict[str, Callable[[str], Fn]] = {
    "visited": lambda i: lambda s, r, a: i in s.visited,
    # Some of the team is in the scene now: the team's scene or a track's (`split`).
    "at": lambda i: lambda s, r, a: s.scene == i or i in s.tracks.values(),
    "has": lambda i: lambda s, r, a: i in s.unlocked,
    "done": lambda i: lambda s, r, a: i in s.taken,
    "count": lambda i: lambda s, r, a: s.taken.get(i, 0),
    "pending": lambda i: lambda s, r, a: i in s.pending_actions,
    "fired": lambda i: lambda s, r, a: i in s.fired,
    "picked": _answer_picked,
}
_PLAIN_HELPERS: dict[str, Fn] = {
    "phase": lambda s, r, a: s.phase,
    "elapsed": lambda s, r, a: s.clock,
    "score": lambda s, r, a: a.score if a is not None and a.score is not None else -1,
    "value": lambda s, r, a: a.value if a is not None and a.value is not None else 0,
}


_TOO_DEEP = (
    f"the condition is nested too deeply: more than {limits.MAX_EXPRESSION_DEPTH} levels of "
    "operators and calls (limit MAX_EXPRESSION_DEPTH); split it, e.g. with a variable"
)


def _check_depth(tree: ast.AST) -> None:
    """Refuse deep trees before compiling them: the compiler and the closures it builds
    recurse once per level, and 5,000 `not`s overflowed Python's stack."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.MAX_EXPRESSION_DEPTH:
            raise ExpressionError(_TOO_DEEP, getattr(node, "col_offset", 0))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def compile_expression(
    source: str,
    variables: Mapping[str, VarInfo],
    *,
    allow_answer: bool = False,
    role_context: bool = True,
) -> Compiled:
    """Compile a condition, or raise ExpressionError with the column of the problem.

    >>> c = compile_expression("evidence >= 2", {"evidence": VarInfo("int")})
    >>> sorted(c.reads)
    ['evidence']
    """
    text = source.strip()
    if not text:
        raise ExpressionError("the condition is empty")
    if len(text) > limits.MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"the condition is too long: {len(text):,} characters, at most "
            f"{limits.MAX_EXPRESSION_CHARS:,} (limit MAX_EXPRESSION_CHARS)"
        )
    # Authors coming from other languages write && || !; say what to use instead.
    for wrong, right in (("&&", "and"), ("||", "or")):
        if wrong in text:
            raise ExpressionError(f"use '{right}' instead of '{wrong}'", text.index(wrong))
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        column = max((error.offset or 1) - 1, 0)
        raise ExpressionError(f"syntax error: {error.msg}", column) from None
    except (RecursionError, MemoryError):  # Python's parser gives up on deep nesting
        raise ExpressionError(_TOO_DEEP) from None
    except ValueError as error:  # a NUL character (Python 3.11 says so with a ValueError)
        raise ExpressionError(f"syntax error: {error}") from None
    _check_depth(tree)
    compiler = _Compiler(variables, allow_answer, role_context)
    fn, _kind = compiler.compile(tree.body)
    return Compiled(text, fn, frozenset(compiler.reads), tuple(compiler.refs))
