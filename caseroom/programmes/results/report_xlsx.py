"""The donor report as an XLSX workbook: a summary, the logframe, then a sheet per table.

A suppressed cell is written as the text "suppressed", never as a number (a hidden formula
or a number format would still hold the value). Every cell goes through `lib.tables`'
neutralising writer, since titles, agencies and places are typed by people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from caseroom.lib.tables import write_xlsx_book

from .breakdowns import Breakdown, Cell
from .indicators import IndicatorValue
from .report import DonorReport

__all__ = ["breakdown_rows", "logframe_rows", "reach_rows", "render_xlsx", "shown"]

Row = Sequence[object]


def shown(cell: Cell) -> object:
    """A cell as printed: its number, or the word that says it is suppressed."""
    return _("suppressed") if cell.value is None else cell.value


def breakdown_rows(table: Breakdown) -> tuple[list[str], list[Row]]:
    """A table's header and rows as they print (also used by the DOCX)."""
    if table.is_list:
        header = [table.row_heading, table.columns[0] or _("Count")]
        rows: list[Row] = [
            [name, shown(line[0])] for name, line in zip(table.rows, table.cells, strict=True)
        ]
        rows.append([_("Total"), shown(table.total)])
        return header, rows
    header = [table.row_heading, *table.columns, _("Total")]
    rows = [
        [name, *(shown(c) for c in line), shown(total)]
        for name, line, total in zip(table.rows, table.cells, table.row_totals, strict=True)
    ]
    rows.append([_("Total"), *(shown(c) for c in table.column_totals), shown(table.total)])
    return header, rows


def logframe_rows(report: DonorReport) -> tuple[list[str], list[Row]]:
    header = [
        _("Outcome"),
        _("Output"),
        _("Code"),
        _("Indicator"),
        _("Baseline"),
        _("Target"),
        _("Value"),
        # xgettext:no-python-format
        _("% of target"),
        _("Unit"),
        _("How it is computed"),
        _("Note"),
    ]
    rows: list[Row] = []
    for outcome in report.logframe:
        for output in outcome.outputs:
            for v in output.indicators:
                rows.append(
                    [
                        f"{outcome.code} {outcome.title}",
                        f"{output.code} {output.title}",
                        v.code,
                        v.title,
                        v.baseline,
                        v.target,
                        v.value,
                        v.percent_of_target,
                        v.unit,
                        v.measure_label,
                        v.note,
                    ]
                )
    return header, rows


def reach_rows(report: DonorReport) -> tuple[list[str], list[Row]]:
    header = [_("Country"), _("Trainers from a ToT"), _("People they trained"), _("Per trainer")]
    reach = report.reach
    rows: list[Row] = [
        [r.country, shown(r.trainers), shown(r.reached), r.multiplier] for r in reach.rows
    ]
    rows.append([_("Total"), shown(reach.trainers), shown(reach.reached), reach.multiplier])
    return header, rows


def summary_rows(report: DonorReport) -> list[Row]:
    return [
        [_("Programme"), report.title],
        [_("Funder"), report.funder],
        [_("Implementer"), report.implementer],
        [_("From"), report.start],
        [_("To"), report.end],
        [_("Counts below"), report.min_cell],
        [_("Generated"), date_format(report.generated_at, "DATETIME_FORMAT")],
        *([label, shown(cell)] for label, cell in report.headline),
    ]


def _indicator_tables(values: Iterable[IndicatorValue]) -> list[tuple[str, Breakdown]]:
    return [(f"{v.code} {table.title}", table) for v in values for table in v.breakdowns]


def render_xlsx(report: DonorReport) -> bytes:
    """The report as a workbook: a sheet per table, suppressed cells as words (lib/tables
    writes every cell, so no text becomes a formula)."""
    sheets: list[tuple[str, Sequence[object], Iterable[Row]]] = [
        (_("Summary"), [_("Item"), _("Value")], summary_rows(report)),
        (_("Logframe"), *logframe_rows(report)),
    ]
    sheets += [
        (table.title, *breakdown_rows(table)) for table in (*report.people, *report.delivery)
    ]
    sheets.append((_("ToT reach"), *reach_rows(report)))
    sheets += [
        (title, *breakdown_rows(table)) for title, table in _indicator_tables(report.indicators)
    ]
    return write_xlsx_book(sheets)
