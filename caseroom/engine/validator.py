"""Semantic checks beyond the loader: reachability, dead ends, unused variables, expert path.

The loader already rejects what is malformed. Here we look at what the scenario *does*:
content nobody can reach, states where the team is stuck, variables that nothing reads
or writes, conditions that never hold, and whether the expert path plays through.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import limits
from .diagnostics import Diagnostic, ScenarioError, Severity
from .explorer import ExploreReport, explore_scenario
from .model import Effects
from .scenario import Scenario, load_scenario
from .scenario.writes import conflicting_writes
from .session import IllegalAction, Session
from .textstate import check_texts, text_reads
from .trackcheck import track_problems
from .translations import check_translations

__all__ = [
    "ExpertOutcome",
    "check_scenario",
    "expert_outcome",
    "iter_effects",
    "play_expert_path",
    "validate_scenario",
]

Path_ = tuple[str | int, ...]


def iter_effects(scenario: Scenario) -> Iterator[tuple[Path_, Effects]]:
    """Every `effects` block of the scenario with the path where it was written."""
    return iter(scenario.effects_blocks())


def _all_conditions(scenario: Scenario) -> Iterator[Any]:
    yield from scenario.conditions.values()
    for group in (*scenario.outcome_conditions.values(), *scenario.reply_conditions.values()):
        yield from (c for c in group if c is not None)
    for steps in scenario.decision_conditions.values():
        for group in steps:
            yield from (c for c in group if c is not None)
    yield from (c for c in scenario.ending_conditions.values() if c is not None)


def _static(scenario: Scenario) -> list[Diagnostic]:
    problems: list[Diagnostic] = []

    def warn(ident: str, message: str, code: str, *sub: str | int) -> None:
        location = (
            scenario.locate(ident, *sub) if ident in scenario.paths else scenario.source.locate(sub)
        )
        problems.append(Diagnostic(location, message, Severity.warning, code))

    reads: set[str] = set()
    for condition in _all_conditions(scenario):
        reads |= condition.reads
    reads |= text_reads(scenario)  # a variable shown in a text is read too
    writes: set[str] = set()
    for _path, effects in iter_effects(scenario):
        writes |= set(effects.set) | set(effects.add) | set(effects.include) | set(effects.exclude)
    for name in scenario.variables:
        if name not in reads:
            problems.append(
                Diagnostic(
                    scenario.source.locate(("variables", name)),
                    f"variable '{name}' is never read by any condition",
                    Severity.warning,
                    "unused-variable",
                )
            )
        if name not in writes:
            problems.append(
                Diagnostic(
                    scenario.source.locate(("variables", name)),
                    f"variable '{name}' is never changed by any effect",
                    Severity.warning,
                    "constant-variable",
                )
            )
    # Scenes nothing leads to (statically): no goto from an action, reaction, reply or inject.
    targets = {scenario.doc.start}
    for action in scenario.actions.values():
        reactions: list[Any] = [action, *action.outcomes]
        if action.approval:
            reactions += action.approval.reactions()
        if action.request:
            reactions += list(action.request.replies)
        targets |= {r.goto for r in reactions if r.goto}
    targets |= {i.goto for i in scenario.injects.values() if i.goto}
    for _path, effects in iter_effects(scenario):
        targets |= {split.to for split in effects.split}  # a track starts there
    for scene in scenario.scenes:
        if scene not in targets:
            warn(scene, f"scene '{scene}' is unreachable: no goto leads to it", "unreachable")
    unlockable = {d for d, doc in scenario.documents.items() if doc.initial}
    for _path, effects in iter_effects(scenario):
        unlockable |= set(effects.unlock)
    for document in scenario.documents:
        if document not in unlockable:
            warn(
                document, f"document '{document}' is never unlocked and not initial", "unreachable"
            )
    return problems


def play_expert_path(scenario: Scenario) -> tuple[Session, list[Diagnostic]]:
    """Replay the expert path with one player holding every role."""
    session = Session(scenario)
    problems: list[Diagnostic] = []
    for index, step in enumerate(scenario.doc.expert_path):
        where = scenario.source.locate(("expert_path", index))
        try:
            if step.wait:
                session.wait()
            elif step.approve or step.refuse:
                ident = step.approve or step.refuse
                assert ident is not None
                approval = scenario.actions[ident].approval
                assert approval is not None
                if step.approve:
                    session.approve(ident, step.role or approval.role)
                else:
                    session.refuse(ident, step.role or approval.role, step.rationale or "expert")
            elif step.do:
                session.act(_role_for(session, step.do, step.role), step.do, step.answer)
        except IllegalAction as error:
            problems.append(
                Diagnostic(
                    where,
                    f"expert path breaks at step {index + 1}: {error.message}",
                    code="expert-path",
                )
            )
            return session, problems
    if scenario.doc.expert_path and not session.ended:
        problems.append(
            Diagnostic(
                scenario.source.locate(("expert_path",)),
                "the expert path does not reach an ending",
                Severity.warning,
                "expert-path",
            )
        )
    return session, problems


def _role_for(session: Session, action_id: str, role: str | None) -> str:
    if role is not None:
        return role
    for candidate in session.scenario.actions[action_id].roles or session.scenario.roles:
        if session.check(candidate, action_id).enabled:
            return candidate
    return next(iter(session.scenario.actions[action_id].roles or session.scenario.roles))


def _dynamic(scenario: Scenario, report: ExploreReport) -> list[Diagnostic]:
    """Findings of the exploration: only what it proved, never what it happened to miss."""
    problems: list[Diagnostic] = []
    for dead in report.dead_ends:  # each a real path to a state without a move
        steps = " → ".join(str(m.get("ref") or m["type"]) for m in dead["path"][-6:])
        where = scenario.locate(dead["scene"]) if dead["scene"] else scenario.source.locate(())
        problems.append(
            Diagnostic(
                where,
                f"dead end in scene '{dead['scene']}': no role can act and no "
                f"ending applies (after … {steps})",
                code="dead-end",
            )
        )
    labels = {
        "scenes": "scene",
        "actions": "action",
        "documents": "document",
        "injects": "inject",
        "endings": "ending",
    }
    # Proven either way: by a complete exploration, or outside the upper bound.
    for kind, ids in report.proven_unreachable().items():
        for ident in ids:
            problems.append(
                Diagnostic(
                    scenario.locate(ident),
                    f"{labels[kind]} '{ident}' can never be reached",
                    Severity.warning,
                    "unreachable",
                )
            )
    for action in report.proven_never_enabled():
        problems.append(
            Diagnostic(
                scenario.locate(action, "when"),
                f"the condition of '{action}' can never hold where it is offered",
                Severity.warning,
                "never-true",
            )
        )
    if not report.exhaustive:
        problems.append(_not_covered(scenario, report))
    return problems


def _not_covered(scenario: Scenario, report: ExploreReport) -> Diagnostic:
    """The one finding of an exploration that a budget stopped: which, and what it left."""
    left = report.not_covered
    parts = []
    labels = {"enabled": "whether these conditions can hold"}
    for kind, ids in left.get("undecided", {}).items():
        parts.append(
            f"{labels.get(kind, 'whether these ' + kind + ' can be reached')}: " + ", ".join(ids)
        )
    if left.get("answers_of"):
        parts.append("every kind of answer to " + ", ".join(left["answers_of"]))
    if left.get("dead_ends_in"):
        parts.append("dead ends in scenes " + ", ".join(left["dead_ends_in"]))
    why = report.stopped or "a budget"
    return Diagnostic(
        scenario.source.locate(()),
        f"exploration not complete: stopped at its {why}; not covered: {'; '.join(parts)} "
        "(caseroom explore --max-states/--max-moves to search further)",
        Severity.warning,
        "not-exhaustive",
    )


@dataclass(frozen=True)
class ExpertOutcome:
    """Where the expert path leads: its ending (None if it reaches none) and its score."""

    ending: str | None
    ending_title: str | None
    total: int
    rubric: dict[str, int]
    objectives: dict[str, int | None]


def expert_outcome(scenario: Scenario) -> ExpertOutcome | None:
    """The ending and score of the expert path, or None when the scenario has none."""
    if not scenario.doc.expert_path:
        return None
    session, _problems = play_expert_path(scenario)
    score = session.score()
    ending = session.state.ending
    return ExpertOutcome(
        ending,
        scenario.endings[ending].title if ending is not None else None,
        score["total"],
        score["rubric"],
        score["objectives"],
    )


def validate_scenario(
    path: str | Path,
    *,
    max_states: int = limits.EXPLORE_MAX_STATES,
    playthroughs: int = 0,
    max_moves: int = limits.EXPLORE_SEARCH_MOVES,
) -> list[Diagnostic]:
    """Every diagnostic for a scenario folder: errors first make it unusable, warnings do not.

    `playthroughs` is accepted for older callers and ignored: no finding comes from chance.
    """
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        return error.diagnostics
    return check_scenario(scenario, max_states=max_states, max_moves=max_moves)


def check_scenario(
    scenario: Scenario,
    *,
    max_states: int = limits.EXPLORE_MAX_STATES,
    playthroughs: int = 0,
    max_moves: int = limits.EXPLORE_SEARCH_MOVES,
) -> list[Diagnostic]:
    """The semantic checks of a scenario that has already loaded (its warnings included)."""
    problems = list(scenario.warnings)
    problems += _static(scenario)
    problems += conflicting_writes(scenario)
    problems += track_problems(scenario)
    problems += check_texts(scenario)
    problems += check_translations(scenario)
    problems += play_expert_path(scenario)[1]
    report = explore_scenario(scenario, max_states=max_states, max_moves=max_moves)
    problems += _dynamic(scenario, report)
    # One finding per place and message, errors before warnings, in file order.
    unique = {(d.location, d.message): d for d in problems}
    return sorted(
        unique.values(), key=lambda d: (d.severity is not Severity.error, d.location, d.message)
    )
