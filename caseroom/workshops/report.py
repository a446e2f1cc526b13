"""The workshop report (PDF and DOCX): who took part by country and agency (small cells
hidden through programmes.disclosure), the gaps and good practices of each theme, its
clusters by votes, and the recommendations with their addressees and cited sections."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseroom.lib.pdf import ReportUnavailable, html_to_pdf
from caseroom.library.citations import cite
from caseroom.programmes.disclosure import CountTable, count_table

from .board import Board, board_of
from .models import Workshop

__all__ = [
    "MIN_CELL",
    "People",
    "WorkshopReport",
    "build",
    "people_of",
    "render_docx",
    "render_pdf",
]

# A workshop is a room of a few dozen people, most the only one of their agency from their
# country: a cell of fewer than 3 names a person, and the statistical offices' 5 would hide
# nearly every cell of a 30-person room.
MIN_CELL = 3

Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class RecommendationLine:
    theme: str
    text: str
    addressee: str
    priority: str
    timeframe: str
    source: str  # the cited library section's label, or ""


@dataclass(frozen=True)
class People:
    """Who took part, counted by country × agency, small cells hidden."""

    counts: CountTable

    @property
    def people_table(self) -> Table:
        table = self.counts
        header = (_("Country"), *table.columns, _("Total"))

        def show(value: int | None) -> str:
            return "–" if value is None else str(value)

        rows = tuple(
            (row, *(show(v) for v in cells), show(total))
            for row, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
        )
        footer = (_("Total"), *(show(v) for v in table.column_totals), str(table.total))
        return header, (*rows, footer)

    @property
    def note(self) -> str:
        return _("Counts under %(n)d are hidden (–), with what would reveal them.") % {
            "n": self.counts.min_cell
        }


def people_of(workshop: Workshop) -> People:
    people = list(workshop.participants.values_list("country", "agency"))
    countries = sorted({country for country, _agency in people})
    agencies = sorted({agency for _country, agency in people})
    return People(count_table(Counter(people), countries, agencies, min_cell=MIN_CELL))


@dataclass(frozen=True)
class WorkshopReport:
    workshop: Workshop
    participants: CountTable
    boards: tuple[Board, ...]
    recommendations: tuple[RecommendationLine, ...]

    @property
    def people_table(self) -> Table:
        return People(self.participants).people_table

    @property
    def note(self) -> str:
        return People(self.participants).note


def build(workshop: Workshop) -> WorkshopReport:
    participants = people_of(workshop).counts
    language = get_language() or "en"
    themes = list(workshop.themes.select_related("workshop").prefetch_related("recommendations"))
    lines = []
    for theme in themes:
        for item in theme.recommendations.all():
            cited = cite(item.citation, language) if item.citation else None
            addressee = f"{item.institution} ({item.country})" if item.country else item.institution
            lines.append(
                RecommendationLine(
                    theme=_(theme.title),
                    text=item.text,
                    addressee=addressee,
                    priority=item.get_priority_display(),
                    timeframe=item.get_timeframe_display(),
                    source=cited.label if cited else "",
                )
            )
    boards = tuple(board_of(theme) for theme in themes)
    return WorkshopReport(workshop, participants, boards, tuple(lines))


def render_html(report: WorkshopReport) -> str:
    header, rows = report.people_table
    return render_to_string(
        "workshops/report_document.html",
        {"report": report, "people_header": header, "people_rows": rows},
    )


def render_pdf(report: WorkshopReport) -> bytes:
    identifier = f"caseroom-workshop-report-{report.workshop.pk}".encode()
    return html_to_pdf(render_html(report), identifier=identifier)


def render_docx(report: WorkshopReport) -> bytes:
    try:
        import docx
    except ImportError as error:
        raise ReportUnavailable(
            _("DOCX needs python-docx: pip install 'caseroom[reports]'.") + f" [{error}]"
        ) from error
    document: Any = docx.Document()
    workshop = report.workshop
    document.core_properties.title = workshop.title
    document.add_heading(workshop.title, level=0)
    document.add_paragraph(
        f"{workshop.place}, {workshop.starts_on:%d.%m.%Y}–{workshop.ends_on:%d.%m.%Y}"
    )

    def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        for values in rows:
            for cell, value in zip(grid.add_row().cells, values, strict=True):
                cell.text = str(value)

    document.add_heading(_("Participants by country and agency"), level=1)
    document.add_paragraph().add_run(report.note).italic = True
    table(*report.people_table)
    for board in report.boards:
        document.add_heading(_(board.theme.title), level=1)
        for title, cards in (
            (_("Gaps and challenges"), board.gaps),
            (_("Good practices"), board.practices),
        ):
            document.add_heading(title, level=2)
            for card in cards:
                document.add_paragraph(card.text, style="List Bullet")
        if board.clusters:
            document.add_heading(_("Clusters by votes"), level=2)
            table(
                (_("Cluster"), _("Votes")),
                [(line.cluster.title, str(line.votes)) for line in board.clusters],
            )
    document.add_heading(_("Recommendations"), level=1)
    table(
        (
            _("Theme"),
            _("Recommendation"),
            _("Addressed to"),
            _("Priority"),
            _("Timeframe"),
            _("Source"),
        ),
        [
            (line.theme, line.text, line.addressee, line.priority, line.timeframe, line.source)
            for line in report.recommendations
        ],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
