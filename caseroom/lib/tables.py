"""CSV and XLSX tables of people's text, safe to open in a spreadsheet.

Participants, teams and respondents name themselves, and programme managers open the exports
in Excel or LibreOffice, where a cell that starts with `=`, `+`, `-` or `@` is a formula:
`=HYPERLINK("http://x","click")` becomes a live link, and older Excel versions even ran
commands through DDE. Every CSV or XLSX this project writes goes through `write_csv` or
`write_xlsx`, which pass each cell through `safe_cell` (OWASP's "CSV injection" advice: a
leading single quote makes the text inert and shows what was typed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["DANGEROUS", "Cell", "Row", "safe_cell", "write_csv", "write_xlsx", "write_xlsx_book"]

# Characters that make a spreadsheet read a cell as a formula (tab and carriage return because
# some importers strip them first, which leaves a formula behind).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# Whitespace of any kind before a formula character: importers that trim cells (LibreOffice
# with "trim spaces", Google Sheets) would otherwise reach the formula.
_HIDDEN_FORMULA = re.compile(r"^\s+[=+\-@]")
# XML 1.0 cannot hold these control characters; openpyxl refuses a string that contains one.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Excel's limits (openpyxl enforces neither): 31 characters, none of these, in a sheet name.
_NOT_IN_SHEET_TITLE = re.compile(r"[\\/?*\[\]:]")

Cell = str | int | float | Decimal | bool | dt.date | dt.time | None
Row = Mapping[str, object] | Sequence[object]


def safe_cell(value: object) -> Cell:
    """`value` as a spreadsheet should see it: numbers, dates and booleans as they are
    (a negative number stays a number), anything else as text that cannot be a formula."""
    if value is None or isinstance(value, bool | int | Decimal | dt.date | dt.time):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    text = str(value)  # NaN and infinities too: no spreadsheet stores them as numbers
    if not text.isascii():
        # A lone surrogate (valid in a JSON payload read back from SQLite) cannot be encoded:
        # it would turn the whole download into a 500.
        text = _SURROGATE.sub("\N{REPLACEMENT CHARACTER}", text)
    if text.startswith(DANGEROUS) or _HIDDEN_FORMULA.match(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[Row], header: Sequence[str]) -> str:
    """A CSV table: the header, then one line per row (a mapping is read by the header's
    names, a missing name is an empty cell). Lines end in CRLF as RFC 4180 says: with that
    terminator the writer also quotes a cell holding a lone carriage return, which Excel would
    otherwise take for the start of a new row (a way around the leading quote)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in _values(row, header)])
    return buffer.getvalue()


def write_xlsx(rows: Iterable[Row], header: Sequence[str], sheet_title: str) -> bytes:
    """An XLSX workbook of one sheet: the header (frozen), then one row per row.

    Every text cell is written as a string (`data_type` "s"): openpyxl would otherwise make a
    formula of text starting with "=" and an error value of text such as "#N/A". The
    workbook is streamed (write-only mode), so a large export costs little memory.
    """
    return write_xlsx_book([(sheet_title, header, rows)])


def write_xlsx_book(sheets: Iterable[tuple[str, Sequence[object], Iterable[Row]]]) -> bytes:
    """An XLSX workbook of several sheets, each (title, header, rows) as `write_xlsx` writes
    one. Titles are made valid and unique (Excel compares them regardless of case)."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        name = _sheet_title(title)
        number = 2
        while name.lower() in used:
            suffix = f" ({number})"
            name = _sheet_title(title)[: 31 - len(suffix)] + suffix
            number += 1
        used.add(name.lower())
        sheet: WriteOnlyWorksheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"  # before the first row: write-only sheets write the view first
        sheet.append([_xlsx_cell(sheet, value) for value in header])
        names = [str(h) for h in header]
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in _values(row, names)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _values(row: Row, header: Sequence[str]) -> Sequence[object]:
    if isinstance(row, Mapping):
        return [row.get(name, "") for name in header]
    return row


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> XlsxCell | None:
    safe = safe_cell(value)
    if safe is None or safe == "":
        return None  # an empty cell: openpyxl would write "" as an odd inline string
    if isinstance(safe, dt.datetime | dt.time) and safe.tzinfo is not None:
        safe = safe.isoformat()  # Excel has no time zones; openpyxl refuses aware values
    if not isinstance(safe, str):
        # The stubs list str, float and datetime; openpyxl also takes the other Cell types.
        return WriteOnlyCell(sheet, value=cast(Any, safe))
    cell = WriteOnlyCell(sheet, value=_NOT_XML.sub("\N{REPLACEMENT CHARACTER}", safe))
    cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    clean = " ".join(_NOT_IN_SHEET_TITLE.sub(" ", title).split()).strip("'")[:31].strip()
    return clean or "Sheet"
