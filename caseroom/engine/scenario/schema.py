"""Schema errors in the author's words: pydantic's validation errors turned into one
diagnostic per place, with the key an author probably meant.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic
from ..model import ScenarioDocument
from ..yamlsource import Path_, Source

__all__ = ["schema_problems", "shorten"]


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose fields live at `loc`, to suggest the key an author meant."""
    current: Any = ScenarioDocument
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _first_model(info.annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return _first_model(args[1])
    if origin in (list, tuple, typing.Union, types.UnionType, typing.Annotated) or args:
        for arg in args:
            found = _first_model(arg)
            if found is not None:
                return found
    return None


def _clean_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union tags ('str', 'list[str]') that are not keys of the data."""
    cleaned: list[Any] = []
    node = data
    for index, part in enumerate(loc):
        is_key = isinstance(node, dict) and part in node
        if is_key or (isinstance(node, list) and isinstance(part, int) and part < len(node)):
            node = node[part]
            cleaned.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and index < len(loc) - 1:
            continue  # a union's tag ('range' of `phases`) before the key the error is about
        elif isinstance(node, dict | list):
            cleaned.append(part)  # a missing key or an out-of-range index: keep it
            node = None
    return tuple(cleaned)


_PATTERN_HINTS = {
    # The two patterns of model.py, by the words an author needs.
    r"^[a-z0-9][a-z0-9_-]*$": "use lower-case letters, digits, '-' and '_' "
    "(starting with a letter or digit)",
    r"^[a-z_][a-z0-9_]*$": "use lower-case letters, digits and '_' (starting with a letter "
    "or '_'), as expressions read it",
}


def _describe(error: dict[str, Any], loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    value = error.get("input")
    if error.get("loc", ())[-1:] == ("[key]",):
        # The name of an entry of a mapping (a variable, a rubric dimension in `points`):
        # `loc` ends with that name, the mapping's own key comes before it.
        mapping = next((p for p in reversed(loc[:-1]) if isinstance(p, str) and p), "value")
        hint = _PATTERN_HINTS.get(str(error.get("ctx", {}).get("pattern")), error["msg"])
        return f"'{shorten(str(value))}' is not a valid name in '{mapping}': {hint}"
    # The innermost key that names something (an empty key names nothing); errors of the
    # document itself have no key at all.
    key = next((p for p in reversed(loc) if isinstance(p, str) and p), "value")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        hint = ""
        if model is not None:
            # Keys as written: `from` is the field `from_`.
            keys = [f.alias or name for name, f in model.model_fields.items()]
            close = difflib.get_close_matches(str(loc[-1]), keys, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            allowed = ", ".join(keys)
            return f"unknown key '{loc[-1]}'{hint}; allowed here: {allowed}"
        return f"unknown key '{loc[-1]}'"
    if kind == "missing":
        return f"missing required key '{key}'"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(error.get("ctx", {}).get("pattern")), error["msg"])
        return f"'{shorten(str(value))}' is not a valid {key}: {hint}"
    if kind == "too_short":
        return f"'{key}' needs at least one item"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"'{key}' is too long: {len(str(value)):,} characters, at most {limit}"
    if kind == "too_long":
        limit = error.get("ctx", {}).get("max_length")
        if isinstance(value, str):
            return f"'{key}' is too long: {len(value):,} characters, at most {limit}"
        return f"'{key}' has too many items: at most {limit}"
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        # YAML reads `version: 0.1` as a number (and `1.10` as 1.1): quotes keep it as written.
        return f'{key}: write it in quotes ({key}: "{value}") so that it stays text'
    if kind == "finite_number":
        return f"{key}: {value!r} is not a number (NaN and infinity are not allowed)"
    message = str(error["msg"]).removeprefix("Value error, ")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return f"{key}: {message} (got {shorten(shown)})"


def shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def schema_problems(source: Source, error: ValidationError) -> tuple[list[Diagnostic], set[Path_]]:
    seen: dict[Path_, Diagnostic] = {}
    broken: set[Path_] = set()
    for item in error.errors():
        raw = tuple(item["loc"])
        # A bad mapping key: pydantic adds '[key]' after it; the key is the place to show.
        loc = _clean_loc(source.data, raw[:-1] if raw[-1:] == ("[key]",) else raw)
        message = _describe(dict(item), loc)
        if loc in seen:
            # A union reports one error per member; one line per place is enough.
            continue
        seen[loc] = Diagnostic(source.locate(loc), message, code="schema")
        # The innermost list element holding the error (an action inside a scene, say).
        cut = max((i + 1 for i, part in enumerate(loc) if isinstance(part, int)), default=1)
        broken.add(loc[:cut])
    return list(seen.values()), broken
