"""Reading a workbook's sheets, bounded, from .xlsx bytes or a Markdown table.

We read the cells ourselves rather than through pyxform: pyxform drops columns it does not
know (`guideline_section`, `correct`, ...) and trusts the zip. An .xlsx is checked entry by
entry (count, inflated size, compression ratio, no DTD) before openpyxl opens it; Markdown
tables are the form pyxform's own tests use (handy for fixtures). Row numbers are the
spreadsheet's: the header is row 1. As pyxform does, a sheet ends after 60 blank rows in a row
and the header after 20 blank columns, so both readers see the same form.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import limits
from .problems import FormError, Problem

__all__ = ["Row", "Sheet", "Workbook", "check_zip", "read_markdown", "read_workbook", "read_xlsx"]

_BLANK_ROWS_END_A_SHEET = 60  # pyxform's get_excel_rows
_BLANK_COLUMNS_END_A_HEADER = 20  # pyxform's get_excel_column_headers
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: tuple[tuple[str, str], ...]  # (column header, text), non-blank cells only

    def get(self, column: str) -> str:
        return dict(self.cells).get(column, "")


@dataclass(frozen=True)
class Sheet:
    name: str  # as written in the workbook
    header: tuple[str, ...]
    rows: tuple[Row, ...]  # blank rows left out


@dataclass(frozen=True)
class Workbook:
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet | None:
        """A sheet by its lower-case name; a workbook of one sheet is its survey sheet."""
        for sheet in self.sheets:
            if sheet.name.strip().lower() == name:
                return sheet
        if name == "survey" and len(self.sheets) == 1:
            return self.sheets[0]
        return None


def _fail(message: str, sheet: str = "", row: int = 0, column: str = "") -> FormError:
    return FormError([Problem(sheet, row, column, message)])


def read_workbook(data: bytes, filename: str = "") -> Workbook:
    """The sheets of an .xlsx file or a Markdown table, or FormError saying why not."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise _fail(
            f"the file is too large: {len(data):,} bytes, at most {limits.MAX_FILE_BYTES:,} "
            "(limit MAX_FILE_BYTES)"
        )
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail("old .xls workbooks are not supported: save the file as .xlsx")
    if data.startswith(b"PK"):
        return read_xlsx(data)
    if suffix in ("xlsx", "xlsm"):
        raise _fail("the file is not an .xlsx workbook (not a zip archive)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail("the file is neither an .xlsx workbook nor a UTF-8 Markdown table") from None
    return read_markdown(text)


# ---- .xlsx


def _check_zip(data: bytes) -> None:
    check_zip(data)


def check_zip(data: bytes, budget: int = limits.MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse a zip bomb before anything inflates it into memory: every entry is inflated
    here in chunks, counting what comes out, so a lying header changes nothing. `budget` is
    the most all entries may inflate to (an import of answers is larger than a form)."""
    too_large = _too_large(budget)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _fail("the file is not a readable .xlsx workbook (a damaged zip archive)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.MAX_ZIP_ENTRIES:
            raise _fail(
                f"the workbook holds {len(entries):,} files, at most {limits.MAX_ZIP_ENTRIES} "
                "(limit MAX_ZIP_ENTRIES)"
            )
        # What the headers declare first (cheap), then what really comes out (a header can lie).
        declared = sum(entry.file_size for entry in entries)
        if declared > budget:
            raise _fail(too_large)
        for entry in entries:
            if entry.file_size > _CHUNK and entry.file_size > _ratio_limit(entry):
                raise _fail(_too_compressed(entry.filename, entry.file_size / entry.compress_size))
        total = 0
        for entry in entries:
            total += _inflate(archive, entry, budget - total, too_large)


def _too_large(budget: int) -> str:
    return (
        f"the workbook inflates to more than {budget:,} bytes (limit MAX_UNCOMPRESSED_BYTES)"
        if budget == limits.MAX_UNCOMPRESSED_BYTES
        else f"the workbook inflates to more than {budget:,} bytes"
    )


def _ratio_limit(entry: zipfile.ZipInfo) -> int:
    return max(entry.compress_size, 1) * limits.MAX_COMPRESSION_RATIO


def _too_compressed(name: str, ratio: float) -> str:
    return (
        f"'{name}' in the workbook is compressed {ratio:,.0f} times, at most "
        f"{limits.MAX_COMPRESSION_RATIO} (limit MAX_COMPRESSION_RATIO)"
    )


# Damaged data, an unsupported compression method, or a password.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
               ValueError, EOFError)  # fmt: skip


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int, too_large: str) -> int:
    size = 0
    tail = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > budget:
                    raise _fail(too_large)
                if size > _CHUNK and size > _ratio_limit(entry):
                    raise _fail(_too_compressed(entry.filename, size / entry.compress_size))
                # Excel never writes a DTD; entity definitions are how XML bombs expand.
                if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                    raise _fail(f"'{entry.filename}' in the workbook declares a DTD")
                tail = chunk[-16:]
    except FormError:
        raise
    except _UNREADABLE:
        raise _fail(f"'{entry.filename}' in the workbook cannot be read") from None
    return size


def _cell_text(value: object) -> str:
    # The same text pyxform makes of a cell (xlsx_value_to_str).
    if value is None:
        return ""
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


def read_xlsx(data: bytes) -> Workbook:
    _check_zip(data)
    from openpyxl import load_workbook  # only here: Markdown forms need no openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (data validation, styles); irrelevant here.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            try:
                names = list(book.sheetnames)
                if len(names) > limits.MAX_SHEETS:
                    raise _fail(
                        f"the workbook has {len(names)} sheets, at most {limits.MAX_SHEETS} "
                        "(limit MAX_SHEETS)"
                    )
                sheets = []
                for name in names:
                    if len(names) > 1 and name.strip().lower() not in _SHEETS_READ:
                        continue  # pyxform ignores other sheets too (notes, lists of codes)
                    worksheet = book[name]
                    rows = worksheet.iter_rows(max_col=limits.MAX_COLUMNS + 1, values_only=True)
                    sheets.append(_sheet(name, ([_cell_text(v) for v in row] for row in rows)))
            finally:
                book.close()
    except FormError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a malformed workbook
        raise _fail("the file is not a readable .xlsx workbook") from None
    return Workbook(tuple(sheets))


_SHEETS_READ = {"survey", "choices", "settings"}


def _header(name: str, cells: Sequence[str]) -> tuple[str, ...]:
    header: list[str] = []
    blank = 0
    for cell in cells:
        text = " ".join(cell.split())
        if not text:
            blank += 1
            if blank > _BLANK_COLUMNS_END_A_HEADER:
                break
        else:
            blank = 0
        header.append(text)
    while header and not header[-1]:
        header.pop()
    if len(header) > limits.MAX_COLUMNS:
        raise _fail(f"more than {limits.MAX_COLUMNS} columns (limit MAX_COLUMNS)", name, 1)
    seen: set[str] = set()
    for text in header:
        if text and text in seen:
            raise _fail(f"the column '{text}' appears twice", name, 1, text)
        seen.add(text)
    return tuple(header)


def _sheet(name: str, rows: Iterable[Sequence[str]]) -> Sheet:
    """A sheet from its rows of cell texts (the first row is the header)."""
    iterator = iter(rows)
    header = _header(name, next(iterator, []))
    found: list[Row] = []
    blank = 0
    for number, cells in enumerate(iterator, start=2):
        pairs = tuple(
            (column, _bounded(text, name, number, column))
            for column, text in zip(header, cells, strict=False)
            if column and text
        )
        if not pairs:
            blank += 1
            if blank > _BLANK_ROWS_END_A_SHEET:
                break
            continue
        blank = 0
        if number > limits.MAX_ROWS:
            raise _fail(f"more than {limits.MAX_ROWS:,} rows (limit MAX_ROWS)", name, number)
        found.append(Row(number, pairs))
    return Sheet(name, header, tuple(found))


def _bounded(text: str, sheet: str, row: int, column: str) -> str:
    if len(text) > limits.MAX_CELL_CHARS:
        raise _fail(
            f"the cell holds {len(text):,} characters, at most {limits.MAX_CELL_CHARS:,} "
            "(limit MAX_CELL_CHARS)",
            sheet,
            row,
            column,
        )
    return text


# ---- Markdown (the table format of pyxform's tests)

_PIPE = re.compile(r"(?<!\\)\|")
_SEPARATOR = re.compile(r"^[\s|:-]+$")


def read_markdown(text: str) -> Workbook:
    """Sheets from a Markdown table: a row whose first cell is filled starts a sheet (its
    name), the next row is its header, then its rows; `#` starts a comment line."""
    tables: list[tuple[str, list[list[str]]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|") or _SEPARATOR.match(stripped):
            continue
        cells = [c.strip().replace("\\|", "|") for c in _PIPE.split(stripped)[1:]]
        if cells and not cells[-1] and stripped.endswith("|"):
            cells.pop()
        if not cells:
            continue
        if cells[0]:
            if len(tables) >= limits.MAX_SHEETS:
                raise _fail(f"more than {limits.MAX_SHEETS} sheets (limit MAX_SHEETS)")
            tables.append((cells[0], []))
        elif tables and any(cells[1:]):
            if len(tables[-1][1]) > limits.MAX_ROWS:
                raise _fail(
                    f"more than {limits.MAX_ROWS:,} rows (limit MAX_ROWS)",
                    tables[-1][0],
                    limits.MAX_ROWS + 1,
                )
            tables[-1][1].append(cells[1 : limits.MAX_COLUMNS + 2])
    if not tables:
        raise _fail("the file holds no sheet: it is neither an .xlsx workbook nor a form table")
    return Workbook(tuple(_sheet(name, rows) for name, rows in tables))
