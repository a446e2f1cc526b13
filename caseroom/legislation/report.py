"""The assessment report of a matrix: DOCX (python-docx) and PDF (WeasyPrint through lib.pdf).

One builder (`build`) gives both formats the same content: the heatmap as a table of ratings
(text, no colour needed), then each country's assessments that are not in line, with the
provision, the evidence, the recommendation and its measure's status. Three queries.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from caseroom.lib.pdf import ReportUnavailable, html_to_pdf

from .models import COUNTRIES, Assessment, Criterion, Matrix, Rating

__all__ = ["Report", "build", "render_docx", "render_pdf"]


@dataclass(frozen=True)
class Finding:
    criterion: str  # "JIT-04 (FD 2002/465/JHA, Art. 1(1)-(2))"
    question: str
    rating: str
    provision: str
    evidence: str
    recommendation: str
    measure: str  # the measure's status, "" without one


@dataclass(frozen=True)
class CountrySection:
    name: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Report:
    title: str
    coordination: str
    demo: bool
    header: tuple[str, ...]  # "Country", then the criteria's codes
    rows: tuple[tuple[str, ...], ...]  # a country's name, then its ratings
    criteria: tuple[tuple[str, str], ...]  # (code and citation, question)
    countries: tuple[CountrySection, ...]


def build(matrix: Matrix) -> Report:
    criteria = list(Criterion.objects.filter(matrix=matrix))
    found = {
        (a.criterion_id, a.country): a
        for a in Assessment.objects.filter(criterion__matrix=matrix).select_related("measure")
    }
    cited = {c.pk: f"{c.code} ({c.get_source_display()}, {c.article})" for c in criteria}
    rows, sections = [], []
    for code, name in COUNTRIES:
        ratings, findings = [], []
        for criterion in criteria:
            a = found.get((criterion.pk, code))
            rating = Rating(a.rating) if a else Rating.UNKNOWN
            ratings.append(str(rating.label) if a else _("Not assessed"))
            if a is None or rating == Rating.IN_LINE:
                continue
            provision = " — ".join(x for x in (a.provision_ref, a.provision_summary) if x)
            findings.append(
                Finding(
                    criterion=cited[criterion.pk],
                    question=criterion.question,
                    rating=str(rating.label),
                    provision=provision,
                    evidence=a.evidence,
                    recommendation=a.recommendation,
                    measure=a.measure.get_status_display() if a.measure else "",
                )
            )
        rows.append((str(name), *ratings))
        sections.append(CountrySection(str(name), tuple(findings)))
    return Report(
        title=matrix.title,
        coordination=matrix.coordination.title,
        demo=matrix.demo,
        header=(_("Country"), *(c.code for c in criteria)),
        rows=tuple(rows),
        criteria=tuple((cited[c.pk], c.question) for c in criteria),
        countries=tuple(sections),
    )


def render_pdf(report: Report, matrix_id: int) -> bytes:
    html = render_to_string("legislation/report_document.html", {"report": report})
    return html_to_pdf(html, identifier=f"caseroom-legislation-{matrix_id}".encode())


def render_docx(report: Report) -> bytes:
    try:
        import docx
        from docx.shared import Pt
    except ImportError as error:
        raise ReportUnavailable(
            _("DOCX needs python-docx: pip install 'caseroom[reports]'.") + f" [{error}]"
        ) from error
    document: Any = docx.Document()
    document.core_properties.title = report.title
    document.core_properties.author = "Caseroom"
    document.add_heading(f"{report.coordination}: {report.title}", level=0)
    if report.demo:
        document.add_paragraph().add_run(_demo_note()).bold = True
    document.add_heading(_("Ratings"), level=1)
    grid = document.add_table(rows=1, cols=len(report.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, report.header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in report.rows:
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value
    for row in grid.rows:
        for run in (r for c in row.cells for p in c.paragraphs for r in p.runs):
            run.font.size = Pt(7)
    document.add_heading(_("Criteria"), level=1)
    for cited, question in report.criteria:
        document.add_paragraph(f"{cited}: {question}", style="List Bullet")
    for section in report.countries:
        document.add_heading(section.name, level=1)
        if not section.findings:
            document.add_paragraph(_("Every assessed provision is in line."))
        for f in section.findings:
            document.add_heading(f"{f.criterion} — {f.rating}", level=2)
            for label, text in _finding_lines(f):
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _demo_note() -> str:
    return _("Demo data: this assessment is fictional. It describes no country's real law.")


def _finding_lines(f: Finding) -> list[tuple[str, str]]:
    lines = [
        (_("Question"), f.question),
        (_("National provision"), f.provision or "—"),
        (_("Evidence"), f.evidence or "—"),
        (_("Recommendation"), f.recommendation or "—"),
    ]
    if f.measure:
        lines.append((_("Measure"), f.measure))
    return lines
