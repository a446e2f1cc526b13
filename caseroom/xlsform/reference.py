"""pyxform, the reference XLSForm implementation, as the last check of a form we accept.

We hand pyxform the cells we read ourselves (blank rows kept, so its row numbers are the
spreadsheet's), never the file: it trusts the zip. Its PyXFormError becomes a Problem at the
sheet, row and column its message names. pyxform is imported here only, when a form has
passed our own checks, and whatever else it raises is reported the same way: an upload must
never end in a traceback.
"""

from __future__ import annotations

import re
from typing import Any

from .problems import FormError, Problem
from .sheets import Sheet, Workbook

__all__ = ["agree", "problem_of"]

_ROW = re.compile(r"^\[row : (\d+)\]\s*")
_SHEET = re.compile(r"On the '(\w+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")


def problem_of(message: str) -> Problem:
    """A pyxform message as a Problem: "[row : 3] On the 'survey' sheet, the 'name' value ..."."""
    row_match = _ROW.match(message)
    row = int(row_match[1]) if row_match else 0
    text = message[row_match.end() :] if row_match else message
    sheet_match = _SHEET.search(text)
    column_match = _COLUMN.search(text)
    sheet = sheet_match[1] if sheet_match else ("survey" if row else "")
    return Problem(sheet, row, column_match[1] if column_match else "", f"pyxform: {text}")


def _rows(sheet: Sheet | None) -> list[dict[str, str]]:
    if sheet is None or not sheet.rows:
        return []
    rows: list[dict[str, str]] = [{} for _ in range(sheet.rows[-1].number - 1)]
    for row in sheet.rows:
        rows[row.number - 2] = dict(row.cells)
    return rows


def _header(sheet: Sheet | None) -> list[dict[str, None]]:
    return [{column: None for column in sheet.header if column}] if sheet else []


def agree(workbook: Workbook) -> None:
    """Raise FormError when pyxform refuses the form."""
    # pyxform ships no type information.
    from pyxform.errors import PyXFormError  # type: ignore[import-untyped]
    from pyxform.xls2xform import convert  # type: ignore[import-untyped]

    data: dict[str, Any] = {"sheet_names": [s.name for s in workbook.sheets]}
    for name in ("survey", "choices", "settings"):
        sheet = workbook.sheet(name)
        if sheet is not None:
            data[name] = _rows(sheet)
            data[f"{name}_header"] = _header(sheet)
    data["fallback_form_name"] = "data"
    try:
        convert(data, warnings=[], validate=False)
    except PyXFormError as error:
        raise FormError([problem_of(str(error))]) from None
    except (RecursionError, MemoryError):
        raise FormError(
            [Problem("", 0, "", "pyxform could not read the form: too large")]
        ) from None
    except Exception as error:  # noqa: BLE001 - a pyxform bug must not become a 500
        message = f"pyxform could not read the form ({type(error).__name__})"
        raise FormError([Problem("", 0, "", message)]) from None
