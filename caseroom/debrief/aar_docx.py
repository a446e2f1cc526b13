"""The after-action report as an editable Word document, through python-docx.

The same sections as the HTML and PDF, charts as PNG pictures; python-docx is in the
'reports' extra, so it is imported inside the functions that use it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseroom.lib.pdf import ReportUnavailable

from .docx_html import add_html, plain

if TYPE_CHECKING:
    from .aar import AfterActionReport
    from .charts import Chart

__all__ = ["render_docx"]


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

        self.overview()
        self.participation()
        self.results()
        self.analysis()
        self.facilitator_notes()
        self.plan()
        self.annex()
        out = io.BytesIO()
        self.d.save(out)
        return out.getvalue()

    def overview(self) -> None:
        """The exercise: scenario, date, place, people, the case and its objectives."""
        f = self.r.facts
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
            add_html(self.d, f.scenario_summary_html)
        if f.objectives:
            self.heading(_("Learning objectives"), 2)
            for objective in f.objectives:
                self.para(objective, style="List Number")

    def participation(self) -> None:
        """Who took part: by country, by agency, by team."""
        r, f = self.r, self.r.facts
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

    def results(self) -> None:
        """Endings, scores per rubric dimension, the first two charts."""
        r = self.r
        self.heading("3. " + _("Results by team"), 1)
        if not r.played:
            self.muted(_("No team has played yet."))
        else:
            self.table(
                [_("Team"), _("Ending"), _("Outcome"), _("Total"), _("On the expert path")],
                [
                    [
                        t.name,
                        t.ending
                        or (
                            _("stopped by the facilitator at “%(scene)s”") % {"scene": t.stopped_at}
                            if r.facts.ended and t.stopped_at
                            else _("not ended")
                        ),
                        t.outcome_label if t.ending or not r.facts.ended else "",
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
                    f"{ending.title}"
                    + (f" ({ending.outcome_label})" if ending.outcome_label else "")
                    + f": {', '.join(ending.teams)}",
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

    def analysis(self) -> None:
        """Misconceptions ranked, marked by the facilitators; good practices."""
        r = self.r
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
                add_html(self.d, m.explanation_html)
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

    def facilitator_notes(self) -> None:
        """The facilitators' notes and step comments."""
        r = self.r
        self.heading("5. " + _("Facilitator notes"), 1)
        if r.notes_html:
            add_html(self.d, r.notes_html)
        if r.comments:
            self.table(
                [_("Team"), _("Step"), _("Comment"), _("By")],
                [[n.team, n.action, n.body, n.author or "—"] for n in r.comments],
                widths=(3, 6, 6, 2),
            )
        if not r.notes_html and not r.comments:
            self.muted(_("The facilitators have not written notes yet."))

    def plan(self) -> None:
        """Recommendations and the improvement plan drafted from the misconceptions."""
        r = self.r
        self.heading("6. " + _("Improvement plan and recommendations"), 1)
        if r.recommendations_html:
            self.heading(_("Recommendations of the facilitators"), 2)
            add_html(self.d, r.recommendations_html)
        self.heading(_("Improvement plan drafted from the misconceptions"), 2)
        if r.plan:
            self.table(
                [_("Observation"), _("Recommended action"), _("Learning objective concerned")],
                [
                    [
                        f"{p.observation} ({p.frequency})",
                        plain(p.action_html),
                        "\n".join(p.objectives) or "—",
                    ]
                    for p in r.plan
                ],
                widths=(5, 7, 5),
            )
        else:
            self.muted(_("No misconception to address."))

    def annex(self) -> None:
        """The decision points where teams left the expert's path, and when this was made."""
        r, f = self.r, self.r.facts
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
