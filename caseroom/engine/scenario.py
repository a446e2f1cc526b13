"""A loaded scenario: the validated model, its indexes, and its conditions compiled.

`load_scenario(path)` returns a `Scenario` or raises `ScenarioError` listing every problem
with its file, line and column: broken YAML, unknown keys, wrong types, duplicate or
unknown ids, bad expressions, effects that do not fit a variable's type.
"""

from __future__ import annotations

import bisect
import difflib
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, Location, ScenarioError, Severity
from .expressions import Compiled, ExpressionError, VarInfo, compile_expression
from .model import (
    Action,
    Assessment,
    Document,
    Effects,
    Ending,
    Inject,
    Reaction,
    Role,
    ScenarioDocument,
    Scene,
    Variable,
)
from .yamlsource import READ_CODES, Path_, Source, read_folder

__all__ = ["Scenario", "load_scenario"]

END = "end"  # `goto: end` ends the case with the first ending whose condition holds


@dataclass
class Scenario:
    """Everything the session, validator and explorer need, looked up by id."""

    doc: ScenarioDocument
    source: Source
    roles: dict[str, Role]
    scenes: dict[str, Scene]
    actions: dict[str, Action]
    action_scene: dict[str, str | None]
    scene_actions: dict[str, tuple[str, ...]]
    global_actions: tuple[str, ...]
    documents: dict[str, Document]
    injects: dict[str, Inject]
    endings: dict[str, Ending]
    variables: dict[str, Variable]
    phase_order: dict[str, int]
    conditions: dict[str, Compiled] = field(default_factory=dict)
    outcome_conditions: dict[str, tuple[Compiled | None, ...]] = field(default_factory=dict)
    reply_conditions: dict[str, tuple[Compiled | None, ...]] = field(default_factory=dict)
    ending_conditions: dict[str, Compiled | None] = field(default_factory=dict)
    timed_injects: tuple[tuple[int, str], ...] = ()
    conditional_injects: tuple[str, ...] = ()
    paths: dict[str, Path_] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def version(self) -> str:
        return self.doc.version

    @property
    def root(self) -> Path:
        return self.source.root

    def locate(self, ident: str, *sub: str | int) -> Location:
        """Where the element with this id (and optionally one of its keys) was written."""
        return self.source.locate((*self.paths.get(ident, ()), *sub))

    def decision_points(self) -> int:
        """Decision scenes plus menu and global actions: what the team decides on."""
        decisions = sum(1 for s in self.scenes.values() if s.kind == "decision")
        menu_actions = sum(len(s.actions) for s in self.scenes.values() if s.kind == "menu")
        return decisions + menu_actions + len(self.global_actions)


# ---------------------------------------------------------------- schema errors


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
    for part in loc:
        is_key = isinstance(node, dict) and part in node
        if is_key or (isinstance(node, list) and isinstance(part, int) and part < len(node)):
            node = node[part]
            cleaned.append(part)
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
        return f"'{_shorten(str(value))}' is not a valid name in '{mapping}': {hint}"
    # The innermost key that names something (an empty key names nothing); errors of the
    # document itself have no key at all.
    key = next((p for p in reversed(loc) if isinstance(p, str) and p), "value")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            allowed = ", ".join(model.model_fields)
            return f"unknown key '{loc[-1]}'{hint}; allowed here: {allowed}"
        return f"unknown key '{loc[-1]}'"
    if kind == "missing":
        return f"missing required key '{key}'"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(error.get("ctx", {}).get("pattern")), error["msg"])
        return f"'{_shorten(str(value))}' is not a valid {key}: {hint}"
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
    if kind == "finite_number":
        return f"{key}: {value!r} is not a number (NaN and infinity are not allowed)"
    message = str(error["msg"]).removeprefix("Value error, ")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return f"{key}: {message} (got {_shorten(shown)})"


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _schema_problems(source: Source, error: ValidationError) -> tuple[list[Diagnostic], set[Path_]]:
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


# ---------------------------------------------------------------- the builder


class _Builder:
    def __init__(
        self, doc: ScenarioDocument, source: Source, broken_ids: set[str], damaged: set[str]
    ) -> None:
        self.damaged = damaged  # elements that lost broken children: do not call them empty
        self.doc = doc
        self.source = source
        self.problems: list[Diagnostic] = []
        # A suggestion lists every id of the kind and difflib compares the name with each:
        # 4,000 unknown references among 4,000 ids took 2.6 s, so only the first ones get one.
        self.hints_left = 100
        self.broken_ids = broken_ids
        self.kinds: dict[str, str] = {}
        self.dims: set[str] = set()
        self.paths: dict[str, Path_] = {}
        self.var_info = {
            name: VarInfo(v.type, v.scope, tuple(v.values or ()))
            for name, v in doc.variables.items()
        }

    def error(self, path: Path_, message: str, code: str = "reference") -> None:
        self.problems.append(Diagnostic(self.source.locate(path), message, code=code))

    def warn(self, path: Path_, message: str, code: str) -> None:
        self.problems.append(
            Diagnostic(self.source.locate(path), message, severity=Severity.warning, code=code)
        )

    # ids ---------------------------------------------------------------------

    def register(self, kind: str, ident: str, path: Path_) -> None:
        if ident in self.kinds:
            first = self.source.locate(self.paths[ident])
            self.error(
                (*path, "id"),
                f"duplicate id '{ident}': already used by {_a(self.kinds[ident])} at {first}",
                code="duplicate-id",
            )
            return
        self.kinds[ident] = kind
        self.paths[ident] = path

    def expect(self, path: Path_, ident: str | None, *kinds: str) -> None:
        if ident is None or ident in self.broken_ids:
            return
        if kinds == ("rubric dimension",):
            if ident not in self.dims:
                known = ", ".join(sorted(self.dims))
                self.error(path, f"unknown rubric dimension '{ident}' (dimensions: {known})")
            return
        actual = self.kinds.get(ident)
        if actual in kinds:
            return
        wanted = " or ".join(kinds)
        if actual is not None:
            self.error(path, f"'{ident}' is {_a(actual)}, {_a(wanted)} is needed here")
            return
        candidates = (i for i, k in self.kinds.items() if k in kinds)
        self.error(path, f"unknown {wanted} '{ident}'{self.suggest(ident, candidates)}")

    def suggest(self, name: str, candidates: Iterable[str]) -> str:
        """' (did you mean ...?)' for a name close to one of the candidates, or ''.

        `candidates` may be a generator: it is not even listed once the hints are used up.
        """
        if self.hints_left <= 0:
            return ""
        self.hints_left -= 1
        close = difflib.get_close_matches(name, list(candidates), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def expect_all(self, path: Path_, idents: Iterable[str] | None, *kinds: str) -> None:
        for index, ident in enumerate(idents or ()):
            self.expect((*path, index), ident, *kinds)

    # expressions ---------------------------------------------------------------

    def compile(
        self,
        path: Path_,
        source: str | None,
        *,
        allow_answer: bool = False,
        role_context: bool = True,
        items: Iterable[str] = (),
    ) -> Compiled | None:
        if source is None:
            return None
        try:
            compiled = compile_expression(
                source, self.var_info, allow_answer=allow_answer, role_context=role_context
            )
        except ExpressionError as problem:
            where = self.source.locate(path)
            self.problems.append(
                Diagnostic(
                    where,
                    f"in condition '{_shorten(source.strip())}': {problem.message}",
                    code="expression",
                )
            )
            return None
        item_ids = set(items)
        for helper, ident, _column in compiled.refs:
            kind = {
                "visited": "scene",
                "has": "document",
                "done": "action",
                "count": "action",
                "pending": "action",
                "fired": "inject",
            }.get(helper)
            if kind is not None:
                self.expect(path, ident, kind)
            elif helper == "picked" and ident not in item_ids:
                known = ", ".join(sorted(item_ids)) or "none"
                self.error(path, f"picked('{ident}'): no such item in this input (items: {known})")
        return compiled

    # checks ----------------------------------------------------------------------

    def check_variables(self) -> None:
        for name, var in self.doc.variables.items():
            path: Path_ = ("variables", name)
            if var.type == "int":
                if var.min is not None and var.max is not None and var.min > var.max:
                    self.error(
                        path, f"variable '{name}': min {var.min} is above max {var.max}", "type"
                    )
                if var.default is not None and not _is_int(var.default):
                    self.error(path, f"variable '{name}': default must be a whole number", "type")
                elif _is_int(var.default) and not _in_range(var, int(var.default)):  # type: ignore[arg-type]
                    self.error(
                        path, f"variable '{name}': default {var.default} is out of range", "type"
                    )
            elif var.type == "bool":
                if var.default is not None and not isinstance(var.default, bool):
                    self.error(path, f"variable '{name}': default must be true or false", "type")
            elif var.type == "enum":
                if not var.values:
                    self.error(path, f"enum variable '{name}' needs 'values'", "type")
                elif var.default is not None and var.default not in var.values:
                    self.error(
                        path,
                        f"variable '{name}': default '{var.default}' is not one of its values",
                        "type",
                    )
            elif var.type == "set":
                default = var.default if var.default is not None else []
                if not isinstance(default, list):
                    self.error(path, f"set variable '{name}': default must be a list", "type")
                elif var.values is not None and not set(default) <= set(var.values):
                    extra = ", ".join(sorted(set(default) - set(var.values)))
                    self.error(
                        path,
                        f"set variable '{name}': default holds unknown members: {extra}",
                        "type",
                    )
            if var.type != "int" and (var.min is not None or var.max is not None):
                self.error(
                    path, f"variable '{name}': min and max apply to int variables only", "type"
                )

    def check_effects(self, path: Path_, effects: Effects | None, *, role_context: bool) -> None:
        if effects is None:
            return
        base = (*path, "effects")
        for name, value in effects.set.items():
            var = self._var(base, "set", name, role_context)
            if var is None:
                continue
            ok = {
                "bool": isinstance(value, bool),
                "int": _is_int(value) and _in_range(var, int(value)),  # type: ignore[arg-type]
                "enum": isinstance(value, str) and value in (var.values or ()),
                "set": isinstance(value, list) and set(value) <= set(var.values or value),
            }[var.type]
            if not ok:
                self.error(
                    (*base, "set", name),
                    f"cannot set {var.type} variable '{name}' to {value!r}",
                    "type",
                )
        for name, _amount in effects.add.items():
            var = self._var(base, "add", name, role_context)
            if var is not None and var.type != "int":
                self.error(
                    (*base, "add", name),
                    f"'add' needs an int variable; '{name}' is {var.type}",
                    "type",
                )
        for verb in ("include", "exclude"):
            for name, members in getattr(effects, verb).items():
                var = self._var(base, verb, name, role_context)
                if var is None:
                    continue
                if var.type != "set":
                    self.error(
                        (*base, verb, name),
                        f"'{verb}' needs a set variable; '{name}' is {var.type}",
                        "type",
                    )
                    continue
                listed = [members] if isinstance(members, str) else members
                unknown = [m for m in listed if var.values is not None and m not in var.values]
                if unknown:
                    self.error(
                        (*base, verb, name),
                        f"not members of '{name}': {', '.join(unknown)}",
                        "type",
                    )
        self.expect_all((*base, "unlock"), effects.unlock, "document")
        self.expect_all((*base, "fire"), effects.fire, "inject")

    def _var(self, base: Path_, verb: str, name: str, role_context: bool) -> Variable | None:
        var = self.doc.variables.get(name)
        if var is None:
            hint = self.suggest(name, self.doc.variables)
            self.error((*base, verb, name), f"unknown variable '{name}'{hint}")
            return None
        if var.scope == "role" and not role_context:
            self.error(
                (*base, verb, name),
                f"'{name}' has scope: role and cannot be changed here (no acting role)",
            )
        return var

    def check_assessment(self, path: Path_, item: Assessment) -> None:
        self.expect_all((*path, "objectives"), item.objectives, "objective")
        self.expect((*path, "misconception"), item.misconception, "misconception")
        for dim in item.points:
            self.expect((*path, "points", dim), dim, "rubric dimension")

    def check_reaction(self, path: Path_, item: Reaction, *, role_context: bool = True) -> None:
        self.check_assessment(path, item)
        self.check_effects(path, item.effects, role_context=role_context)
        self.check_jump(path, item.goto, item.end)

    def check_jump(self, path: Path_, goto: str | None, end: str | None) -> None:
        if goto is not None and goto != END:
            self.expect((*path, "goto"), goto, "scene")
        self.expect((*path, "end"), end, "ending")
        if goto is not None and end is not None:
            self.error((*path, "end"), "use either 'goto' or 'end', not both", "conflict")

    def check_action(self, path: Path_, action: Action, *, global_action: bool) -> dict[str, Any]:
        compiled: dict[str, Any] = {}
        self.check_assessment(path, action)
        self.expect_all((*path, "roles"), action.roles, "role")
        if action.phases is not None:
            if not global_action:
                self.error((*path, "phases"), "'phases' applies to global actions only", "conflict")
            self.expect_all((*path, "phases"), action.phases, "phase")
        self.check_effects(path, action.effects, role_context=True)
        self.check_jump(path, action.goto, action.end)
        items = [i.id for i in action.input.items] if action.input else []
        has_input = action.input is not None
        compiled["when"] = self.compile((*path, "when"), action.when)
        if action.when is not None and not action.locked:
            self.warn(
                (*path, "when"),
                "no 'locked' reason: while the condition is false, players would read "
                "the condition itself",
                "no-locked-reason",
            )
        outcomes = []
        for index, outcome in enumerate(action.outcomes):
            opath = (*path, "outcomes", index)
            self.check_reaction(opath, outcome)
            outcomes.append(
                self.compile((*opath, "when"), outcome.when, allow_answer=has_input, items=items)
            )
        compiled["outcomes"] = tuple(outcomes)
        if action.input is not None:
            self.check_input((*path, "input"), action)
            if action.input.type == "text":
                for index, outcome in enumerate(action.outcomes):
                    source = outcome.when or ""
                    if "score()" in source or "picked(" in source or "value()" in source:
                        self.error(
                            (*path, "outcomes", index, "when"),
                            "a free-text answer is graded later by the facilitator: "
                            "outcomes cannot depend on it",
                            "conflict",
                        )
        if action.approval is not None:
            apath = (*path, "approval")
            self.expect((*apath, "role"), action.approval.role, "role")
            if action.roles and action.approval.role in action.roles and len(action.roles) == 1:
                self.warn(
                    apath, "the approving role is the only role that can ask", "self-approval"
                )
            self.check_reaction((*apath, "approve"), action.approval.approve)
            self.check_reaction((*apath, "refuse"), action.approval.refuse)
        replies: list[Compiled | None] = []
        if action.request is not None:
            rpath = (*path, "request")
            self.expect((*rpath, "to"), action.request.to, "role")
            for index, reply in enumerate(action.request.replies):
                ypath = (*rpath, "replies", index)
                self.check_reaction(ypath, reply, role_context=False)
                replies.append(
                    self.compile(
                        (*ypath, "when"),
                        reply.when,
                        allow_answer=has_input,
                        role_context=False,
                        items=items,
                    )
                )
            if action.request.replies[-1].when is not None:
                self.warn(
                    (*rpath, "replies"),
                    "no default reply: give the last reply no 'when'",
                    "no-default",
                )
            if action.goto is not None or action.end is not None:
                self.warn(
                    path,
                    "a request with 'goto' leaves the scene before its answer arrives",
                    "request-goto",
                )
        compiled["replies"] = tuple(replies)
        return compiled

    def check_input(self, path: Path_, action: Action) -> None:
        spec = action.input
        assert spec is not None
        ids = [item.id for item in spec.items]
        seen: set[str] = set()
        for index, ident in enumerate(ids):
            if ident in seen:
                self.error(
                    (*path, "items", index, "id"), f"duplicate item '{ident}'", "duplicate-id"
                )
            seen.add(ident)
        if spec.type in ("multi", "order"):
            if len(ids) < 2:
                self.error(
                    (*path, "items"), f"a {spec.type} input needs at least two items", "input"
                )
            listed: set[str] = set()
            for index, ident in enumerate(spec.correct):
                if ident not in seen:
                    self.error(
                        (*path, "correct", index), f"'{ident}' is not one of the items", "input"
                    )
                elif ident in listed:
                    self.error(
                        (*path, "correct", index), f"'{ident}' is listed twice", "duplicate-id"
                    )
                listed.add(ident)
            if spec.type == "order" and sorted(spec.correct) != sorted(ids):
                self.error(
                    (*path, "correct"), "an order input lists every item once in 'correct'", "input"
                )
            if spec.type == "multi" and not spec.correct:
                self.error((*path, "correct"), "a multi input needs the correct items", "input")
        if spec.type == "numeric" and (spec.answer is None or spec.tolerance is None):
            self.error(path, "a numeric input needs 'answer' and 'tolerance'", "input")
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            self.error((*path, "min"), f"min {spec.min:g} is above max {spec.max:g}", "input")
        elif spec.answer is not None and not (
            (spec.min is None or spec.answer >= spec.min)
            and (spec.max is None or spec.answer <= spec.max)
        ):
            self.error(
                (*path, "answer"),
                f"the answer {spec.answer:g} is outside min and max: no player could give it",
                "input",
            )
        if spec.type == "text":
            for dim in spec.max_points:
                self.expect((*path, "max_points", dim), dim, "rubric dimension")

    def build(self) -> Scenario:
        doc = self.doc
        sections: tuple[tuple[str, Sequence[Any]], ...] = (
            ("phase", doc.phases),
            ("objective", doc.objectives),
            ("role", doc.roles),
            ("scene", doc.scenes),
            ("document", doc.documents),
            ("inject", doc.injects),
            ("ending", doc.endings),
            ("misconception", doc.misconceptions),
        )
        for kind, section in sections:
            key = kind + "s"
            for index, element in enumerate(section):
                self.register(kind, element.id, (key, index))
        # Rubric dimensions have their own namespace: 'cooperation' is a natural phase id too.
        for index, dim in enumerate(doc.rubric):
            if dim.id in self.dims:
                self.error(
                    ("rubric", index, "id"),
                    f"duplicate rubric dimension '{dim.id}'",
                    "duplicate-id",
                )
            self.dims.add(dim.id)
        scene_actions: dict[str, tuple[str, ...]] = {}
        action_scene: dict[str, str | None] = {}
        actions: dict[str, Action] = {}
        action_paths: list[tuple[Path_, Action, bool]] = []
        for sindex, scene in enumerate(doc.scenes):
            listed = scene.options if scene.kind == "decision" else scene.actions
            key = "options" if scene.kind == "decision" else "actions"
            other = "actions" if scene.kind == "decision" else "options"
            if getattr(scene, other):
                self.error(
                    ("scenes", sindex, other),
                    f"a {scene.kind} scene lists its choices under '{key}', not '{other}'",
                    "conflict",
                )
            if not listed and scene.id not in self.damaged:
                self.error(("scenes", sindex), f"scene '{scene.id}' offers no {key}", "empty")
            for aindex, action in enumerate(listed):
                path: Path_ = ("scenes", sindex, key, aindex)
                self.register("action", action.id, path)
                actions[action.id] = action
                action_scene[action.id] = scene.id
                action_paths.append((path, action, False))
            scene_actions[scene.id] = tuple(a.id for a in listed)
        for aindex, action in enumerate(doc.actions):
            path = ("actions", aindex)
            self.register("action", action.id, path)
            actions[action.id] = action
            action_scene[action.id] = None
            action_paths.append((path, action, True))

        self.check_variables()
        self.expect(("start",), doc.start, "scene")
        for index, scene in enumerate(doc.scenes):
            path = ("scenes", index)
            self.expect((*path, "phase"), scene.phase, "phase")
            self.expect_all((*path, "roles"), scene.roles, "role")
            self.check_effects(path, scene.on_enter, role_context=False)
        conditions: dict[str, Compiled] = {}
        outcome_conditions: dict[str, tuple[Compiled | None, ...]] = {}
        reply_conditions: dict[str, tuple[Compiled | None, ...]] = {}
        for path, action, is_global in action_paths:
            checked = self.check_action(path, action, global_action=is_global)
            if checked["when"] is not None:
                conditions[action.id] = checked["when"]
            outcome_conditions[action.id] = checked["outcomes"]
            reply_conditions[action.id] = checked["replies"]
        for index, document in enumerate(doc.documents):
            path = ("documents", index)
            self.expect_all((*path, "roles"), document.roles, "role")
            if document.image is not None and not _inside_file(self.source.root, document.image):
                self.error(
                    (*path, "image"),
                    f"image file {document.image!r} not found in the scenario folder",
                    "file",
                )
            if document.table is not None:
                width = len(document.table.columns)
                for rindex, row in enumerate(document.table.rows):
                    if len(row) != width:
                        self.error(
                            (*path, "table", "rows", rindex),
                            f"row has {len(row)} cells, the table has {width} columns",
                            "table",
                        )
        timed: list[tuple[int, str]] = []
        conditional: list[str] = []
        for index, inject in enumerate(doc.injects):
            path = ("injects", index)
            self.expect_all((*path, "to"), inject.to, "role")
            self.check_effects(path, inject.effects, role_context=False)
            self.check_jump(path, inject.goto, inject.end)
            compiled = self.compile((*path, "when"), inject.when, role_context=False)
            if compiled is not None:
                conditions[inject.id] = compiled
            if inject.at is not None and inject.when is not None:
                self.error(
                    path,
                    "an inject fires either 'at' a time or 'when' a condition holds",
                    "conflict",
                )
            if inject.at is not None:
                timed.append((inject.at, inject.id))
            elif inject.when is not None:
                conditional.append(inject.id)
        ending_conditions: dict[str, Compiled | None] = {}
        for index, ending in enumerate(doc.endings):
            path = ("endings", index)
            ending_conditions[ending.id] = self.compile(
                (*path, "when"), ending.when, role_context=False
            )
        if doc.endings and doc.endings[-1].when is not None:
            self.warn(
                ("endings", len(doc.endings) - 1, "when"),
                "the last ending has a condition: `goto: end` can find no ending when none holds",
                "no-fallback",
            )
        self.check_expert_path(actions)
        scenario = Scenario(
            doc=doc,
            source=self.source,
            roles={r.id: r for r in doc.roles},
            scenes={s.id: s for s in doc.scenes},
            actions=actions,
            action_scene=action_scene,
            scene_actions=scene_actions,
            global_actions=tuple(a.id for a in doc.actions),
            documents={d.id: d for d in doc.documents},
            injects={i.id: i for i in doc.injects},
            endings={e.id: e for e in doc.endings},
            variables=dict(doc.variables),
            phase_order={p.id: i for i, p in enumerate(doc.phases)},
            conditions=conditions,
            outcome_conditions=outcome_conditions,
            reply_conditions=reply_conditions,
            ending_conditions=ending_conditions,
            timed_injects=tuple(sorted(timed)),
            conditional_injects=tuple(conditional),
            paths=self.paths,
        )
        return scenario

    def check_expert_path(self, actions: dict[str, Action]) -> None:
        for index, step in enumerate(self.doc.expert_path):
            path = ("expert_path", index)
            chosen = [k for k in ("do", "approve", "refuse") if getattr(step, k)] + (
                ["wait"] if step.wait else []
            )
            if len(chosen) != 1:
                self.error(
                    path,
                    "an expert step has exactly one of 'do', 'approve', 'refuse', 'wait'",
                    "conflict",
                )
            for key in ("do", "approve", "refuse"):
                ident = getattr(step, key)
                self.expect((*path, key), ident, "action")
                if key != "do" and ident in actions and actions[ident].approval is None:
                    self.error((*path, key), f"action '{ident}' needs no approval", "conflict")
            self.expect((*path, "role"), step.role, "role")


def _inside_file(root: Path, name: str) -> bool:
    """Whether `name` is a file in the folder (after links): images are served from there."""
    try:
        image = (root / name).resolve()
        return root.resolve() in image.parents and image.is_file()
    except (OSError, ValueError, RuntimeError):  # a NUL byte in the name, a loop of links
        return False


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _in_range(var: Variable, value: int) -> bool:
    return (var.min is None or value >= var.min) and (var.max is None or value <= var.max)


def _broken_ids(source: Source, broken: set[Path_]) -> set[str]:
    """Ids of elements that failed the schema, so they do not also show as 'unknown'."""
    ids: set[str] = set()

    def collect(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                yield node["id"]
            for value in node.values():
                yield from collect(value)
        elif isinstance(node, list):
            for value in node:
                yield from collect(value)

    for path in broken:
        node: Any = source.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        ids.update(collect(node))
    return ids


def _drop(data: dict[str, Any], broken: set[Path_]) -> dict[str, Any]:
    """A copy of the data without the broken list elements."""
    dropped = {p for p in broken if p and isinstance(p[-1], int)}
    return _prune(data, (), dropped)  # type: ignore[no-any-return]


def _prune(node: Any, path: Path_, dropped: set[Path_]) -> Any:
    if isinstance(node, dict):
        return {k: _prune(v, (*path, k), dropped) for k, v in node.items()}
    if isinstance(node, list):
        return [
            _prune(v, (*path, i), dropped) for i, v in enumerate(node) if (*path, i) not in dropped
        ]
    return node


def _remap(source: Source, broken: set[Path_]) -> Source:
    """The same source with positions renumbered as in the pruned data."""
    by_list: dict[Path_, list[int]] = {}
    for path in broken:
        if path and isinstance(path[-1], int):
            by_list.setdefault(path[:-1], []).append(path[-1])
    # Sorted, to count the removed items before an index by bisection: thousands of broken
    # items times every position was quadratic.
    gone_sets = {key: set(indexes) for key, indexes in by_list.items()}
    for indexes in by_list.values():
        indexes.sort()
    locations: dict[Path_, Location] = {}
    for path, where in source.locations.items():
        new: list[str | int] = []
        for index, part in enumerate(path):
            gone = by_list.get(path[:index])
            if isinstance(part, int) and gone:
                if part in gone_sets[path[:index]]:
                    break
                part -= bisect.bisect_left(gone, part)
            new.append(part)
        else:
            locations[tuple(new)] = where
    return Source(source.root, source.data, locations, source.files, source.translations)


def _damaged(source: Source, broken: set[Path_]) -> set[str]:
    """Ids of elements that lost a broken child (a scene without its only valid option)."""
    ids: set[str] = set()
    for path in broken:
        if len(path) > 2 and isinstance(path[1], int):
            parent = source.data.get(str(path[0]))
            if isinstance(parent, list) and isinstance(parent[path[1]], dict):
                ids.add(str(parent[path[1]].get("id")))
    return ids


def load_scenario(path: str | Path) -> Scenario:
    """Load and check a scenario folder.

    Raises ScenarioError with every problem found; warnings of a loadable scenario are in
    `scenario.warnings`.

    >>> scenario = load_scenario("scenarios/night-crossing")  # doctest: +SKIP
    """
    root = Path(path)
    problems: list[Diagnostic] = []
    source = read_folder(root, problems)
    if any(p.code in READ_CODES for p in problems) or not source.data:
        raise ScenarioError(
            problems or [Diagnostic(Location(str(root)), "the folder holds no scenario")]
        )
    try:
        doc = ScenarioDocument.model_validate(source.data)
        broken_ids: set[str] = set()
        damaged: set[str] = set()
    except ValidationError as error:
        schema, broken = _schema_problems(source, error)
        problems.extend(schema)
        # Check references in what is well formed too, so one run reports everything:
        # without the broken elements, or else without the top-level items holding them.
        for attempt in (
            broken,
            {p[:2] if len(p) >= 2 and isinstance(p[1], int) else p for p in broken},
        ):
            try:
                doc = ScenarioDocument.model_validate(_drop(source.data, attempt))
                broken = attempt
                break
            except ValidationError:
                continue
        else:
            raise ScenarioError(problems) from None
        broken_ids = _broken_ids(source, broken)
        damaged = _damaged(source, broken)
        source = _remap(source, broken)
    builder = _Builder(doc, source, broken_ids, damaged)
    scenario = builder.build()
    problems.extend(builder.problems)
    if any(p.severity is Severity.error for p in problems):
        raise ScenarioError(problems)
    scenario.warnings = problems
    return scenario
