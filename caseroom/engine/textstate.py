"""Text that reads the state: `{{ clock }}`, `{{ var.workers_found }}`, `{{ count('x') }}`.

A placeholder is compiled once per text, with the conditions' own sandbox
(`expressions.compile_expression`) for anything that computes, and substituted when a text is
shown for a team. Names are checked by the validator (`check_texts`), so a page never meets
an unknown one; if it does anyway (a folder registered without validation, a log older than
the text), the placeholder is shown as written instead of failing the page.

Every substituted value is escaped for Markdown: scenario texts are Markdown sanitised with
nh3 when shown, and a value must never add formatting, a link or HTML of its own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .diagnostics import Diagnostic, Severity
from .expressions import Compiled, EvalState, ExpressionError, VarInfo, compile_expression
from .model import Assessment, Document, Ending, Inject, Reply, Role, Scene
from .scenario import Scenario
from .strings import text as scenario_text
from .translations import Fallback

__all__ = [
    "MAX_PLACEHOLDERS",
    "MAX_VALUE_CHARS",
    "NAMES",
    "Placeholder",
    "TextTemplate",
    "case_moment",
    "check_texts",
    "compile_text",
    "escape_markdown",
    "format_duration",
    "render_text",
    "text_reads",
    "uses_state",
]

# The same pattern the translations check counts placeholders with (`{{`, the shortest text,
# `}}`, on one line), so both agree on what a placeholder is.
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_VAR = re.compile(r"^var\.([a-z_][a-z0-9_]*)$")
# A text is Markdown shown on a page: a few dozen placeholders are plenty, and each value is
# cut to a line's length, so a set of 200 members or a number of 4,000 digits cannot swell a
# text beyond what its author wrote.
MAX_PLACEHOLDERS = 50
MAX_VALUE_CHARS = 200

NAMES: dict[str, str] = {
    "clock": "case date and time, 2026-03-02 14:30",
    "date": "case date, 2026-03-02",
    "time": "case time of day, 14:30",
    "day": "day of the case, 1 on the first day",
    "elapsed": "case time since the start, 1d 4h 30m",
    "phase": "the current phase's title",
}
# Where a placeholder may stand: texts shown for one team, each at a moment of its play.
# Titles, action texts and answer items are shown where no team's state is at hand (lists,
# charts, the comparison of teams), so they keep to plain words.
_STATEFUL: dict[type[BaseModel], frozenset[str]] = {
    Scene: frozenset({"text"}),
    Document: frozenset({"body"}),
    Inject: frozenset({"message"}),
    Reply: frozenset({"message", "feedback", "debrief"}),
    Assessment: frozenset({"feedback", "debrief"}),
    Ending: frozenset({"narrative"}),
    Role: frozenset({"briefing"}),
}
_MARKDOWN_SPECIAL = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


@dataclass(frozen=True)
class Placeholder:
    """One `{{ ... }}`: a name of `NAMES`, `var` (a variable) or `number` (an expression)."""

    source: str  # as written, braces included: shown as it is if it cannot be read
    kind: str
    name: str = ""
    compiled: Compiled | None = None


@dataclass(frozen=True)
class TextTemplate:
    """A text split into plain parts and placeholders; `errors` says what could not be read."""

    parts: tuple[str | Placeholder, ...]
    errors: tuple[str, ...] = ()


def _variables(scenario: Scenario) -> dict[str, VarInfo]:
    return {
        name: VarInfo(v.type, v.scope, tuple(v.values or ()))
        for name, v in scenario.variables.items()
    }


def _placeholder(inner: str, raw: str, variables: Mapping[str, VarInfo]) -> Placeholder:
    name = inner.strip()
    if not name:
        raise ExpressionError("the placeholder is empty")
    if name in NAMES:
        return Placeholder(raw, name)
    found = _VAR.match(name)
    if found:
        var = found.group(1)
        info = variables.get(var)
        if info is None:
            close = difflib.get_close_matches(var, list(variables), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(sorted(variables)) or "none declared"
            raise ExpressionError(f"unknown variable '{var}'{hint} (variables: {known})")
        if info.scope == "role":
            raise ExpressionError(
                f"'{var}' has scope: role, and a text is read by the whole team: "
                "show a team variable"
            )
        if info.type == "bool":
            raise ExpressionError(
                f"'{var}' is true or false, which has no words in every language: "
                "show an enum with value_labels instead"
            )
        return Placeholder(raw, "var", var)
    if name.startswith("var."):
        raise ExpressionError(f"'{name}' is not a variable: write var.<name>, e.g. var.evidence")
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        if name in variables:
            raise ExpressionError(f"to show the variable '{name}', write {{{{ var.{name} }}}}")
        close = difflib.get_close_matches(name, list(NAMES), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ExpressionError(
            f"unknown name '{name}'{hint}: a placeholder shows {', '.join(NAMES)}, "
            "var.<variable> or a number such as count('some-action')"
        )
    # Anything else computes a number with the conditions' sandbox. `(...) + 0` makes the
    # sandbox itself require a number, with its own words for what else was written.
    try:
        compiled = compile_expression(f"({name}) + 0", variables, role_context=False)
    except ExpressionError as error:
        message = error.message.replace("a num is needed here", "a placeholder shows numbers")
        raise ExpressionError(message, max(error.column - 1, 0)) from None
    return Placeholder(raw, "number", name, compiled)


def compile_text(text: str, variables: Mapping[str, VarInfo]) -> TextTemplate:
    """Split a text into its parts; every problem found is in `errors`, in text order.

    >>> t = compile_text("At {{ clock }}: {{ var.found }}", {"found": VarInfo("int")})
    >>> [p if isinstance(p, str) else p.kind for p in t.parts]
    ['At ', 'clock', ': ', 'var']
    """
    parts: list[str | Placeholder] = []
    errors: list[str] = []
    position = 0
    for count, match in enumerate(_PLACEHOLDER.finditer(text), start=1):
        plain = text[position : match.start()]
        _stray(plain, errors)
        parts.append(plain)
        raw = match.group()
        if count > MAX_PLACEHOLDERS:
            if count == MAX_PLACEHOLDERS + 1:
                errors.append(f"more than {MAX_PLACEHOLDERS} placeholders in one text")
            parts.append(raw)
        else:
            try:
                parts.append(_placeholder(match.group(1), raw, variables))
            except ExpressionError as error:
                errors.append(f"in {_short(raw)}: {error.message}")
                parts.append(raw)
        position = match.end()
    rest = text[position:]
    _stray(rest, errors)
    parts.append(rest)
    return TextTemplate(tuple(p for p in parts if p != ""), tuple(errors))


def _stray(plain: str, errors: list[str]) -> None:
    if "{{" in plain:
        errors.append("'{{' without its '}}' on the same line")
    elif "}}" in plain:
        errors.append("'}}' without a '{{' before it")


def _short(raw: str) -> str:
    return raw if len(raw) <= 60 else raw[:57] + "…"


def _template(scenario: Scenario, text: str) -> TextTemplate:
    cache: dict[str, TextTemplate] = scenario.cache.setdefault("textstate", {})
    found = cache.get(text)
    if found is None:
        variables = scenario.cache.get("textstate:vars")
        if variables is None:
            variables = scenario.cache["textstate:vars"] = _variables(scenario)
        # Texts are the scenario's own and their translations: the cache stays small.
        found = cache[str(text)] = compile_text(str(text), variables)
    return found


def uses_state(scenario: Scenario) -> bool:
    """Whether any text of the scenario has a placeholder (else nothing need be replayed)."""
    cached = scenario.cache.get("textstate:uses")
    if cached is None:
        from .strings import catalogue

        cached = scenario.cache["textstate:uses"] = any(
            "{{" in t for t in catalogue(scenario).values()
        )
    return bool(cached)


def text_reads(scenario: Scenario) -> set[str]:
    """The variables the scenario's texts show or compute with."""
    from .strings import catalogue

    names: set[str] = set()
    for text in catalogue(scenario).values():
        if "{{" in text:
            for part in _template(scenario, text).parts:
                if isinstance(part, Placeholder):
                    if part.kind == "var":
                        names.add(part.name)
                    elif part.compiled is not None:
                        names |= part.compiled.reads
    return names


def escape_markdown(value: str) -> str:
    """The value as literal Markdown: every ASCII punctuation mark backslash-escaped
    (CommonMark allows it for each), so `**`, `[a](b)`, `<b>` or `&amp;` show as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def render_text(
    scenario: Scenario, text: str, state: EvalState | None, lang: str | None = None
) -> str:
    """The text with its placeholders read from `state` (None: the text as it is).

    A text shown in the source language keeps saying so (`Fallback.lang`).
    """
    if state is None or not text or "{{" not in text:
        return text
    template = _template(scenario, text)
    out: list[str] = []
    for part in template.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        try:
            value = _value(scenario, part, state, lang)
        except Exception:  # noqa: BLE001 (a page never fails for a text: show it as written)
            out.append(part.source)
            continue
        if len(value) > MAX_VALUE_CHARS:
            value = value[: MAX_VALUE_CHARS - 1] + "…"
        out.append(escape_markdown(value))
    result = "".join(out)
    lang_of = getattr(text, "lang", None)
    return Fallback(result, lang_of) if isinstance(lang_of, str) else result


def case_moment(scenario: Scenario, clock: int) -> dt.datetime:
    """The case's date and time `clock` minutes after its start."""
    start = dt.datetime.fromisoformat(scenario.doc.clock.start).replace(tzinfo=None)
    return start + dt.timedelta(minutes=clock)


def format_duration(minutes: int) -> str:
    """Case time as '2d 3h 10m' ('0m' for none): in texts and on every page."""
    days, rest = divmod(int(minutes), 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if mins or not parts:
        parts.append(f"{mins}m")
    return " ".join(parts)


def _number(value: Any) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _value(scenario: Scenario, part: Placeholder, state: EvalState, lang: str | None) -> str:
    kind = part.kind
    if kind == "clock":
        return case_moment(scenario, state.clock).strftime("%Y-%m-%d %H:%M")
    if kind == "date":
        return case_moment(scenario, state.clock).strftime("%Y-%m-%d")
    if kind == "time":
        return case_moment(scenario, state.clock).strftime("%H:%M")
    if kind == "day":
        return str(state.clock // 1440 + 1)
    if kind == "elapsed":
        return format_duration(state.clock)
    if kind == "phase":
        return scenario_text(scenario, f"phase.{state.phase}.title", lang) or state.phase
    if kind == "var":
        return _variable(scenario, part.name, state.vars[part.name], lang)
    assert part.compiled is not None
    return _number(part.compiled.fn(state, None, None))


def _variable(scenario: Scenario, name: str, value: Any, lang: str | None) -> str:
    variable = scenario.variables[name]

    def label(member: str) -> str:
        words = ""
        if member in variable.value_labels:
            words = scenario_text(scenario, f"variable.{name}.value_labels.{member}", lang)
        return words or member

    if isinstance(value, frozenset | set | list | tuple):
        order = {v: i for i, v in enumerate(variable.values or ())}
        members = sorted(value, key=lambda m: (order.get(m, len(order)), str(m)))
        return ", ".join(label(str(m)) for m in members) or "—"
    if isinstance(value, str):
        return label(value)
    return _number(value)


# ------------------------------------------------------------------ the validator's check


def _texts(path: tuple[str | int, ...], model: BaseModel) -> Iterator[tuple[Any, str, str]]:
    """(path, field, text) of every text field, with the model that holds it."""
    for name in type(model).model_fields:
        value: Any = getattr(model, name)
        if isinstance(value, str):
            if value:
                yield (*path, name), name, value
        elif isinstance(value, BaseModel):
            yield from _texts((*path, name), value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _texts((*path, name, index), item)
                elif isinstance(item, str) and item:
                    yield (*path, name, index), name, item
                elif isinstance(item, list):  # table rows
                    for cell_index, cell in enumerate(item):
                        if isinstance(cell, str) and cell:
                            yield (*path, name, index, cell_index), name, cell


def _stateful(owner: BaseModel, field: str) -> bool:
    return any(isinstance(owner, kind) and field in names for kind, names in _STATEFUL.items())


def _owner(doc: BaseModel, path: tuple[str | int, ...]) -> Any:
    node: Any = doc
    for part in path[:-1]:
        node = node[part] if isinstance(part, int) else getattr(node, part, None)
    return node


def check_texts(scenario: Scenario) -> list[Diagnostic]:
    """Every placeholder that cannot be read, or stands where no team's state is known."""
    variables = _variables(scenario)
    found: list[Diagnostic] = []
    for path, field, text in _texts((), scenario.doc):
        if "{{" not in text and "}}" not in text:
            continue
        where = scenario.source.locate(path)
        owner = _owner(scenario.doc, path)
        if "{{" in text and not (isinstance(owner, BaseModel) and _stateful(owner, field)):
            found.append(
                Diagnostic(
                    where,
                    f"a placeholder in '{field}': placeholders are read only in texts shown "
                    "to a team at a moment of its play (a scene's text, a document's body, "
                    "an inject's or reply's message, feedback, debrief, an ending's "
                    "narrative, a briefing)",
                    code="placeholder",
                )
            )
            continue
        template = compile_text(text, variables)
        messages = list(template.errors)
        for part in template.parts:
            if isinstance(part, Placeholder) and part.compiled is not None:
                messages += _unknown_ids(scenario, part)
        for message in messages:
            found.append(Diagnostic(where, message, Severity.error, "placeholder"))
    return found


def _unknown_ids(scenario: Scenario, part: Placeholder) -> list[str]:
    """The ids a number's helpers name that the scenario does not have, as for conditions."""
    assert part.compiled is not None
    kinds: dict[str, tuple[str, Mapping[str, object]]] = {
        "visited": ("scene", scenario.scenes),
        "at": ("scene", scenario.scenes),
        "has": ("document", scenario.documents),
        "done": ("action", scenario.actions),
        "count": ("action", scenario.actions),
        "pending": ("action", scenario.actions),
        "fired": ("inject", scenario.injects),
    }
    messages = []
    for helper, ident, _column in part.compiled.refs:
        kind, known = kinds[helper]
        if ident not in known:
            close = difflib.get_close_matches(ident, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            messages.append(f"in {_short(part.source)}: unknown {kind} '{ident}'{hint}")
    return messages
