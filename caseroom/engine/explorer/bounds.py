"""An upper bound of what play can reach: what is outside it can never be reached.

The search of states (`cover.py`, `search.py`) finds what *is* reachable, by playing; this
analysis finds what *may* be, without playing: each variable is a set of values it may
hold anywhere (not per state), each condition is evaluated over every combination of those
values (and of "maybe" for what it cannot know: case time, answers, counts of repeatable
actions), and everything a condition that may hold leads to is added, until nothing more
is. Every concrete state's values lie in those sets, so every condition that holds in some
reachable state "may hold" here, and everything reachable is inside the bound.

When what was found equals the bound, the reached sets are exactly the reachable sets,
whatever the size of the state space: vardar-corridor's is millions of states.
"""

from __future__ import annotations

import ast
import itertools
import operator
from collections.abc import Callable, Iterable
from typing import Any

from ..expressions import Compiled
from ..model import Effects
from ..scenario import END, Scenario
from ..session.session import _initial_value

__all__ = ["Bounds"]


class _Top:
    """Any value at all."""

    def __repr__(self) -> str:
        return "TOP"


TOP = _Top()
Values = frozenset[Any] | _Top
MAX_VALUES = 64  # a variable with more possible values than this may hold any value
_BOTH: Values = frozenset({True, False})

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda x, y: x in y,
    ast.NotIn: lambda x, y: x not in y,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: lambda a, b: a / b if b else 0,
    ast.Mod: lambda a, b: a % b if b else 0,
}


def _combine(parts: list[Values], fn: Callable[..., Any]) -> Values:
    if any(isinstance(p, _Top) for p in parts):
        return TOP
    sets = [p for p in parts if not isinstance(p, _Top)]
    size = 1
    for values in sets:
        size *= len(values)
    if size > 4096:
        return TOP
    try:
        return frozenset(fn(*combo) for combo in itertools.product(*sets))
    except TypeError:  # e.g. an unhashable result: know nothing rather than guess
        return TOP


class Bounds:
    """What may be reached, computed once at construction."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        sc = scenario
        self.values: dict[str, Values] = {
            n: frozenset({_initial_value(v)}) for n, v in sc.variables.items()
        }
        self.scenes: set[str] = set()
        self.phases: set[str] = {sc.scenes[sc.doc.start].phase}
        self.initial_documents = {d for d, doc in sc.documents.items() if doc.initial}
        self.documents: set[str] = set(self.initial_documents)
        self.completed: set[str] = set()
        self.enabled: set[str] = set()
        self.pending: set[str] = set()
        self.injects: set[str] = set()
        self.endings: set[str] = set()
        self.max_clock = _max_clock(sc)
        self._trees: dict[str, ast.AST] = {}
        self._grew = True
        self._enter(sc.doc.start)
        while self._grew:
            self._grew = False
            self._round()

    # -- the fixpoint -------------------------------------------------------------

    def _round(self) -> None:
        sc = self.scenario
        for scene in sorted(self.scenes):
            for action_id in sc.scene_actions[scene] + sc.globals_in(scene):
                self._try(action_id)
        for inject_id, inject in sc.injects.items():
            manual = inject.manual or (inject.at is None and inject.when is None)
            timed = inject.at is not None and inject.at <= self.max_clock
            condition = sc.conditions.get(inject_id)
            # A delayed inject fires `delay` after its condition held: never, if case time
            # cannot get that far.
            in_time = inject.delay is None or inject.delay <= self.max_clock
            if manual or timed or (condition is not None and in_time and self.may(condition)):
                self._fire(inject_id)

    def _add(self, target: set[str], item: str) -> None:
        if item not in target:
            target.add(item)
            self._grew = True

    def _try(self, action_id: str) -> None:
        sc = self.scenario
        condition = sc.conditions.get(action_id)
        if condition is not None and not self.may(condition):
            return
        self._add(self.enabled, action_id)
        action = sc.actions[action_id]
        if action.approval is not None:
            self._add(self.pending, action_id)
            refuse = action.approval.refuse
            self._apply(refuse.effects)
            self._jump(refuse.goto, refuse.end)
            self._apply(action.approval.approve.effects)
            for number, step in enumerate(action.approval.then):
                conditions = sc.decision_conditions[action_id][number]
                for index in self._branches(conditions):
                    if index is None:
                        continue  # no answer holds: refused without effects
                    answer = step.answers[index]
                    self._apply(answer.effects)
                    if answer.decision == "refuse":
                        self._jump(answer.goto, answer.end)
        self._complete(action_id)

    def _complete(self, action_id: str) -> None:
        sc = self.scenario
        action = sc.actions[action_id]
        self._add(self.completed, action_id)
        for index in self._branches(sc.outcome_conditions[action_id]):
            outcome = action.outcomes[index] if index is not None else None
            self._apply(action.effects)
            if outcome is not None:
                self._apply(outcome.effects)
            if outcome is not None and (outcome.goto or outcome.end):
                self._jump(outcome.goto, outcome.end)
            else:
                self._jump(action.goto, action.end)
        if action.request is not None:
            self._add(self.pending, action_id)
            for index in self._branches(sc.reply_conditions[action_id]):
                if index is not None:
                    reply = action.request.replies[index]
                    self._apply(reply.effects)
                    self._jump(reply.goto, reply.end)

    def _branches(self, conditions: tuple[Compiled | None, ...]) -> list[int | None]:
        """The indexes that "first whose condition holds" may pick (None: none holds)."""
        found: list[int | None] = []
        for index, condition in enumerate(conditions):
            if condition is None:
                found.append(index)
                return found
            if self.may(condition):
                found.append(index)
                if not self.may(condition, False):
                    return found
        found.append(None)
        return found

    def _enter(self, scene: str) -> None:
        if scene == END:
            self._end()
            return
        if scene not in self.scenes:
            self._add(self.scenes, scene)
            self.phases.add(self.scenario.scenes[scene].phase)
            self._apply(self.scenario.scenes[scene].on_enter)

    def _end(self) -> None:
        sc = self.scenario
        for index in self._branches(tuple(sc.ending_conditions.values())):
            ending = list(sc.endings)[index] if index is not None else list(sc.endings)[-1]
            self._add(self.endings, ending)

    def _jump(self, goto: str | None, end: str | None) -> None:
        if end is not None:
            self._add(self.endings, end)
        elif goto is not None:
            self._enter(goto)

    def _fire(self, inject_id: str) -> None:
        if inject_id in self.injects:
            return
        self._add(self.injects, inject_id)
        inject = self.scenario.injects[inject_id]
        self._apply(inject.effects)
        self._jump(inject.goto, inject.end)

    def _apply(self, effects: Effects | None) -> None:
        if effects is None:
            return
        sc = self.scenario
        for name, value in effects.set.items():
            self._widen(name, [frozenset(value) if isinstance(value, list) else value])
        for name, amount in effects.add.items():
            var = sc.variables[name]
            self._widen(name, (_clamp(v + amount, var.min, var.max) for v in self._known(name)))
        for name, members in effects.include.items():
            extra = frozenset({members}) if isinstance(members, str) else frozenset(members)
            self._widen(name, (v | extra for v in self._known(name)))
        for name, members in effects.exclude.items():
            gone = frozenset({members}) if isinstance(members, str) else frozenset(members)
            self._widen(name, (v - gone for v in self._known(name)))
        for document in effects.unlock:
            self._add(self.documents, document)
        for split in effects.split:
            self._enter(split.to)  # a track's scene is entered as any other
        for inject_id in effects.fire:
            self._fire(inject_id)

    def _known(self, name: str) -> list[Any]:
        values = self.values[name]
        return [] if isinstance(values, _Top) else list(values)

    def _widen(self, name: str, new: Iterable[Any]) -> None:
        values = self.values[name]
        if isinstance(values, _Top):
            return
        grown = values | frozenset(new)
        if len(grown) != len(values):
            self._grew = True
            self.values[name] = TOP if len(grown) > MAX_VALUES else grown

    # -- conditions over sets of values ---------------------------------------------

    def may(self, condition: Compiled, outcome: bool = True) -> bool:
        """Whether the condition may be true (or, with `outcome` False, may be false)."""
        tree = self._trees.get(condition.source)
        if tree is None:
            tree = self._trees[condition.source] = ast.parse(condition.source, mode="eval").body
        result = self._eval(tree)
        return isinstance(result, _Top) or any(bool(v) is outcome for v in result)

    def always(self, condition: Compiled) -> bool:
        return not self.may(condition, False)

    def _eval(self, node: ast.AST) -> Values:  # noqa: PLR0911 - one case per node type
        if isinstance(node, ast.Constant):
            return frozenset({node.value})
        if isinstance(node, ast.Name):
            if node.id in ("true", "True"):
                return frozenset({True})
            if node.id in ("false", "False"):
                return frozenset({False})
            return self.values.get(node.id, TOP)
        if isinstance(node, ast.BoolOp):
            parts = [self._eval(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return _combine(parts, lambda *xs: next((x for x in xs if not x), xs[-1]))
            return _combine(parts, lambda *xs: next((x for x in xs if x), xs[-1]))
        if isinstance(node, ast.UnaryOp):
            inner = self._eval(node.operand)
            if isinstance(node.op, ast.Not):
                return _combine([inner], lambda x: not x)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            return _combine([inner], lambda x: sign * x)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            return _combine([self._eval(node.left), self._eval(node.right)], _ARITH[type(node.op)])
        if isinstance(node, ast.Compare):
            operands = [self._eval(o) for o in (node.left, *node.comparators)]
            ops = [_COMPARE[type(op)] for op in node.ops]
            return _combine(
                operands, lambda *xs: all(op(xs[i], xs[i + 1]) for i, op in enumerate(ops))
            )
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return frozenset({frozenset(e.value for e in node.elts if isinstance(e, ast.Constant))})
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._call(node.func.id, node.args)
        return TOP

    def _call(self, name: str, args: list[ast.expr]) -> Values:
        ident = args[0].value if args and isinstance(args[0], ast.Constant) else None
        sc = self.scenario
        if name == "visited":
            return frozenset({True}) if ident == sc.doc.start else _maybe(ident in self.scenes)
        if name == "has":
            if ident in self.initial_documents:
                return frozenset({True})
            return _maybe(ident in self.documents)
        if name == "done":
            return _maybe(ident in self.completed)
        if name == "count":
            if ident not in self.completed:
                return frozenset({0})
            action = sc.actions.get(str(ident))
            return frozenset({0, 1}) if action is not None and action.once else TOP
        if name == "pending":
            return _maybe(ident in self.pending)
        if name == "fired":
            return _maybe(ident in self.injects)
        if name == "phase":
            return frozenset(self.phases)
        if name in ("hours", "days"):
            factor = 60 if name == "hours" else 1440
            return _combine([self._eval(args[0])], lambda x: x * factor)
        return TOP  # elapsed(), score(), value(), picked(): anything


def _maybe(possible: bool) -> Values:
    return _BOTH if possible else frozenset({False})


def _clamp(value: Any, low: Any, high: Any) -> Any:
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def _max_clock(scenario: Scenario) -> float:
    """The latest case time play can reach: every cost and delay once, or no bound when
    something that takes time can be done again (a repeatable action, an approval asked
    again after a refusal)."""
    total = 0
    for action in scenario.actions.values():
        delay = action.request.delay if action.request is not None else 0
        if action.approval is not None:
            delay += sum(step.delay for step in action.approval.then)
        if action.cost + delay and (not action.once or action.approval is not None):
            return float("inf")
        total += action.cost + delay
    return total
