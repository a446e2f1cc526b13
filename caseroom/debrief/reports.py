"""Context builders of the debrief pages: engine results with their texts resolved.

Plain functions over a team's (or the exercise's teams') sessions that return frozen
dataclasses (`TeamReport`, `ExerciseReport`), so mypy sees every field the views, the
projector and the after-action report read; `as_context` lays one out for a template. The
views stay thin and the templates only lay out strings. Scenario text is returned raw (the
templates pass the Markdown fields through the `markdown` filter); UI words go through gettext.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseroom.engine import (
    GLOBAL_POINT,
    DebriefStep,
    FlowNode,
    ReplayError,
    Scenario,
    Session,
    State,
    WhatIf,
    annotate,
    compare_teams,
    decision_distribution,
    flows,
    misconception_ranking,
    what_if,
)
from caseroom.engine.shuffle import SHUFFLED_TYPES, shown_items
from caseroom.engine.textmoments import text_moments
from caseroom.engine.textstate import render_text, uses_state
from caseroom.engine.translations import Fallback
from caseroom.exercises.models import Exercise, Team
from caseroom.exercises.player import shuffle_seed
from caseroom.exercises.sessions import digests_for, session_for, sessions_for
from caseroom.lib.markdown import plain_text
from caseroom.scenarios.registry import load
from caseroom.scenarios.texts import case_time, scenario_text

from .flowsvg import render_flow_svg
from .models import Annotation
from .notes import annotations_by_step, annotations_of_teams

__all__ = [
    "ExerciseReport",
    "TeamReport",
    "as_context",
    "exercise_report",
    "projector_slides",
    "team_report",
]


def _who(scenario: Scenario, actor: str | None, role: str | None) -> str:
    title = scenario_text(scenario, f"role.{role}.title") if role else ""
    if actor and title:
        return f"{actor} ({title})"
    return actor or title


def _action(scenario: Scenario, ref: str) -> str:
    # Action texts are Markdown; in tables, bars and lists they read as plain text. A text
    # shown in the source language keeps saying so (`|marked` puts lang="en" on it).
    text = scenario_text(scenario, f"action.{ref}.text")
    plain = plain_text(text) or ref
    return Fallback(plain, text.lang) if isinstance(text, Fallback) else plain


def _what(scenario: Scenario, step: DebriefStep) -> str:
    if step.kind == "act":
        return _action(scenario, step.ref)
    if step.kind == "approve":
        return _("Approved: %(action)s") % {"action": _action(scenario, step.ref)}
    if step.kind == "refuse":
        return _("Refused: %(action)s") % {"action": _action(scenario, step.ref)}
    if step.kind == "reply":
        return _("Reply to: %(action)s") % {"action": _action(scenario, step.ref)}
    if step.kind == "incoming":  # linked teams: the other team's request, answered here
        return _("Request from the other team: %(action)s") % {
            "action": _action(scenario, step.ref)
        }
    if step.kind == "answer":
        return _("Answered the other team: %(action)s") % {"action": _action(scenario, step.ref)}
    if step.kind == "inject":
        return _("Inject: %(title)s") % {
            "title": scenario_text(scenario, f"inject.{step.ref}.title") or step.ref
        }
    if step.kind == "grade":
        return _("Graded by the facilitator: %(action)s") % {"action": _action(scenario, step.ref)}
    return step.ref


def _decision_word(decision: str) -> str:
    return _("approve") if decision == "approve" else _("refuse")


def _words(name: str) -> str:
    """An author's identifier as words: `victim_status` → "victim status", for variables and
    values without a `label` / `value_labels` entry in variables.yaml."""
    return " ".join(name.replace("_", " ").replace("-", " ").split())


def _variable(name: str, scenario: Scenario | None = None) -> str:
    """The variable's label in the reader's language, else its name as words."""
    label = scenario_text(scenario, f"variable.{name}.label") if scenario is not None else ""
    words = label or _words(name)
    return words[:1].upper() + words[1:]


def _value(value: Any, scenario: Scenario | None = None, variable: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")

    def one(item: str) -> str:
        key = f"variable.{variable}.value_labels.{item}"
        label = scenario_text(scenario, key) if scenario is not None and variable else ""
        return label or _words(item)

    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(one(str(v)) for v in value) or "—"
    return one(value) if isinstance(value, str) else str(value)


@dataclass
class StepRow:
    """One line of the team replay, every text resolved."""

    step: DebriefStep
    time: dt.datetime
    wall: dt.datetime | None  # when it was done in the room (None if not recorded)
    who: str
    grade: str  # the step's grade in the reader's language ("" if not graded)
    what: str
    points: list[tuple[str, int]]
    expert_mark: str  # "yes", "no" or "none"
    expert_choices: list[str]
    expert_rationales: list[str]
    misconception: str
    feedback: str
    debrief: str
    documents: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    scenes: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    injects: list[str] = field(default_factory=list)
    ending: str = ""
    marks: list[MarkView] = field(default_factory=list)
    answer_items: list[tuple[str, str]] = field(default_factory=list)  # (item, mark)


def _wall(stamp: str | None) -> dt.datetime | None:
    if not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None


def _answer_items(scenario: Scenario, step: DebriefStep, seed: str | None) -> list[tuple[str, str]]:
    """A choice or ordering answer as (item, mark) in the order the team saw the items
    (`engine.shuffle`): ✓ for a chosen item, the team's position for an ordered one."""
    action = scenario.actions.get(step.ref)
    if step.kind != "act" or not isinstance(step.answer, list) or action is None:
        return []
    if action.input is None or action.input.type not in SHUFFLED_TYPES:
        return []
    answer = [str(a) for a in step.answer]
    rows = []
    for item in shown_items(action, seed):
        key = f"action.{step.ref}.input.items.{item.id}.text"
        words = plain_text(scenario_text(scenario, key)) or item.id
        if action.input.type == "order":
            mark = str(answer.index(item.id) + 1) if item.id in answer else "—"
        else:
            mark = "✓" if item.id in answer else ""
        rows.append((words, mark))
    return rows


def _step_row(
    scenario: Scenario, step: DebriefStep, state: State | None = None, seed: str | None = None
) -> StepRow:
    """The step's texts read `state`, the team's state right after the step (textmoments);
    its answer's items are in the order the team with this seed saw them."""
    mark = {True: "yes", False: "no", None: "none"}[step.on_expert_path]
    lang = get_language()
    choices: list[str] = []
    rationales: list[str] = []
    if step.on_expert_path is False:
        if step.kind == "act":
            choices = [_action(scenario, ref) for ref in step.expert]
        else:
            choices = [_decision_word(decision) for decision in step.expert]
        rationales = [scenario_text(scenario, key) for key in step.expert_rationales]
    row = StepRow(
        step=step,
        time=case_time(scenario, step.at),
        wall=_wall(step.time),
        who=_who(scenario, step.actor, step.role),
        grade=_grade_label(step.grade) if step.grade else "",
        what=_what(scenario, step),
        # By the rubric's titles, as the scores are: the dimensions' ids are the author's.
        points=[
            (scenario_text(scenario, f"rubric.{dim}.title") or _variable(dim), value)
            for dim, value in sorted(step.points.items())
        ],
        expert_mark=mark,
        expert_choices=choices,
        expert_rationales=[r for r in rationales if r],
        misconception=scenario_text(scenario, f"misconception.{step.misconception}.title")
        if step.misconception
        else "",
        feedback=render_text(scenario, scenario_text(scenario, step.feedback), state, lang),
        debrief=render_text(scenario, scenario_text(scenario, step.debrief), state, lang),
        answer_items=_answer_items(scenario, step, seed),
    )
    found = step.consequences
    if found is not None:
        row.documents = [
            scenario_text(scenario, f"document.{d}.title") or d for d in found.documents
        ]
        row.variables = [
            _variable(change.name, scenario)
            + (f" ({_who(scenario, None, change.role)})" if change.role else "")
            + f": {_value(change.before, scenario, change.name)}"
            + f" → {_value(change.after, scenario, change.name)}"
            for change in found.variables
        ]
        if found.scene_changed:
            row.scenes = [scenario_text(scenario, f"scene.{s}.title") or s for s in found.scenes]
        row.closed = [_action(scenario, ref) for ref in found.closed]
        row.injects = [scenario_text(scenario, f"inject.{i}.title") or i for i in found.injects]
        if found.ending:
            row.ending = scenario_text(scenario, f"ending.{found.ending}.title") or found.ending
    return row


@dataclass
class EndingView:
    id: str
    title: str
    outcome: str
    narrative: str


def _ending(
    scenario: Scenario, ending: str | None, state: State | None = None
) -> EndingView | None:
    """The ending; its narrative reads `state` (the team's at the end)."""
    if ending is None:
        return None
    outcome = scenario.endings[ending].outcome if ending in scenario.endings else None
    return EndingView(
        id=ending,
        title=scenario_text(scenario, f"ending.{ending}.title") or ending,
        outcome=outcome or "",
        narrative=render_text(
            scenario, scenario_text(scenario, f"ending.{ending}.narrative"), state, get_language()
        ),
    )


@dataclass
class WhatIfView:
    index: int
    ending: EndingView | None
    total: int
    rubric: list[tuple[str, int]]
    moves: int


def _what_if(scenario: Scenario, session: Session, index: int | None) -> WhatIfView | None:
    if index is None or not 0 <= index <= len(session.events):
        return None
    try:
        result: WhatIf = what_if(scenario, session.events, index)
        # The narrative of the ending the expert would reach reads the state it reaches.
        reached = Session(scenario, result.events).state if uses_state(scenario) else None
    except ReplayError:
        return None
    return WhatIfView(
        index=index,
        ending=_ending(scenario, result.ending, reached),
        total=int(result.score["total"]),
        rubric=_rubric(scenario, result.score["rubric"]),
        moves=len(result.moves),
    )


def _rubric(scenario: Scenario, rubric: Any) -> list[tuple[str, int]]:
    return [
        (scenario_text(scenario, f"rubric.{dim}.title") or str(dim), int(points))
        for dim, points in dict(rubric).items()
    ]


def misconception_choices(scenario: Scenario) -> list[tuple[str, str]]:
    """The scenario's misconceptions as (id, title), for the facilitator's marks."""
    return [
        (m.id, scenario_text(scenario, f"misconception.{m.id}.title") or m.id)
        for m in scenario.doc.misconceptions
    ]


@dataclass
class MarkView:
    """A facilitator's annotation with the scenario misconception's title resolved."""

    annotation: Annotation
    label: str


def mark_view(scenario: Scenario, annotation: Annotation) -> MarkView:
    label = ""
    if annotation.misconception:
        label = (
            scenario_text(scenario, f"misconception.{annotation.misconception}.title")
            or annotation.misconception
        )
    return MarkView(annotation=annotation, label=label)


@dataclass(frozen=True)
class TeamReport:
    """The replay of one team, as the team page, its projector and the report read it."""

    team: Team
    scenario: Scenario
    ending: EndingView | None
    rubric: list[tuple[str, int]]  # (dimension's title, points)
    total: int
    objectives: list[tuple[str, int | None]]  # (objective's text, attainment 0–100 or None)
    steps: list[StepRow]
    whatif: WhatIfView | None
    misconception_choices: list[tuple[str, str]]


def team_report(team: Team, whatif: int | None = None) -> TeamReport:
    """The replay of one team: ending, scores, annotated timeline, optional what-if."""
    session = session_for(team)
    scenario = session.scenario
    score = session.score()
    marks = annotations_by_step(team)
    # Each step's feedback as the team read it: the state of that moment, replayed.
    moments = text_moments(session).steps
    steps = [
        _step_row(scenario, step, moments.get(step.index), shuffle_seed(team))
        for step in annotate(scenario, session.events)
    ]
    for row in steps:
        row.marks = [mark_view(scenario, a) for a in marks.get(row.step.index, [])]
    return TeamReport(
        team=team,
        scenario=scenario,
        ending=_ending(scenario, session.state.ending, session.state),
        rubric=_rubric(scenario, score["rubric"]),
        total=int(score["total"]),
        objectives=[
            (scenario_text(scenario, f"objective.{o}.text") or o, value)
            for o, value in score["objectives"].items()
        ],
        steps=steps,
        whatif=_what_if(scenario, session, whatif),
        misconception_choices=misconception_choices(scenario),
    )


@dataclass
class TeamRow:
    team: Team
    ending: str
    outcome: str
    total: int
    rubric: list[tuple[str, int]]
    steps: int
    on_expert: int
    off_expert: int
    expert_share: int | None  # percent
    grades: list[tuple[str, int]]
    # The scene a team without an ending was in: where the facilitator's end stopped it.
    stopped_at: str = ""


@dataclass
class MisconceptionRow:
    title: str
    explanation: str
    teams: int
    participants: int
    actions: list[str]
    action_ids: list[str]  # the same actions by id (the report reads their objectives)


@dataclass
class OptionBar:
    text: str
    count: int
    percent: int
    expert: bool


@dataclass
class PointView:
    title: str
    teams: int
    options: list[OptionBar]


def _grade_label(grade: str) -> str:
    labels = {
        "exemplary": _("exemplary"),
        "acceptable": _("acceptable"),
        "poor": _("poor"),
        "harmful": _("harmful"),
    }
    return labels.get(grade, grade)


@dataclass
class TeamMark:
    """A facilitator's annotation seen from the whole exercise: which team, which step."""

    team: Team
    step: int
    what: str
    mark: MarkView


def _team_marks(scenario: Scenario, teams: Sequence[Team]) -> list[TeamMark]:
    found = annotations_of_teams(teams)
    if not found:
        return []
    by_team: dict[int, list[Annotation]] = {}
    for annotation in found:
        by_team.setdefault(annotation.team_id, []).append(annotation)
    marks: list[TeamMark] = []
    sessions = sessions_for([team for team in teams if team.pk in by_team])
    for team in teams:
        if team.pk not in by_team:
            continue
        events = sessions[team.pk].events
        steps = {step.index: step for step in annotate(scenario, events)}
        for annotation in by_team[team.pk]:
            step = steps.get(annotation.step)
            what = _what(scenario, step) if step is not None else f"#{annotation.step}"
            marks.append(TeamMark(team, annotation.step, what, mark_view(scenario, annotation)))
    return marks


@dataclass(frozen=True)
class ExerciseReport:
    """The comparison of an exercise's teams, as the debrief page, the projector and the
    after-action report read it."""

    scenario: Scenario
    rows: list[TeamRow]
    good_practices: list[TeamMark]
    marked_misconceptions: list[TeamMark]
    comments: list[TeamMark]
    misconceptions: list[MisconceptionRow]  # most frequent first
    points: list[PointView]
    # Every text inside is escaped by render_flow_svg: the template may mark it safe.
    flow_svg: str


def _stopped_at(scenario: Scenario, path: Sequence[str]) -> str:
    scene = path[-1] if path else ""
    return scenario_text(scenario, f"scene.{scene}.title") or scene if scene else ""


def exercise_report(exercise: Exercise, teams: Sequence[Team]) -> ExerciseReport:
    """Comparison of the exercise's teams: summary rows, misconceptions, decisions."""
    scenario = load(exercise.scenario)
    # Digests, not replays: a page over many teams must not replay every log (see
    # benchmarks/debrief.py); they are kept current by the writer and rebuilt if stale.
    labelled = list(zip((team.name for team in teams), digests_for(teams), strict=True))
    summaries = compare_teams(scenario, labelled)
    rows = [
        TeamRow(
            team=team,
            ending=scenario_text(scenario, f"ending.{s.ending}.title") if s.ending else "",
            outcome=s.outcome or "",
            total=s.total,
            rubric=_rubric(scenario, s.rubric),
            steps=s.steps,
            on_expert=s.on_expert,
            off_expert=s.off_expert,
            expert_share=round(100 * s.expert_share) if s.expert_share is not None else None,
            grades=[(_grade_label(g), n) for g, n in s.grades.items()],
            stopped_at=_stopped_at(scenario, digest.path) if not s.ending else "",
        )
        for team, s, (_name, digest) in zip(teams, summaries, labelled, strict=True)
    ]
    misconceptions = [
        MisconceptionRow(
            title=scenario_text(scenario, rank.title) or rank.id,
            explanation=scenario_text(scenario, rank.explanation),
            teams=rank.teams,
            participants=rank.participants,
            actions=[_action(scenario, ref) for ref in rank.actions],
            action_ids=list(rank.actions),
        )
        for rank in misconception_ranking(scenario, labelled)
    ]
    points = []
    for point in decision_distribution(scenario, labelled).values():
        title = (
            _("Actions available anywhere")
            if point.id == GLOBAL_POINT
            else scenario_text(scenario, point.title) or point.id
        )
        options = [
            OptionBar(
                text=_action(scenario, action),
                count=count,
                percent=round(100 * count / point.teams) if point.teams else 0,
                expert=action in point.expert,
            )
            for action, count in point.counts.items()
        ]
        points.append(PointView(title=title, teams=point.teams, options=options))

    def node_title(node: FlowNode) -> str:
        return scenario_text(scenario, f"{node.kind}.{node.id}.title") or node.id

    marks = _team_marks(scenario, teams)
    return ExerciseReport(
        scenario=scenario,
        rows=rows,
        good_practices=[
            m for m in marks if m.mark.annotation.kind == Annotation.Kind.GOOD_PRACTICE
        ],
        marked_misconceptions=[
            m for m in marks if m.mark.annotation.kind == Annotation.Kind.MISCONCEPTION
        ],
        comments=[m for m in marks if m.mark.annotation.kind == Annotation.Kind.COMMENT],
        misconceptions=misconceptions,
        points=points,
        flow_svg=render_flow_svg(flows(scenario, labelled), node_title) if teams else "",
    )


def as_context(report: TeamReport | ExerciseReport) -> dict[str, object]:
    """The report's fields as a template context, one name each (a shallow copy: the rows
    stay the same objects, unlike dataclasses.asdict)."""
    return {f.name: getattr(report, f.name) for f in fields(report)}


@dataclass
class Slide:
    """One screen of the projector mode; `kind` picks its layout in the template."""

    kind: str  # "title", "endings", "misconception", "decision", "practice", "flow"
    title: str
    item: Any = None


def projector_slides(exercise: Exercise, report: ExerciseReport) -> list[Slide]:
    """The cross-team debrief as a sequence the facilitator walks through with the group.

    Misconceptions come one per screen, most frequent first, then only the decision points
    where teams split or left the expert path (agreeing points teach nothing in plenary).
    """
    slides = [Slide("title", exercise.title, report.scenario)]
    if report.rows:
        slides.append(Slide("endings", _("Where the teams ended"), report.rows))
    slides.extend(Slide("misconception", item.title, item) for item in report.misconceptions)
    for point in report.points:
        chosen = [option for option in point.options if option.count]
        if len(chosen) > 1 or any(not option.expert for option in chosen):
            slides.append(Slide("decision", point.title, point))
    # One good practice a screen, as misconceptions: a list of them ran off a projector.
    slides.extend(Slide("practice", _("Good practice"), item) for item in report.good_practices)
    if report.flow_svg:
        slides.append(Slide("flow", _("Flow of the teams through the case"), report.flow_svg))
    return slides
