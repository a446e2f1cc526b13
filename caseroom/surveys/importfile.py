"""The table of an export read for importing (imports.py): the first sheet of an .xlsx
(checked for a zip bomb before openpyxl opens it, read lazily) or a UTF-8 CSV file with the
delimiter its header line uses. Bounded by size and columns; a file that cannot be read
raises Unreadable with the words to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterator
from typing import Any

from caseroom.xlsform import FormError
from caseroom.xlsform.sheets import check_zip

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_COLUMNS",
    "MAX_IMPORT_UNCOMPRESSED",
    "Unreadable",
    "cell_text",
    "read_rows",
]

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # 20,000 responses × 60 questions as CSV: about 12 MB
MAX_IMPORT_UNCOMPRESSED = 120 * 1024 * 1024  # openpyxl reads ~10 MB of sheet XML a second
MAX_IMPORT_COLUMNS = 1000  # Kobo adds a column per choice of every multiple choice


class Unreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_rows(data: bytes, filename: str) -> Iterator[list[Any]]:
    if len(data) > MAX_IMPORT_BYTES:
        raise Unreadable(
            f"the file is too large: {len(data):,} bytes, at most {MAX_IMPORT_BYTES:,}"
        )
    if data.startswith(b"PK"):
        return _xlsx_rows(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise Unreadable("the file is not an .xlsx workbook (not a zip archive)")
    return _csv_rows(data)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        check_zip(data, MAX_IMPORT_UNCOMPRESSED)
    except FormError as error:
        raise Unreadable(error.problems[0].message) from None
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and validations openpyxl skips
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a malformed workbook
        raise Unreadable("the file is not a readable .xlsx workbook") from None
    return _sheet_rows(book)


def _sheet_rows(book: Any) -> Iterator[list[Any]]:
    """The first sheet's rows (Kobo: the answers, then a sheet per repeat), each cut to the
    header's width; read lazily, the workbook closed at the end."""
    try:
        rows = book.worksheets[0].iter_rows(max_col=MAX_IMPORT_COLUMNS + 1, values_only=True)
        width = MAX_IMPORT_COLUMNS + 1
        for number, values in enumerate(rows):
            row = list(values[:width])
            while row and row[-1] in (None, ""):
                row.pop()
            if number == 0:
                width = len(row)
            yield row
    except Exception as error:  # noqa: BLE001 - a damaged sheet part, met while reading
        if isinstance(error, Unreadable):
            raise
        raise Unreadable("the file is not a readable .xlsx workbook") from None
    finally:
        book.close()


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("the file is neither an .xlsx workbook nor a UTF-8 CSV file") from None
    first = text.split("\n", 1)[0]
    # Kobo writes ";" by default, ODK Central ","; the header line says which.
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error as error:
        raise Unreadable(f"the CSV file cannot be read: {error}") from None


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()
