"""The after-action report of an exercise: its data, and renderers to HTML, PDF and DOCX.

Built like an after-action report and improvement plan so that it can be attached to a
donor report: overview, participation, results by team, analysis (misconceptions ranked,
good practices), the facilitators' notes, an improvement plan drafted from the
misconceptions (useful before anyone writes a word), and an annex with the decisions and
the teams' flow. Everything is drawn on the server: the HTML is one self-contained file.

>>> report = build_report(exercise)  # doctest: +SKIP
>>> render_pdf(report)[:4]  # doctest: +SKIP
b'%PDF'
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseroom.exercises.models import Exercise, Team
from caseroom.exercises.sessions import teams_of
from caseroom.exercises.templatetags.caseroom_tags import scenario_text
from caseroom.lib.markdown import plain_text, render_markdown

from .models import Annotation, debrief_of
from .reports import OptionBar, PointView, TeamRow, exercise_report, team_report

if TYPE_CHECKING:
    from .charts import Chart

__all__ = [
    "AfterActionReport",
    "ReportUnavailable",
    "build_report",
    "render_docx",
    "render_html",
    "render_pdf",
]

TOP_EXEMPLARY = 10  # exemplary actions listed; the rest are counted
TOP_POINTS = 8  # decision points in the annex: where the teams left the expert path most
OBJECTIVE_LABEL = 90  # characters of a learning objective in the improvement plan


class ReportUnavailable(RuntimeError):
    """A format cannot be produced on this machine: the message says what to install."""


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
        rows = team_report(team)["steps"]
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
    version = exercise.scenario
    teams = teams_of(exercise)
    participants = list(exercise.participants.select_related("team").order_by("name", "pk"))
    played = any(team.event_count for team in teams)
    base = exercise_report(exercise, teams)
    scenario = base["scenario"]
    debrief = debrief_of(exercise)

    facts = Facts(
        title=exercise.title,
        scenario_title=scenario_text(scenario, "scenario.title") or version.title,
        scenario_version=version.version,
        scenario_summary_html=render_markdown(scenario_text(scenario, "scenario.summary") or ""),
        date=exercise.date,
        location=exercise.location,
        facilitators=[_person(u) for u in exercise.facilitators.order_by("username")],
        status=exercise.get_status_display(),
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

    members: dict[int, list[str]] = {}
    for person in participants:
        if person.team_id is not None:
            members.setdefault(person.team_id, []).append(person.name)
    results = [
        TeamResult(
            **{f.name: getattr(row, f.name) for f in fields(TeamRow)}
            | {
                "outcome": row.outcome if row.ending else "",
                "grades": [(label, n) for label, n in row.grades if n],
            },
            members=members.get(row.team.pk, []),
            outcome_label=_outcome_label(row.outcome if row.ending else ""),
        )
        for row in base["rows"]
    ]
    endings: dict[tuple[str, str], list[str]] = {}
    for result in results:
        endings.setdefault((result.ending, result.outcome), []).append(result.name)
    order = {"success": 0, "partial": 1, "failure": 2, "": 3}
    ending_rows = [
        EndingSummary(
            title=title or _("not ended"),
            outcome=outcome,
            outcome_label=_outcome_label(outcome),
            teams=names,
        )
        for (title, outcome), names in sorted(
            endings.items(), key=lambda kv: (order.get(kv[0][1], 3), -len(kv[1]), kv[0][0])
        )
    ]
    dimensions = [
        scenario_text(scenario, f"rubric.{d.id}.title") or d.title for d in scenario.doc.rubric
    ]

    # Short labels in the plan ("2. Protect and refer victims …"): the overview has them in full.
    objective_text = {
        o.id: f"{number}. " + textwrap.shorten(text, OBJECTIVE_LABEL, placeholder=" …")
        for number, (o, text) in enumerate(
            zip(scenario.doc.objectives, facts.objectives, strict=True), 1
        )
    }
    objective_order = {o.id: n for n, o in enumerate(scenario.doc.objectives)}
    misconceptions: list[RankedMisconception] = []
    for number, row in enumerate(base["misconceptions"], 1):
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

    steps = _step_texts(teams)
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
    exemplary_rows = [
        ExemplaryAction(action=what, teams=holders)
        for what, holders in sorted(exemplary.items(), key=lambda kv: -len(kv[1]))
    ]

    plan = [
        PlanRow(
            observation=item.title,
            frequency=ngettext(
                "%(teams)s of %(total)s team", "%(teams)s of %(total)s teams", len(teams)
            )
            % {"teams": item.teams, "total": len(teams)},
            action_html=item.explanation_html,
            objectives=item.objectives,
        )
        for item in misconceptions
    ]

    report = AfterActionReport(
        exercise_id=exercise.pk,
        played=played,
        facts=facts,
        teams=results,
        endings=ending_rows,
        dimensions=dimensions,
        misconceptions=misconceptions,
        marked_misconceptions=marked,
        good_practices=good,
        exemplary=exemplary_rows[:TOP_EXEMPLARY],
        exemplary_steps=exemplary_steps,
        exemplary_more=max(len(exemplary_rows) - TOP_EXEMPLARY, 0),
        notes_html=render_markdown(debrief.notes) if debrief.notes.strip() else "",
        comments=comments,
        recommendations_html=(
            render_markdown(debrief.recommendations) if debrief.recommendations.strip() else ""
        ),
        plan=plan,
        points=[_plain_point(p) for p in _top_points(base["points"])],
        points_total=sum(1 for p in base["points"] if p.teams),
        flow_svg=base["flow_svg"] if played else "",
    )
    if played:
        _add_charts(report)
    return report


def _add_charts(report: AfterActionReport) -> None:
    try:
        from . import charts
    except ImportError:  # matplotlib is in the 'reports' extra
        report.charts_missing = _("Charts need matplotlib: pip install 'caseroom[reports]'.")
        return
    report.charts.append(
        charts.endings_chart([(t.name, t.ending, t.outcome) for t in report.teams])
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


# ---------------------------------------------------------------- HTML and PDF


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def render_html(report: AfterActionReport) -> str:
    """The report as one standalone HTML document (charts as data: URIs, CSS inline)."""
    return render_to_string(
        "debrief/aar.html",
        {
            "report": report,
            "facts": report.facts,
            "charts": [(chart, _data_uri(chart.svg)) for chart in report.charts],
        },
    )


PANGO_HINT = (
    "PDF needs WeasyPrint and the Pango library "
    "(pip install 'caseroom[reports]'; Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


def render_pdf(report: AfterActionReport) -> bytes:
    """The report as an A4 PDF with real text, through WeasyPrint; no network access."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # ships no type information
    except (ImportError, OSError) as error:  # OSError: Pango's shared library is missing
        raise ReportUnavailable(_(PANGO_HINT) + f" [{error}]") from error
    html = render_html(report)
    # Only data: URLs are embedded; anything else (which the template never writes)
    # must not make the server fetch a URL or read a local file.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        pdf_identifier=f"caseroom-aar-{report.exercise_id}".encode(),
        optimize_images=False,
    )
    return pdf


def render(report: AfterActionReport, fmt: str) -> bytes:
    """The report as a file of this format (pdf, docx or html); ReportUnavailable for a
    PDF without WeasyPrint or Pango."""
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    if fmt == "html":
        return render_html(report).encode("utf-8")
    raise ValueError(f"no report format {fmt!r}")


# ---------------------------------------------------------------- DOCX


class _HtmlToDocx(HTMLParser):
    """Writes the sanitised HTML of render_markdown as Word paragraphs and runs.

    Handles what render_markdown lets through: paragraphs, headings, lists, quotes, code,
    emphasis, line breaks; table cells become tab-separated lines.
    """

    def __init__(self, document: Any, base_level: int = 3) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.base_level = base_level
        self.paragraph: Any = None
        self.lists: list[str] = []
        self.bold = 0
        self.italic = 0
        self.code = 0
        self.quote = 0
        self.cells = 0

    def _new(self, style: str | None = None) -> Any:
        self.paragraph = self.document.add_paragraph(style=style)
        return self.paragraph

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "pre"}:
            if not self.lists:
                self._new("Quote" if self.quote else None)
        elif tag in {"h1", "h2", "h3", "h4"}:
            level = min(self.base_level + int(tag[1]) - 1, 9)
            self.paragraph = self.document.add_heading(level=level)
        elif tag in {"ul", "ol"}:
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self._new(style)
        elif tag in {"strong", "b", "th"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "tr":
            self._new()
            self.cells = 0
        elif tag in {"td", "th"}:
            if self.cells and self.paragraph is not None:
                self.paragraph.add_run("\t")
            self.cells += 1
            if tag == "th":
                return
        elif tag == "hr":
            self._new()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"p", "pre", "h1", "h2", "h3", "h4", "li", "tr"}:
            self.paragraph = None
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag in {"strong", "b", "th"}:
            self.bold = max(self.bold - 1, 0)
        elif tag in {"em", "i"}:
            self.italic = max(self.italic - 1, 0)
        elif tag == "code":
            self.code = max(self.code - 1, 0)
        elif tag == "blockquote":
            self.quote = max(self.quote - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.paragraph is None:
            if not data.strip():
                return
            self._new()
        text = data if self.code else " ".join(data.split("\n"))
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Consolas"


def _markdown_html_to_docx(document: Any, html: str) -> None:
    parser = _HtmlToDocx(document)
    parser.feed(html)
    parser.close()


def render_docx(report: AfterActionReport) -> bytes:
    """The report as an editable Word document: the same sections, charts as PNG pictures."""
    try:
        import docx
    except ImportError as error:
        raise ReportUnavailable(
            _("DOCX needs python-docx: pip install 'caseroom[reports]'.") + f" [{error}]"
        ) from error
    return _DocxWriter(docx.Document(), report).write()


def _date(value: dt.date | None) -> str:
    if value is None:
        return "—"
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


class _DocxWriter:
    """Lays out the report with python-docx: A4, headings, tables with a repeated header."""

    def __init__(self, document: Any, report: AfterActionReport) -> None:
        self.d = document
        self.r = report

    # -- primitives

    def heading(self, text: str, level: int) -> None:
        self.d.add_heading(text, level=level)

    def para(self, text: str = "", *, style: str | None = None, italic: bool = False) -> Any:
        paragraph = self.d.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.italic = italic or None
        return paragraph

    def muted(self, text: str) -> None:
        from docx.shared import RGBColor

        run = self.d.add_paragraph().add_run(text)
        run.italic = True
        run.font.color.rgb = RGBColor(0x5B, 0x65, 0x73)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float] = ()
    ) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        table = self.d.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        cells = table.rows[0].cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), "DCE6F0")
            cell._tc.get_or_add_tcPr().append(shading)
        for values in rows:
            row_cells = table.add_row().cells
            for cell, text in zip(row_cells, values, strict=True):
                cell.text = text
        for number, row in enumerate(table.rows):
            properties = row._tr.get_or_add_trPr()
            no_split = OxmlElement("w:cantSplit")
            properties.append(no_split)
            if number == 0:  # repeated at the top of every page
                properties.append(OxmlElement("w:tblHeader"))
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(0)
                    for run in paragraph.runs:
                        run.font.size = Pt(9.5)
        if widths:
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=False):
                    cell.width = Cm(width)
        self.d.add_paragraph()
        return table

    def picture(self, chart: Chart) -> None:
        from docx.shared import Cm

        self.d.add_picture(io.BytesIO(chart.png), width=Cm(16))
        shape = self.d.inline_shapes[-1]
        shape._inline.docPr.set("descr", chart.alt)
        shape._inline.docPr.set("title", chart.title)
        self.para(chart.title, style="Caption")

    def setup(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt, RGBColor

        section = self.d.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(20))
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        normal = self.d.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10.5)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            self.d.styles[name].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
        properties = self.d.core_properties
        properties.title = f"{self.r.facts.title} — {_('After-action report')}"
        properties.subject = self.r.facts.scenario_title
        properties.author = "Caseroom"
        header = section.header.paragraphs[0]
        header.text = f"{self.r.facts.title} · {_('After-action report')}"
        header.runs[0].font.size = Pt(8.5)
        header.runs[0].font.color.rgb = RGBColor(0x5B, 0x65, 0x73)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for instruction in ("PAGE", None, "NUMPAGES"):
            if instruction is None:
                footer.add_run(" / ")
                continue
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), instruction)
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            field.append(run)
            footer._p.append(field)

    # -- sections

    def write(self) -> bytes:
        r, f = self.r, self.r.facts
        self.setup()
        self.para(_("After-action report and improvement plan"), style="Subtitle")
        self.d.add_heading(f.title, level=0)
        self.para(
            " · ".join(
                x
                for x in (
                    f"{f.scenario_title} {f.scenario_version}",
                    _date(f.date) if f.date else "",
                    f.location,
                )
                if x
            )
        )
        if not r.played:
            self.muted(_("No team has played yet: this report has no results to show."))

        self.heading("1. " + _("Exercise overview"), 1)
        self.table(
            [_("Item"), _("Details")],
            [
                [_("Exercise"), f.title],
                [_("Scenario"), f"{f.scenario_title} ({_('version')} {f.scenario_version})"],
                [_("Date"), _date(f.date)],
                [_("Location"), f.location or "—"],
                [_("Facilitators"), ", ".join(f.facilitators) or "—"],
                [_("Status"), f.status],
                [_("Teams"), str(f.teams)],
                [_("Participants"), str(f.participants)],
            ],
            widths=(4.5, 12.5),
        )
        if f.scenario_summary_html:
            self.heading(_("The case"), 2)
            _markdown_html_to_docx(self.d, f.scenario_summary_html)
        if f.objectives:
            self.heading(_("Learning objectives"), 2)
            for objective in f.objectives:
                self.para(objective, style="List Number")

        self.heading("2. " + _("Participation"), 1)
        if f.participants:
            self.table(
                [_("Country"), _("Participants")],
                [[c.label, str(c.count)] for c in f.by_country],
                widths=(12, 5),
            )
            self.table(
                [_("Agency"), _("Participants")],
                [[c.label, str(c.count)] for c in f.by_agency],
                widths=(12, 5),
            )
        else:
            self.muted(_("No participant has joined."))
        if r.teams:
            self.table(
                [_("Team"), _("Members")],
                [[t.name, ", ".join(t.members) or "—"] for t in r.teams],
                widths=(4, 13),
            )

        self.heading("3. " + _("Results by team"), 1)
        if not r.played:
            self.muted(_("No team has played yet."))
        else:
            self.table(
                [_("Team"), _("Ending"), _("Outcome"), _("Total"), _("On the expert path")],
                [
                    [
                        t.name,
                        t.ending or _("not ended"),
                        t.outcome_label,
                        str(t.total),
                        "—"
                        if t.expert_share is None
                        else f"{t.expert_share}% ({t.on_expert}/{t.on_expert + t.off_expert})",
                    ]
                    for t in r.teams
                ],
                widths=(3, 6, 3, 2, 3),
            )
            self.heading(_("Endings"), 2)
            for ending in r.endings:
                self.para(
                    f"{ending.title} ({ending.outcome_label}): {', '.join(ending.teams)}",
                    style="List Bullet",
                )
            if r.dimensions:
                self.heading(_("Scores per rubric dimension"), 2)
                self.table(
                    [_("Team"), *r.dimensions, _("Total")],
                    [
                        [
                            t.name,
                            *(str(dict(t.rubric).get(d, 0)) for d in r.dimensions),
                            str(t.total),
                        ]
                        for t in r.teams
                    ],
                )
            for chart in r.charts[:2]:
                self.picture(chart)

        self.heading("4. " + _("Analysis"), 1)
        self.heading(_("Misconceptions, most frequent first"), 2)
        if r.misconceptions:
            self.table(
                ["#", _("Misconception"), _("Teams"), _("Participants")],
                [
                    [str(m.rank), m.title, str(m.teams), str(m.participants)]
                    for m in r.misconceptions
                ],
                widths=(1, 12, 2, 2),
            )
            for chart in r.charts[2:]:
                self.picture(chart)
            for m in r.misconceptions:
                self.heading(f"{m.rank}. {m.title}", 3)
                _markdown_html_to_docx(self.d, m.explanation_html)
                if m.actions:
                    self.muted(_("Through") + ": " + "; ".join(m.actions))
        else:
            self.muted(
                _("No misconception was shown.") if r.played else _("No team has played yet.")
            )
        if r.marked_misconceptions:
            self.heading(_("Misconceptions marked by the facilitators"), 3)
            self.table(
                [_("Team"), _("Step"), _("Misconception"), _("Comment")],
                [[n.team, n.action, n.misconception, n.body] for n in r.marked_misconceptions],
            )
        self.heading(_("Good practices"), 2)
        if r.good_practices:
            self.table(
                [_("Team"), _("Step"), _("Facilitator's comment")],
                [[n.team, n.action, n.body or "—"] for n in r.good_practices],
                widths=(3, 7, 7),
            )
        if r.exemplary:
            self.para(
                ngettext(
                    "%(n)s step was graded exemplary by the scenario. Most shared:",
                    "%(n)s steps were graded exemplary by the scenario. Most shared:",
                    r.exemplary_steps,
                )
                % {"n": r.exemplary_steps}
            )
            self.table(
                [_("Exemplary action"), _("Teams")],
                [[e.action, ", ".join(e.teams)] for e in r.exemplary],
                widths=(11, 6),
            )
            if r.exemplary_more:
                self.muted(
                    ngettext(
                        "and %(n)s more exemplary action",
                        "and %(n)s more exemplary actions",
                        r.exemplary_more,
                    )
                    % {"n": r.exemplary_more}
                )
        if not r.good_practices and not r.exemplary:
            self.muted(_("No good practice was recorded yet."))

        self.heading("5. " + _("Facilitator notes"), 1)
        if r.notes_html:
            _markdown_html_to_docx(self.d, r.notes_html)
        if r.comments:
            self.table(
                [_("Team"), _("Step"), _("Comment"), _("By")],
                [[n.team, n.action, n.body, n.author or "—"] for n in r.comments],
                widths=(3, 6, 6, 2),
            )
        if not r.notes_html and not r.comments:
            self.muted(_("The facilitators have not written notes yet."))

        self.heading("6. " + _("Improvement plan and recommendations"), 1)
        if r.recommendations_html:
            self.heading(_("Recommendations of the facilitators"), 2)
            _markdown_html_to_docx(self.d, r.recommendations_html)
        self.heading(_("Improvement plan drafted from the misconceptions"), 2)
        if r.plan:
            self.table(
                [_("Observation"), _("Recommended action"), _("Learning objective concerned")],
                [
                    [
                        f"{p.observation} ({p.frequency})",
                        _plain(p.action_html),
                        "\n".join(p.objectives) or "—",
                    ]
                    for p in r.plan
                ],
                widths=(5, 7, 5),
            )
        else:
            self.muted(_("No misconception to address."))

        self.heading(_("Annex: decisions"), 1)
        if r.points:
            if len(r.points) < r.points_total:
                self.muted(
                    _(
                        "The %(shown)s of %(total)s decision points where most teams left "
                        "the expert's path."
                    )
                    % {"shown": len(r.points), "total": r.points_total}
                )
            for point in r.points:
                self.heading(point.title, 3)
                self.table(
                    [_("Option"), _("Teams"), _("Share"), _("Expert")],
                    [
                        [o.text, str(o.count), f"{o.percent}%", "✓" if o.expert else ""]
                        for o in point.options
                    ],
                    widths=(11, 2, 2, 2),
                )
        else:
            self.muted(_("No team has played yet."))
        self.muted(
            _(
                "The diagram of the teams' flow through the case is in the HTML and PDF "
                "versions of this report."
            )
        )
        self.muted(
            _("Generated by Caseroom on %(when)s.")
            % {"when": f.generated_at.strftime("%Y-%m-%d %H:%M")}
        )
        out = io.BytesIO()
        self.d.save(out)
        return out.getvalue()


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "li", "br", "tr"} and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _inline(markdown: str) -> str:
    """A short Markdown text (an action, a title) as one line of plain text."""
    return plain_text(markdown)


def _plain(html: str) -> str:
    """The text of a sanitised HTML fragment, paragraphs on their own lines."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.parts).splitlines() if line.strip())
