"""The after-action report of an exercise: its data, built here, and `render(report, fmt)`.

Built like an after-action report and improvement plan so that it can be attached to a
donor report: overview, participation, results by team, analysis (misconceptions ranked,
good practices), the facilitators' notes, an improvement plan drafted from the
misconceptions (useful before anyone writes a word), and an annex with the decisions and
the teams' flow. Everything is drawn on the server: the HTML is one self-contained file.
The renderers live beside it: `aar_html` (HTML, and PDF through `lib.pdf`) and `aar_docx`;
this module re-exports them, so `from caseroom.debrief.aar import render_pdf` keeps working.

>>> report = build_report(exercise)  # doctest: +SKIP
>>> render(report, "pdf")[:4]  # doctest: +SKIP
b'%PDF'
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseroom.engine import Scenario
from caseroom.exercises.models import Exercise, Participant, Team
from caseroom.exercises.sessions import teams_of
from caseroom.lib.markdown import plain_text, render_markdown
from caseroom.lib.pdf import ReportUnavailable
from caseroom.scenarios.texts import scenario_text

from .aar_docx import render_docx
from .aar_html import render_html, render_pdf
from .models import Annotation, debrief_of
from .reports import (
    MisconceptionRow,
    OptionBar,
    PointView,
    TeamRow,
    exercise_report,
    team_report,
)

if TYPE_CHECKING:
    from .charts import Chart

__all__ = [
    "AfterActionReport",
    "ReportUnavailable",
    "build_report",
    "render",
    "render_docx",
    "render_html",
    "render_pdf",
]

TOP_EXEMPLARY = 10  # exemplary actions listed; the rest are counted
TOP_POINTS = 8  # decision points in the annex: where the teams left the expert path most
OBJECTIVE_LABEL = 90  # characters of a learning objective in the improvement plan


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass
class Facts:
    title: str
    scenario_title: str
    scenario_version: str
    scenario_summary_html: str
    date: dt.date | None
    location: str
    facilitators: list[str]
    status: str
    ended: bool  # teams without an ending were stopped by the facilitator, not still playing
    teams: int
    participants: int
    by_country: list[Count]
    by_agency: list[Count]
    objectives: list[str]
    generated_at: dt.datetime


@dataclass
class TeamResult(TeamRow):
    """The comparison row of the debrief page, with the members and the outcome's label;
    `outcome` is "" for a team that did not end, and `grades` keep only grades given."""

    members: list[str] = field(default_factory=list)
    outcome_label: str = ""

    @property
    def name(self) -> str:
        return self.team.name


@dataclass
class EndingSummary:
    title: str
    outcome: str
    outcome_label: str
    teams: list[str]


@dataclass
class RankedMisconception:
    rank: int
    title: str
    explanation_html: str
    teams: int
    participants: int
    actions: list[str]
    objectives: list[str]


@dataclass
class StepNote:
    """A facilitator's annotation of one step: a good practice, a comment or a misconception."""

    team: str
    step: int
    action: str
    body: str
    author: str
    misconception: str = ""


@dataclass
class ExemplaryAction:
    action: str
    teams: list[str]


@dataclass
class PlanRow:
    observation: str
    frequency: str
    action_html: str
    objectives: list[str]


@dataclass
class AfterActionReport:
    """Everything the report shows, every text resolved; HTML fragments are sanitised."""

    exercise_id: int
    played: bool
    facts: Facts
    teams: list[TeamResult]
    endings: list[EndingSummary]
    dimensions: list[str]
    misconceptions: list[RankedMisconception]
    marked_misconceptions: list[StepNote]
    good_practices: list[StepNote]
    exemplary: list[ExemplaryAction]
    exemplary_steps: int
    exemplary_more: int
    notes_html: str
    comments: list[StepNote]
    recommendations_html: str
    plan: list[PlanRow]
    points: list[PointView]
    points_total: int
    flow_svg: str  # escaped by flowsvg.render_flow_svg
    charts: list[Chart] = field(default_factory=list)
    charts_missing: str = ""


# ---------------------------------------------------------------- building


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _counts(values: Iterable[str]) -> list[Count]:
    counter = Counter(v.strip() or _("not given") for v in values)
    return [Count(label, n) for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _outcome_label(outcome: str) -> str:
    return {
        "success": _("success"),
        "partial": _("partial success"),
        "failure": _("failure"),
    }.get(outcome, _("not ended"))


def _step_texts(teams: Sequence[Team]) -> dict[int, dict[int, tuple[str, str | None]]]:
    """Per team: step index → (what the step was, the scenario's grade)."""
    result: dict[int, dict[int, tuple[str, str | None]]] = {}
    for team in teams:
        if not team.event_count:
            result[team.pk] = {}
            continue
        rows = team_report(team).steps
        result[team.pk] = {row.step.index: (_inline(row.what), row.step.grade) for row in rows}
    return result


def _note(
    annotation: Annotation,
    steps: dict[int, dict[int, tuple[str, str | None]]],
    misconception: str = "",
) -> StepNote:
    found = steps.get(annotation.team_id, {}).get(annotation.step)
    action = found[0] if found else _("step %(n)s") % {"n": annotation.step + 1}
    return StepNote(
        team=annotation.team.name,
        step=annotation.step,
        action=action,
        body=annotation.body,
        author=_person(annotation.author),
        misconception=misconception,
    )


def _top_points(points: list[PointView]) -> list[PointView]:
    """The decision points where most teams chose off the expert's path, in scenario order."""
    if len(points) <= TOP_POINTS:
        return [p for p in points if p.teams]

    def off_expert(point: PointView) -> int:
        return sum(o.count for o in point.options if not o.expert)

    ranked = sorted(
        (i for i, p in enumerate(points) if p.teams), key=lambda i: (-off_expert(points[i]), i)
    )
    return [points[i] for i in sorted(ranked[:TOP_POINTS])]


def _plain_point(point: PointView) -> PointView:
    """The point with its option texts as plain text (they are Markdown in the scenario)."""
    options = [
        OptionBar(text=_inline(o.text), count=o.count, percent=o.percent, expert=o.expert)
        for o in point.options
    ]
    return PointView(title=_inline(point.title), teams=point.teams, options=options)


def build_report(exercise: Exercise) -> AfterActionReport:
    """Collect the after-action report of an exercise (works before any team has played)."""
    teams = teams_of(exercise)
    participants = list(exercise.participants.select_related("team").order_by("name", "pk"))
    played = any(team.event_count for team in teams)
    base = exercise_report(exercise, teams)
    debrief = debrief_of(exercise)
    facts = _facts(exercise, base.scenario, teams, participants)
    results = _results(base.rows, participants)
    misconceptions = _misconceptions(base.scenario, base.misconceptions, facts.objectives)
    steps = _step_texts(teams)
    good, comments, marked = _notes(exercise, base.scenario, steps)
    exemplary, exemplary_steps = _exemplary(teams, steps)
    report = AfterActionReport(
        exercise_id=exercise.pk,
        played=played,
        facts=facts,
        teams=results,
        endings=_endings(results, ended=facts.ended),
        dimensions=[
            scenario_text(base.scenario, f"rubric.{d.id}.title") or d.title
            for d in base.scenario.doc.rubric
        ],
        misconceptions=misconceptions,
        marked_misconceptions=marked,
        good_practices=good,
        exemplary=exemplary[:TOP_EXEMPLARY],
        exemplary_steps=exemplary_steps,
        exemplary_more=max(len(exemplary) - TOP_EXEMPLARY, 0),
        notes_html=render_markdown(debrief.notes) if debrief.notes.strip() else "",
        comments=comments,
        recommendations_html=(
            render_markdown(debrief.recommendations) if debrief.recommendations.strip() else ""
        ),
        plan=_plan(misconceptions, len(teams)),
        points=[_plain_point(p) for p in _top_points(base.points)],
        points_total=sum(1 for p in base.points if p.teams),
        flow_svg=base.flow_svg if played else "",
    )
    if played:
        _add_charts(report)
    return report


def _facts(
    exercise: Exercise,
    scenario: Scenario,
    teams: Sequence[Team],
    participants: Sequence[Participant],
) -> Facts:
    version = exercise.scenario
    return Facts(
        title=exercise.title,
        scenario_title=scenario_text(scenario, "scenario.title") or version.title,
        scenario_version=version.version,
        scenario_summary_html=render_markdown(scenario_text(scenario, "scenario.summary") or ""),
        date=exercise.date,
        location=exercise.location,
        facilitators=[_person(u) for u in exercise.facilitators.order_by("username")],
        status=exercise.get_status_display(),
        ended=exercise.status == Exercise.Status.ENDED,
        teams=len(teams),
        participants=len(participants),
        by_country=_counts(p.country for p in participants),
        by_agency=_counts(p.agency for p in participants),
        objectives=[
            _inline(scenario_text(scenario, f"objective.{o.id}.text") or o.text)
            for o in scenario.doc.objectives
        ],
        generated_at=timezone.localtime(),
    )


def _results(rows: Sequence[TeamRow], participants: Sequence[Participant]) -> list[TeamResult]:
    members: dict[int, list[str]] = {}
    for person in participants:
        if person.team_id is not None:
            members.setdefault(person.team_id, []).append(person.name)
    return [
        TeamResult(
            **{f.name: getattr(row, f.name) for f in fields(TeamRow)}
            | {
                "outcome": row.outcome if row.ending else "",
                "grades": [(label, n) for label, n in row.grades if n],
            },
            members=members.get(row.team.pk, []),
            outcome_label=_outcome_label(row.outcome if row.ending else ""),
        )
        for row in rows
    ]


def _endings(results: Sequence[TeamResult], *, ended: bool) -> list[EndingSummary]:
    """The endings reached, best outcome first, then the most teams; teams without one are
    "not ended", or "stopped by the facilitator" once the exercise has ended."""
    unended = _("stopped by the facilitator") if ended else _("not ended")
    endings: dict[tuple[str, str], list[str]] = {}
    for result in results:
        endings.setdefault((result.ending, result.outcome), []).append(result.name)
    order = {"success": 0, "partial": 1, "failure": 2, "": 3}
    return [
        EndingSummary(
            title=title or unended,
            outcome=outcome,
            outcome_label=_outcome_label(outcome) if title else "",  # the title says it
            teams=names,
        )
        for (title, outcome), names in sorted(
            endings.items(), key=lambda kv: (order.get(kv[0][1], 3), -len(kv[1]), kv[0][0])
        )
    ]


def _misconceptions(
    scenario: Scenario, rows: Sequence[MisconceptionRow], objectives: Sequence[str]
) -> list[RankedMisconception]:
    """The ranked misconceptions with the learning objectives their actions serve."""
    # Short labels in the plan ("2. Protect and refer victims …"): the overview has them in full.
    objective_text = {
        o.id: f"{number}. " + textwrap.shorten(text, OBJECTIVE_LABEL, placeholder=" …")
        for number, (o, text) in enumerate(zip(scenario.doc.objectives, objectives, strict=True), 1)
    }
    objective_order = {o.id: n for n, o in enumerate(scenario.doc.objectives)}
    misconceptions: list[RankedMisconception] = []
    for number, row in enumerate(rows, 1):
        objective_ids: list[str] = []
        for ref in row.action_ids:
            action = scenario.actions.get(ref)
            for ident in action.objectives if action is not None else ():
                if ident not in objective_ids:
                    objective_ids.append(ident)
        misconceptions.append(
            RankedMisconception(
                rank=number,
                title=row.title,
                explanation_html=render_markdown(row.explanation),
                teams=row.teams,
                participants=row.participants,
                actions=[_inline(a) for a in row.actions],
                objectives=[
                    objective_text.get(i, i)
                    for i in sorted(objective_ids, key=lambda i: objective_order.get(i, 99))
                ],
            )
        )
    return misconceptions


def _notes(
    exercise: Exercise, scenario: Scenario, steps: dict[int, dict[int, tuple[str, str | None]]]
) -> tuple[list[StepNote], list[StepNote], list[StepNote]]:
    """The facilitators' annotations: good practices, comments, marked misconceptions."""
    annotations = list(
        Annotation.objects.filter(team__exercise=exercise)
        .select_related("team", "author")
        .order_by("team__name", "step", "created_at", "pk")
    )
    good = [_note(a, steps) for a in annotations if a.kind == Annotation.Kind.GOOD_PRACTICE]
    comments = [_note(a, steps) for a in annotations if a.kind == Annotation.Kind.COMMENT]
    marked = [
        _note(
            a,
            steps,
            scenario_text(scenario, f"misconception.{a.misconception}.title") or a.misconception,
        )
        for a in annotations
        if a.kind == Annotation.Kind.MISCONCEPTION
    ]
    return good, comments, marked


def _exemplary(
    teams: Sequence[Team], steps: dict[int, dict[int, tuple[str, str | None]]]
) -> tuple[list[ExemplaryAction], int]:
    """The actions the scenario graded exemplary, most shared first, and how many steps were."""
    exemplary: dict[str, list[str]] = {}
    exemplary_steps = 0
    names = {team.pk: team.name for team in teams}
    for team_id, by_index in steps.items():
        for what, grade in by_index.values():
            if grade == "exemplary":
                exemplary_steps += 1
                holders = exemplary.setdefault(what, [])
                if names[team_id] not in holders:
                    holders.append(names[team_id])
    rows = [
        ExemplaryAction(action=what, teams=holders)
        for what, holders in sorted(exemplary.items(), key=lambda kv: -len(kv[1]))
    ]
    return rows, exemplary_steps


def _plan(misconceptions: Sequence[RankedMisconception], teams: int) -> list[PlanRow]:
    """The improvement plan drafted from the misconceptions, one row each."""
    return [
        PlanRow(
            observation=item.title,
            frequency=ngettext("%(teams)s of %(total)s team", "%(teams)s of %(total)s teams", teams)
            % {"teams": item.teams, "total": teams},
            action_html=item.explanation_html,
            objectives=item.objectives,
        )
        for item in misconceptions
    ]


def _add_charts(report: AfterActionReport) -> None:
    try:
        from . import charts
    except ImportError:  # matplotlib is in the 'reports' extra
        report.charts_missing = _("Charts need matplotlib: pip install 'caseroom[reports]'.")
        return
    report.charts.append(
        charts.endings_chart(
            [(t.name, t.ending, t.outcome) for t in report.teams],
            unended=_("stopped by the facilitator") if report.facts.ended else "",
        )
    )
    if report.dimensions:
        per_team = []
        for team in report.teams:
            points = dict(team.rubric)
            per_team.append((team.name, [points.get(d, 0) for d in report.dimensions]))
        report.charts.append(charts.scores_chart(report.dimensions, per_team))
    if report.misconceptions:
        report.charts.append(
            charts.misconceptions_chart(
                [(m.title, m.teams) for m in report.misconceptions], len(report.teams)
            )
        )


def render(report: AfterActionReport, fmt: str) -> bytes:
    """The report as a file of this format (pdf, docx or html); ReportUnavailable for a
    PDF without WeasyPrint or Pango."""
    # render_pdf and render_docx are looked up here, in this module, so a test can replace
    # them with monkeypatch.setattr(aar, "render_pdf", ...).
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    if fmt == "html":
        return render_html(report).encode("utf-8")
    raise ValueError(f"no report format {fmt!r}")


def _inline(markdown: str) -> str:
    """A short Markdown text (an action, a title) as one line of plain text."""
    return plain_text(markdown)
