"""The XLSForm expressions of `relevant`, `constraint`, `required`, `calculation` and
`choice_filter`, parsed once, safely.

A small subset of XPath 1.0 as XLSForm authors write it: `${name}`, `.` (the answer being
checked), numbers, 'strings', `= != < <= > >=`, `and or`, `+ - * div mod`, parentheses, and
the functions in xpath.FUNCTIONS; in a choice filter also the bare names of the choices
sheet's columns (`country = ${country}`), read from the choice being tested. Our own
tokenizer and recursive-descent parser build closures; nothing is ever passed to `eval`.
Chains of one operator (`a + b + c`, `x or y or z`) are one node evaluated in a loop, so only
parentheses, calls and unary minus nest, and nesting is bounded
(limits.MAX_EXPRESSION_DEPTH): the parser and the closures recurse once per level.

Values follow XPath (see xpath.py). Evaluation never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from . import limits
from .xpath import FUNCTIONS, Context, Value, arithmetic, compare, to_bool, to_number, to_string

__all__ = [
    "FUNCTIONS",
    "Context",
    "Expression",
    "ExpressionError",
    "Value",
    "fill_references",
    "parse_expression",
]

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
    fields: frozenset[str] = frozenset()  # bare names read from a choice (choice filters)

    def value(self, context: Context) -> Value:
        try:
            return self.fn(context)
        except (ArithmeticError, ValueError):  # pragma: no cover - a bug, but never a 500
            return False

    def evaluate(self, context: Context) -> bool:
        return to_bool(self.value(context))


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
    allowed_fields: frozenset[str] = frozenset()
    fields: set[str] = field(default_factory=set)

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
        if not opens and token.text in self.allowed_fields:
            name = token.text
            self.fields.add(name)
            return lambda c: c.choice.get(name, "")
        if known is None or not opens:
            if known is None and opens:
                listed = ", ".join(f"{n}()" for n in FUNCTIONS)
                message = f"the function {token.text}() is not supported (supported: {listed})"
            elif self.allowed_fields:
                listed = ", ".join(sorted(self.allowed_fields))
                message = (
                    f"unexpected '{token.text}': refer to a question as ${{name}} or to a "
                    f"column of the choices ({listed})"
                )
            else:
                message = f"unexpected '{token.text}': refer to a question as ${{name}}"
            raise ExpressionError(message, token.column)
        fewest, most, implementation = known
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
        if len(args) < fewest or (most is not None and len(args) > most):
            if most is None:
                takes = f"at least {fewest}"
            elif most == fewest:
                takes = str(fewest)
            else:
                takes = f"{fewest} or {most}" if most == fewest + 1 else f"{fewest} to {most}"
            plural = "s" if (most, fewest) != (1, 1) else ""
            raise ExpressionError(
                f"{token.text}() takes {takes} argument{plural}, not {len(args)}", token.column
            )
        return lambda c: implementation([a(c) for a in args], c)


def _comparison(parts: list[tuple[str, Fn]]) -> Fn:
    if len(parts) == 1:
        return parts[0][1]
    first = parts[0][1]
    rest = [(compare[op], fn) for op, fn in parts[1:]]

    def compared(context: Context) -> Value:
        # XPath compares left to right: (a < b) < c compares a boolean with c.
        value: Value = first(context)
        for test, fn in rest:
            value = test(value, fn(context))
        return value

    return compared


def _arithmetic(parts: list[tuple[str, Fn]]) -> Fn:
    if len(parts) == 1:
        return parts[0][1]
    first = parts[0][1]
    rest = [(arithmetic[op], fn) for op, fn in parts[1:]]

    def calculate(context: Context) -> Value:
        value = to_number(first(context))
        for operation, fn in rest:
            value = operation(value, to_number(fn(context)))
        return value

    return calculate


def parse_expression(source: str, *, fields: Collection[str] = ()) -> Expression:
    """Parse an expression, or raise ExpressionError with the column of the problem.
    `fields` are the bare names it may use (a choice filter's choice columns).

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
    parser = _Parser(_tokens(text), allowed_fields=frozenset(fields))
    fn = parser.expression()
    if parser.token.kind != "end":
        token = parser.token
        if token.text == ")":
            raise ExpressionError("unbalanced parentheses: a ')' without its '('", token.column)
        raise ExpressionError(f"unexpected '{token.text}'", token.column)
    return Expression(
        text, frozenset(parser.refs), parser.uses_current, fn, frozenset(parser.fields)
    )


_REFERENCE = re.compile(r"\$\{([^}]*)\}")


def fill_references(text: str, values: Mapping[str, object]) -> str:
    """A label or hint with each `${name}` replaced by that question's value as a reader
    sees it ("" when unanswered; a multiple choice its names), as ODK shows it."""

    def value(match: re.Match[str]) -> str:
        found = values.get(match[1].strip())
        if found is None:
            return ""
        if isinstance(found, list):
            return " ".join(str(v) for v in found)
        if isinstance(found, float):
            return to_string(found)
        return str(found)

    return _REFERENCE.sub(value, text) if "${" in text else text
