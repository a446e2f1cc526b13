"""The checks of each kind of element beyond its schema: variables and their defaults,
effects, assessments, jumps, actions (with their inputs, approvals and requests) and the
expert path.
"""

from __future__ import annotations

from typing import Any

from ..expressions import Compiled
from ..model import Action, Assessment, Effects, PhaseRange, Reaction, Variable
from ..yamlsource import Path_
from .references import References
from .scenario import END

__all__ = ["Checks"]


class Checks(References):
    """Each kind of element checked against the ids registered; problems are collected."""

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
        for index, split in enumerate(effects.split):
            self.expect_all((*base, "split", index, "roles"), split.roles, "role")
            self.expect((*base, "split", index, "to"), split.to, "scene")
        self.expect_all((*base, "join"), effects.join, "role")
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
        """Check an action; returns its compiled conditions: 'when', 'outcomes', 'replies'."""
        compiled: dict[str, Any] = {}
        self.check_assessment(path, action)
        self.expect_all((*path, "roles"), action.roles, "role")
        for key in ("phases", "scenes"):
            if getattr(action, key) is not None and not global_action:
                self.error((*path, key), f"'{key}' applies to global actions only", "conflict")
        self.check_offered(path, action)
        self.check_effects(path, action.effects, role_context=True)
        self.check_jump(path, action.goto, action.end)
        compiled["when"] = self.compile((*path, "when"), action.when)
        if action.when is not None and not action.locked:
            self.warn(
                (*path, "when"),
                "no 'locked' reason: while the condition is false, players would read "
                "the condition itself",
                "no-locked-reason",
            )
        compiled["outcomes"] = self.compile_outcomes(path, action)
        if action.input is not None:
            self.check_input((*path, "input"), action)
            if action.input.type == "text":
                self.check_text_outcomes(path, action)
        compiled["decisions"] = ()
        if action.approval is not None:
            self.check_approval(path, action)
            compiled["decisions"] = self.compile_chain(path, action)
        compiled["replies"] = self.compile_replies(path, action)
        return compiled

    def check_offered(self, path: Path_, action: Action) -> None:
        """Where a global action is offered: listed phases, a range of phases, or scenes."""
        phases = action.phases
        if isinstance(phases, PhaseRange):
            self.expect((*path, "phases", "from"), phases.from_, "phase")
            self.expect((*path, "phases", "to"), phases.to, "phase")
            order = [p.id for p in self.doc.phases]
            known = phases.from_ in order and phases.to in order
            if known and order.index(str(phases.to)) < order.index(phases.from_):
                self.error(
                    (*path, "phases", "to"),
                    f"phase '{phases.to}' comes before '{phases.from_}' in 'phases': a "
                    "range goes from an earlier phase to a later one",
                    "conflict",
                )
        else:
            self.expect_all((*path, "phases"), phases, "phase")
        self.expect_all((*path, "scenes"), action.scenes, "scene")
        if phases is not None and action.scenes is not None:
            # A scene belongs to one phase: the scenes say it all, and a scene outside the
            # phases would silently offer nothing.
            self.error(
                (*path, "scenes"),
                "give either 'scenes' or 'phases', not both: each scene belongs to one phase",
                "conflict",
            )

    def compile_outcomes(self, path: Path_, action: Action) -> tuple[Compiled | None, ...]:
        outcomes = []
        for index, outcome in enumerate(action.outcomes):
            opath = (*path, "outcomes", index)
            self.check_reaction(opath, outcome)
            outcomes.append(
                self.compile(
                    (*opath, "when"),
                    outcome.when,
                    allow_answer=action.input is not None,
                    items=_item_ids(action),
                )
            )
        return tuple(outcomes)

    def check_text_outcomes(self, path: Path_, action: Action) -> None:
        for index, outcome in enumerate(action.outcomes):
            source = outcome.when or ""
            if "score()" in source or "picked(" in source or "value()" in source:
                self.error(
                    (*path, "outcomes", index, "when"),
                    "a free-text answer is graded later by the facilitator: "
                    "outcomes cannot depend on it",
                    "conflict",
                )

    def check_approval(self, path: Path_, action: Action) -> None:
        assert action.approval is not None
        apath = (*path, "approval")
        self.expect((*apath, "role"), action.approval.role, "role")
        if action.roles and action.approval.role in action.roles and len(action.roles) == 1:
            self.warn(apath, "the approving role is the only role that can ask", "self-approval")
        self.check_reaction((*apath, "approve"), action.approval.approve)
        self.check_reaction((*apath, "refuse"), action.approval.refuse)

    def compile_chain(self, path: Path_, action: Action) -> tuple[tuple[Compiled | None, ...], ...]:
        """The scripted steps after an approval: each authority and its answers."""
        assert action.approval is not None
        steps = []
        for sindex, step in enumerate(action.approval.then):
            spath = (*path, "approval", "then", sindex)
            self.expect((*spath, "authority"), step.authority, "authority")
            answers: list[Compiled | None] = []
            for index, answer in enumerate(step.answers):
                apath = (*spath, "answers", index)
                self.check_reaction(apath, answer, role_context=False)
                if answer.decision == "approve" and (answer.goto or answer.end):
                    self.warn(
                        apath,
                        "'goto' and 'end' of an approving answer are not followed: once "
                        "approved, the action's own 'goto' or 'end' applies",
                        "approve-goto",
                    )
                answers.append(self.compile_answered((*apath, "when"), answer.when, action))
            if step.answers[-1].when is not None:
                self.warn(
                    (*spath, "answers"),
                    "no default answer: give the last answer no 'when' (when none holds, "
                    "the request is refused without a reason)",
                    "no-default",
                )
            steps.append(tuple(answers))
        return tuple(steps)

    def compile_answered(self, path: Path_, when: str | None, action: Action) -> Compiled | None:
        """The condition of an answer nobody on the team gives (an authority's, a reply):
        it may read the team's answer to the action, never a role's own variables."""
        return self.compile(
            path,
            when,
            allow_answer=action.input is not None,
            role_context=False,
            items=_item_ids(action),
        )

    def compile_replies(self, path: Path_, action: Action) -> tuple[Compiled | None, ...]:
        if action.request is None:
            return ()
        replies: list[Compiled | None] = []
        rpath = (*path, "request")
        self.expect((*rpath, "to"), action.request.to, "role", "authority")
        if action.roles and action.request.to in action.roles:
            # A request answers with the scenario's replies after its delay: the role it goes
            # to is meant to be the other side (another country, another authority), not the
            # role that sends it.
            self.warn(
                (*rpath, "to"),
                f"the request goes to '{action.request.to}', a role that sends it too: "
                "address it to the other side, or make it an approval",
                "self-request",
            )
        for index, reply in enumerate(action.request.replies):
            ypath = (*rpath, "replies", index)
            self.check_reaction(ypath, reply, role_context=False)
            replies.append(self.compile_answered((*ypath, "when"), reply.when, action))
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
        return tuple(replies)

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
        if "shuffle" in spec.model_fields_set and spec.type not in ("multi", "order"):
            # Only items are shuffled: the author may believe something else is.
            self.warn(
                (*path, "shuffle"),
                f"'shuffle' applies to multi and order inputs; a {spec.type} input has no "
                "items to shuffle",
                "input",
            )

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


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _in_range(var: Variable, value: int) -> bool:
    return (var.min is None or value >= var.min) and (var.max is None or value <= var.max)


def _item_ids(action: Action) -> list[str]:
    """The ids of the input's items, which `picked(...)` in a condition may name."""
    return [i.id for i in action.input.items] if action.input else []
