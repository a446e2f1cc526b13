"""Conflicting writes (validator code `conflicting-write`): two `effects` blocks that apply
together, one after the other, and write one variable so that their order decides its value.

The order is the engine's (`session/consequences.py`), documented in docs/scenario-format.md
("The order of effects"). A *chain* is what one event sets off: an action with its
outcome, the scene its `goto` enters and the injects its effects `fire`; an approval, then
the authorities' answers, then the action; a request, then its reply. Within a chain some
blocks exclude each other (two outcomes, approval and refusal, two replies): only blocks
that can apply in one play are compared. Reported: a `set` after a `set` of another value,
and a `set` with an `add`, `include` or `exclude` of the same variable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..model import Effects
from ..yamlsource import Path_
from .scenario import END, Scenario

__all__ = ["conflicting_writes"]

CODE = "conflicting-write"
_CHANGES = ("add", "include", "exclude")  # applied after `set` within a block, in this order
# Blocks one chain may expand to (fired injects whose `goto` enters scenes that fire more):
# far beyond a written case, and it keeps a file where everything fires everything bounded.
_MAX_BLOCKS = 400


@dataclass(frozen=True)
class _Block:
    """One `effects` block as it applies: where it was written, how to name it, and whose
    role-scoped variables it changes ("actor": the acting role; "approver"; "": none)."""

    path: Path_
    effects: Effects
    name: str
    role: str

    @property
    def writes(self) -> set[str]:
        effects = self.effects
        return set(effects.set) | set(effects.add) | set(effects.include) | set(effects.exclude)


# One alternative of a segment is a run of blocks in the order they apply; exactly one
# alternative of each segment applies, segments one after the other.
_Alternative = tuple[_Block, ...]
_Segment = list[_Alternative]


class _Chains:
    """The chains of a scenario as sequences of segments, expanded as the engine runs."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.left = _MAX_BLOCKS

    def block(
        self, path: Path_, effects: Effects | None, name: str, role: str, seen: set[str]
    ) -> list[_Block]:
        """The block, then each inject it fires (which applies before whatever follows).

        `seen`: the injects already fired in this alternative, which fire no more (an
        inject fires once); it also keeps a file where every inject fires every other
        linear instead of exponential."""
        if effects is None or self.left <= 0:
            return []
        self.left -= 1
        found = [_Block(path, effects, name, role)]
        for inject_id in effects.fire:
            if inject_id not in seen and inject_id in self.sc.injects:
                seen.add(inject_id)
                found += self.inject(inject_id, seen)
        return found

    def inject(self, inject_id: str, seen: set[str]) -> list[_Block]:
        inject = self.sc.injects[inject_id]
        path = (*self.sc.paths[inject_id], "effects")
        found = self.block(path, inject.effects, f"inject '{inject_id}'", "", seen)
        return found + self.jump(inject.goto, inject.end, seen)

    def jump(self, goto: str | None, end: str | None, seen: set[str]) -> list[_Block]:
        """The `on_enter` of the scene a `goto` enters (an ending enters none)."""
        if end is not None or goto is None or goto == END or goto not in self.sc.scenes:
            return []
        on_enter = self.sc.scenes[goto].on_enter
        name = f"the on_enter of scene '{goto}'"
        return self.block((*self.sc.paths[goto], "on_enter"), on_enter, name, "", seen)

    def reaction(
        self, path: Path_, item: Any, name: str, role: str, *, follow: bool = True
    ) -> _Alternative:
        seen: set[str] = set()
        blocks = self.block((*path, "effects"), item.effects, name, role, seen)
        if follow:
            blocks += self.jump(item.goto, item.end, seen)
        return tuple(blocks)

    def action(self, action_id: str) -> Iterator[list[_Segment]]:
        """Every chain an action sets off: refused, refused further on, or carried out."""
        action = self.sc.actions[action_id]
        done = self.completion(action_id)
        if action.approval is None:
            yield done
            return
        approval = action.approval
        path = (*self.sc.paths[action_id], "approval")
        yield [
            [
                self.reaction(
                    (*path, "refuse"), approval.refuse, f"the refusal of '{action_id}'", "approver"
                )
            ]
        ]
        # The played approval's own `goto` is not followed: the action's applies.
        approve = self.reaction(
            (*path, "approve"),
            approval.approve,
            f"the approval of '{action_id}'",
            "approver",
            follow=False,
        )
        prefix: list[_Segment] = [[approve]]
        for number, step in enumerate(approval.then):
            approving: _Segment = []
            refusing: _Segment = []
            for index, answer in _first_holding(step.answers):
                where = (*path, "then", number, "answers", index)
                name = f"answer {index + 1} of '{step.authority}' to '{action_id}'"
                if answer.decision == "approve":  # its `goto` is not followed either
                    approving.append(self.reaction(where, answer, name, "", follow=False))
                else:
                    refusing.append(self.reaction(where, answer, name, ""))
            if refusing:
                yield [*prefix, refusing]
            if not approving:
                return  # the action never takes effect
            prefix.append(approving)
        yield prefix + done

    def completion(self, action_id: str) -> list[_Segment]:
        """The action takes effect: its effects, one outcome's and a scene's `on_enter`
        (the outcome's `goto`, or the action's), then, later, one reply and its scene's."""
        action = self.sc.actions[action_id]
        base = self.sc.paths[action_id]
        fired: set[str] = set()  # by the action's own effects: they fire no more after
        own = self.block(
            (*base, "effects"), action.effects, f"action '{action_id}'", "actor", fired
        )
        outcomes: _Segment = []
        unconditional = False
        for index, outcome in _first_holding(action.outcomes):
            seen = set(fired)
            blocks = self.block(
                (*base, "outcomes", index, "effects"),
                outcome.effects,
                f"outcome {index + 1} of '{action_id}'",
                "actor",
                seen,
            )
            leads = outcome if (outcome.goto or outcome.end) else action
            outcomes.append(tuple(blocks + self.jump(leads.goto, leads.end, seen)))
            unconditional = outcome.when is None
        if not unconditional:  # no outcome holds: the action's own `goto`
            outcomes.append(tuple(self.jump(action.goto, action.end, set(fired))))
        segments: list[_Segment] = [[tuple(own)], outcomes]
        if action.request is not None:
            replies = [
                self.reaction(
                    (*base, "request", "replies", index),
                    reply,
                    f"reply {index + 1} to '{action_id}'",
                    "",
                )
                for index, reply in _first_holding(action.request.replies)
            ]
            segments.append(replies)
        return segments


def _first_holding(items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
    """The items "the first whose `when` holds" may pick: up to the first without one."""
    for index, item in enumerate(items):
        yield index, item
        if item.when is None:
            return


def _chains(scenario: Scenario) -> Iterator[list[_Segment]]:
    """Every chain: each action's, each inject's (fired by time, condition or the
    facilitator) and each scene's entry (a facilitator's jump, the start)."""
    for action_id in scenario.actions:
        yield from _Chains(scenario).action(action_id)
    for inject_id in scenario.injects:
        yield [[tuple(_Chains(scenario).inject(inject_id, {inject_id}))]]
    for scene_id in scenario.scenes:
        yield [[tuple(_Chains(scenario).jump(scene_id, None, set()))]]


def _ordered_pairs(chain: list[_Segment]) -> Iterator[tuple[_Block, _Block]]:
    """Every two blocks that apply in one play of the chain, the earlier first."""
    for number, segment in enumerate(chain):
        for alternative in segment:
            for index, first in enumerate(alternative):
                for second in alternative[index + 1 :]:
                    yield first, second
                for later in chain[number + 1 :]:
                    for other in later:
                        for second in other:
                            yield first, second


def conflicting_writes(scenario: Scenario) -> list[Diagnostic]:
    """A warning at each write whose result depends on the order of effects, naming the
    earlier write it follows (file:line)."""
    found: dict[tuple[Any, ...], Diagnostic] = {}

    def where(block: _Block, verb: str, name: str) -> str:
        location = scenario.source.locate((*block.path, verb, name))
        return f"{location.file}:{location.line}"

    def warn(block: _Block, verb: str, name: str, message: str) -> None:
        location = scenario.source.locate((*block.path, verb, name))
        found.setdefault(
            (location, message),
            Diagnostic(location, f"conflicting writes: {message}", Severity.warning, CODE),
        )

    blocks: dict[Path_, _Block] = {}
    compared: set[tuple[Path_, Path_]] = set()
    for chain in _chains(scenario):
        for segment in chain:
            for alternative in segment:
                blocks.update((b.path, b) for b in alternative if b.writes)
        chain = [[tuple(b for b in a if b.writes) for a in segment] for segment in chain]
        for first, second in _ordered_pairs(chain):
            pair = (first.path, second.path)
            # One block applying twice (a scene entered again) agrees with itself; a pair
            # met in another chain (an inject many actions fire) was compared there.
            if first.path == second.path or pair in compared:
                continue
            compared.add(pair)
            for name in first.writes & second.writes:
                if _own_copies(scenario, name, first, second):
                    continue
                _compare(first, second, name, warn, where)
    for block in blocks.values():  # within one block: `set` first, then the changes
        for name, _value in block.effects.set.items():
            for verb in _CHANGES:
                if name in getattr(block.effects, verb):
                    warn(
                        block,
                        verb,
                        name,
                        f"'{name}' is both set and changed with '{verb}' in {block.name}: "
                        f"'set' applies first, then '{verb}'",
                    )
    return list(found.values())


def _own_copies(scenario: Scenario, name: str, first: _Block, second: _Block) -> bool:
    """A role-scoped variable written by the acting role and by the approving role: each
    changes its own copy."""
    return scenario.variables[name].scope == "role" and first.role != second.role


_Warn = Callable[[_Block, str, str, str], None]  # block, verb, variable, message
_Where = Callable[[_Block, str, str], str]  # block, verb, variable -> "file:line"


def _compare(first: _Block, second: _Block, name: str, warn: _Warn, where: _Where) -> None:
    earlier, later = first.effects, second.effects
    if name in later.set:
        if name in earlier.set and not _same(earlier.set[name], later.set[name]):
            warn(
                second,
                "set",
                name,
                f"'{name}' is set to {_show(later.set[name])} here, after {first.name} set "
                f"it to {_show(earlier.set[name])} ({where(first, 'set', name)}) in the same "
                "chain; the later write wins",
            )
        for verb in _CHANGES:
            if name in getattr(earlier, verb):
                warn(
                    second,
                    "set",
                    name,
                    f"'{name}' is set here, after {first.name} changed it with '{verb}' "
                    f"({where(first, verb, name)}) in the same chain; the set undoes that change",
                )
    if name in earlier.set:
        for verb in _CHANGES:
            if name in getattr(later, verb):
                warn(
                    second,
                    verb,
                    name,
                    f"'{verb}' changes '{name}' here, after {first.name} set it "
                    f"({where(first, 'set', name)}) in the same chain; the result depends on "
                    "this order",
                )


def _same(one: object, other: object) -> bool:
    if isinstance(one, list) and isinstance(other, list):
        return set(one) == set(other)  # a set variable: the members count, not their order
    return type(one) is type(other) and one == other


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)
