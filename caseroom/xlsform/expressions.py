"""The XLSForm expressions of `relevant`, `constraint` and `required`, parsed once, safely.

A small subset of XPath 1.0 as XLSForm authors write it: `${name}`, `.` (the answer being
checked), numbers, 'strings', `= != < <= > >=`, `and or`, `+ - * div mod`, parentheses, and
the functions in FUNCTIONS. Our own tokenizer and recursive-descent parser build closures;
nothing is ever passed to `eval`. Chains of one operator (`a + b + c`, `x or y or z`) are one
node evaluated in a loop, so only parentheses, calls and unary minus nest, and nesting is
bounded (limits.MAX_EXPRESSION_DEPTH): the parser and the closures recurse once per level.

Values follow XPath: a string, a number (float) or a boolean; an unanswered question is the
empty string, a multiple choice its names joined by spaces, a date 'YYYY-MM-DD' (in a number
context the days since 1970-01-01, as ODK does). Evaluation never raises: dividing by zero
gives NaN, and NaN compares false.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from . import limits

__all__ = ["FUNCTIONS", "Context", "Expression", "ExpressionError", "Value", "parse_expression"]

Value = str | float | bool


@dataclass(frozen=True)
class Context:
    """What an expression reads: answers by question name, `.`, and today's date."""

    values: Mapping[str, Value]
    current: Value = ""
    today: dt.date = dt.date(1970, 1, 1)


Fn = Callable[[Context], Value]


class ExpressionError(ValueError):
    """An expression that cannot be used; `column` is the 0-based offset in its text."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Expression:
    """A parsed expression; call `evaluate` (truth) or `value` with a Context."""

    source: str
    refs: frozenset[str]
    uses_current: bool
    fn: Fn = field(compare=False, repr=False)

    def value(self, context: Context) -> Value:
        try:
            return self.fn(context)
        except (ArithmeticError, ValueError):  # pragma: no cover - a bug, but never a 500
            return False

    def evaluate(self, context: Context) -> bool:
        return to_bool(self.value(context))


# ---- conversions (XPath 1.0, section 4)

_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")
_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_EPOCH = dt.date(1970, 1, 1)


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if _NUMBER.fullmatch(value):
        return float(value)  # at most MAX_CELL_CHARS digits: float() is linear in them
    date = _DATE.fullmatch(value)
    if date:
        try:
            day = dt.date(int(date[1]), int(date[2]), int(date[3]))
        except ValueError:
            return math.nan
        return float((day - _EPOCH).days)
    return math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return value


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_bool(left) == to_bool(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


def _divide(a: float, b: float) -> float:
    return a / b if b else math.nan


def _modulo(a: float, b: float) -> float:
    return math.fmod(a, b) if b and math.isfinite(a) else math.nan


_COMPARE: dict[str, Callable[[Value, Value], bool]] = {
    "=": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": lambda a, b: to_number(a) < to_number(b),
    "<=": lambda a, b: to_number(a) <= to_number(b),
    ">": lambda a, b: to_number(a) > to_number(b),
    ">=": lambda a, b: to_number(a) >= to_number(b),
}
_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _divide,
    "mod": _modulo,
}


def _selected(args: Sequence[Value], context: Context) -> Value:
    return to_string(args[1]) in to_string(args[0]).split()


# name -> (number of arguments, implementation)
FUNCTIONS: dict[str, tuple[int, Callable[[Sequence[Value], Context], Value]]] = {
    "selected": (2, _selected),
    "count-selected": (1, lambda a, c: float(len(to_string(a[0]).split()))),
    "string-length": (1, lambda a, c: float(len(to_string(a[0])))),
    "not": (1, lambda a, c: not to_bool(a[0])),
    "true": (0, lambda a, c: True),
    "false": (0, lambda a, c: False),
    "number": (1, lambda a, c: to_number(a[0])),
    "today": (0, lambda a, c: c.today.isoformat()),
}

# ---- tokens

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{(?P<refname>[^}]*)\})
    | (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<dot>\.(?![.\w]))
    | (?P<name>[A-Za-z_][A-Za-z0-9_.-]*)
    )""",
    re.VERBOSE,
)
_WORDS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str  # ref, number, string, op, dot, name, word, end
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].isspace():
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            column = position + len(text[position:]) - len(text[position:].lstrip())
            raise ExpressionError(_unexpected(text[column]), column)
        kind = match.lastgroup or ""
        column = match.start(kind)
        value = match[kind]
        if kind == "ref":
            kind, value = "ref", match["refname"].strip()
        elif kind == "name" and value in _WORDS:
            kind = "word"
        found.append(_Token(kind, value, column))
        position = match.end()
    found.append(_Token("end", "", len(text)))
    return found


def _unexpected(char: str) -> str:
    if char == "/":
        return "paths such as /data/x are not supported: refer to a question as ${name}"
    if char in "[]@|":
        return f"'{char}' is not supported in these expressions"
    if char == "$":
        return "a reference is written ${name}"
    return f"unexpected character '{char}'"


# ---- parser


@dataclass
class _Parser:
    tokens: list[_Token]
    position: int = 0
    depth: int = 0
    refs: set[str] = field(default_factory=set)
    uses_current: bool = False

    @property
    def token(self) -> _Token:
        return self.tokens[self.position]

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        if self.token.text != text or self.token.kind not in ("op", "word"):
            if text == ")" and self.token.kind == "end":
                raise ExpressionError(
                    "unbalanced parentheses: a '(' is never closed", self.token.column
                )
            raise ExpressionError(f"expected '{text}' here", self.token.column)
        self.position += 1

    def nest(self) -> None:
        self.depth += 1
        if self.depth > limits.MAX_EXPRESSION_DEPTH:
            raise ExpressionError(
                f"the expression is nested too deeply: more than {limits.MAX_EXPRESSION_DEPTH} "
                "levels of parentheses and calls (limit MAX_EXPRESSION_DEPTH)",
                self.token.column,
            )

    def chain(self, ops: set[str], operand: Callable[[], Fn]) -> list[tuple[str, Fn]]:
        parts = [("", operand())]
        while self.token.kind in ("op", "word") and self.token.text in ops:
            parts.append((self.take().text, operand()))
        return parts

    def expression(self) -> Fn:
        parts = [fn for _, fn in self.chain({"or"}, self.conjunction)]
        if len(parts) == 1:
            return parts[0]
        return lambda c: any(to_bool(p(c)) for p in parts)

    def conjunction(self) -> Fn:
        parts = [fn for _, fn in self.chain({"and"}, self.equality)]
        if len(parts) == 1:
            return parts[0]
        return lambda c: all(to_bool(p(c)) for p in parts)

    def equality(self) -> Fn:
        return _comparison(self.chain({"=", "!="}, self.relation))

    def relation(self) -> Fn:
        return _comparison(self.chain({"<", "<=", ">", ">="}, self.sum))

    def sum(self) -> Fn:
        return _arithmetic(self.chain({"+", "-"}, self.product))

    def product(self) -> Fn:
        return _arithmetic(self.chain({"*", "div", "mod"}, self.unary))

    def unary(self) -> Fn:
        if self.token.kind == "op" and self.token.text == "-":
            self.take()
            self.nest()
            inner = self.unary()
            self.depth -= 1
            return lambda c: -to_number(inner(c))
        return self.primary()

    def primary(self) -> Fn:
        token = self.take()
        if token.kind == "number":
            number = float(token.text)
            return lambda c: number
        if token.kind == "string":
            text = token.text[1:-1]
            return lambda c: text
        if token.kind == "ref":
            return self.reference(token)
        if token.kind == "dot":
            self.uses_current = True
            return lambda c: c.current
        if token.kind == "op" and token.text == "(":
            self.nest()
            inner = self.expression()
            self.expect(")")
            self.depth -= 1
            return inner
        if token.kind == "name":
            return self.call(token)
        if token.kind == "end":
            raise ExpressionError("the expression ends too early", token.column)
        raise ExpressionError(f"unexpected '{token.text}'", token.column)

    def reference(self, token: _Token) -> Fn:
        name = token.text
        if not name:
            raise ExpressionError("a reference needs a name: ${name}", token.column)
        self.refs.add(name)
        return lambda c: c.values.get(name, "")

    def call(self, token: _Token) -> Fn:
        known = FUNCTIONS.get(token.text)
        opens = self.token.kind == "op" and self.token.text == "("
        if known is None or not opens:
            if known is None and opens:
                listed = ", ".join(f"{n}()" for n in FUNCTIONS)
                message = f"the function {token.text}() is not supported (supported: {listed})"
            else:
                message = f"unexpected '{token.text}': refer to a question as ${{name}}"
            raise ExpressionError(message, token.column)
        arity, implementation = known
        self.take()
        self.nest()
        args: list[Fn] = []
        if self.token.text != ")":
            args.append(self.expression())
            while self.token.kind == "op" and self.token.text == ",":
                self.take()
                args.append(self.expression())
        self.expect(")")
        self.depth -= 1
        if len(args) != arity:
            plural = "s" if arity != 1 else ""
            raise ExpressionError(
                f"{token.text}() takes {arity} argument{plural}, not {len(args)}", token.column
            )
        return lambda c: implementation([a(c) for a in args], c)


def _comparison(parts: list[tuple[str, Fn]]) -> Fn:
    if len(parts) == 1:
        return parts[0][1]
    first = parts[0][1]
    rest = [(_COMPARE[op], fn) for op, fn in parts[1:]]

    def compare(context: Context) -> Value:
        # XPath compares left to right: (a < b) < c compares a boolean with c.
        value: Value = first(context)
        for test, fn in rest:
            value = test(value, fn(context))
        return value

    return compare


def _arithmetic(parts: list[tuple[str, Fn]]) -> Fn:
    if len(parts) == 1:
        return parts[0][1]
    first = parts[0][1]
    rest = [(_ARITHMETIC[op], fn) for op, fn in parts[1:]]

    def calculate(context: Context) -> Value:
        value = to_number(first(context))
        for operation, fn in rest:
            value = operation(value, to_number(fn(context)))
        return value

    return calculate


def parse_expression(source: str) -> Expression:
    """Parse an expression, or raise ExpressionError with the column of the problem.

    >>> e = parse_expression("${age} >= 18 and selected(${roles}, 'police')")
    >>> sorted(e.refs)
    ['age', 'roles']
    >>> e.evaluate(Context({"age": 30.0, "roles": "police judge"}))
    True
    """
    text = source.strip()
    if not text:
        raise ExpressionError("the expression is empty")
    if len(text) > limits.MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"the expression is too long: {len(text):,} characters, at most "
            f"{limits.MAX_EXPRESSION_CHARS:,} (limit MAX_EXPRESSION_CHARS)"
        )
    for wrong, right in (("&&", "and"), ("||", "or"), ("==", "=")):
        if wrong in text:
            raise ExpressionError(f"use '{right}' instead of '{wrong}'", text.index(wrong))
    parser = _Parser(_tokens(text))
    fn = parser.expression()
    if parser.token.kind != "end":
        token = parser.token
        if token.text == ")":
            raise ExpressionError("unbalanced parentheses: a ')' without its '('", token.column)
        raise ExpressionError(f"unexpected '{token.text}'", token.column)
    return Expression(text, frozenset(parser.refs), parser.uses_current, fn)
