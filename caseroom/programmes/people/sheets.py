"""An uploaded registration list (XLSX or CSV) read into rows of text, within fixed bounds.

Anyone with a manager's account uploads these, often straight from an e-mail attachment, so
nothing about the file is trusted. Bounds: 5 MB uploaded; for an XLSX, its zip's table of
contents (read before openpyxl sees the file, as scenarios/unzip.py does), the sizes its
entries declare (zipfile never inflates an entry past its declared size, so declared sizes
bound the work: 60 MB in all, at most 100 times an entry's packed size) and no encryption or
exotic compression; then at most 20,000 rows with data, 60 columns and 1,000 characters a
cell. A refusal is a `SheetRefused` with the words to show; no exception from zipfile,
openpyxl or the csv module reaches a view. openpyxl parses with the standard library's expat,
which refuses entity-expansion ("billion laughs") documents since Python 3.7.1 / expat 2.4.

Why not tablib or django-import-export: tablib wraps the same openpyxl and csv calls without
bounds or row numbers; django-import-export saves row by row (its dry run writes and rolls
back) and reports by dataset index, where a manager needs the spreadsheet's row number and a
file that is either wholly written or not touched. Reading is the easy part; the rules of
`importer.py` are ours either way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

from django.utils.translation import gettext as _

__all__ = ["LIMITS", "Limits", "SheetRefused", "Table", "read_table"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The largest registration list seen (267 officers of a module, Module 1) is far inside
    every bound; 20,000 rows leave room for a whole programme's list."""

    upload_bytes: int = 5 * MB
    rows: int = 20_000
    # Rows read at all, empty ones included: formatted but empty rows cost parsing too.
    scanned_rows: int = 100_000
    columns: int = 60
    cell_chars: int = 1000
    # XLSX only.
    directory_bytes: int = 256 * 1024  # an XLSX has a dozen entries: 1 KB of directory
    entries: int = 500
    unpacked_bytes: int = 60 * MB
    ratio: int = 100
    ratio_floor: int = 1 * MB


LIMITS = Limits()
ENCRYPTED = 0x1


class SheetRefused(Exception):
    """The file cannot be read; the message (translated) says why."""


@dataclass(frozen=True)
class Table:
    """The rows that hold anything, each with its row number in the spreadsheet (1-based)."""

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    note: str = ""  # e.g. the encoding a CSV was read in, when it was not UTF-8
    sheet: str = ""


def read_table(source: bytes | IO[bytes], filename: str, limits: Limits = LIMITS) -> Table:
    """The rows of an XLSX (first sheet) or CSV file; raises `SheetRefused`."""
    data = source if isinstance(source, bytes) else source.read(limits.upload_bytes + 1)
    if len(data) > limits.upload_bytes:
        raise SheetRefused(
            _("The file is larger than %(mb)d MB.") % {"mb": limits.upload_bytes // MB}
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetRefused(
            _(
                "This is an old Excel file (.xls) or a workbook protected by a password: save "
                "it as .xlsx without a password, or as CSV, and upload it again."
            )
        )
    return _read_csv(data, limits)


def _bounded(
    raw_rows: Iterable[tuple[int, Iterable[object]]], limits: Limits
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Non-empty rows as text, refusing past the row bound, cutting columns and cells."""
    kept: list[tuple[int, tuple[str, ...]]] = []
    for scanned, (number, cells) in enumerate(raw_rows, start=1):
        if scanned > limits.scanned_rows:
            raise SheetRefused(_too_many_rows(limits))
        texts = [_text(value)[: limits.cell_chars + 1] for value in islice(cells, limits.columns)]
        while texts and not texts[-1]:
            texts.pop()  # openpyxl pads rows to the sheet's width
        if not texts:
            continue
        kept.append((number, tuple(texts)))
        if len(kept) > limits.rows + 1:  # the header row is one of them
            raise SheetRefused(_too_many_rows(limits))
    return tuple(kept)


def _too_many_rows(limits: Limits) -> str:
    return _("The file has more than %(n)s rows; split it into smaller files.") % {
        "n": f"{limits.rows:,}"
    }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number: 38164123456, not …e+10
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())  # line breaks and runs of spaces inside a cell


# ---------------------------------------------------------------- CSV


def _read_csv(data: bytes, limits: Limits) -> Table:
    text, note = _decode(data)
    delimiter = _delimiter(text[: 64 * 1024])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        # reader.line_num counts physical lines; a row number is what a spreadsheet shows.
        yield from enumerate(reader, start=1)

    try:
        rows = _bounded(numbered(), limits)
    except csv.Error as error:
        raise SheetRefused(_("The CSV file cannot be read: %(e)s") % {"e": error}) from None
    return Table(rows=rows, note=note)


def _delimiter(sample: str) -> str:
    """Comma, semicolon (Excel's "CSV" where the decimal mark is a comma, as in the region) or
    tab: the one that splits the first lines into the most columns, judged by the median line
    so that a title line above the table does not decide (csv.Sniffer is misled by one)."""
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    best, best_width = ",", 0
    for candidate in (",", ";", "\t"):
        try:
            widths = sorted(len(row) for row in csv.reader(lines, delimiter=candidate))
        except csv.Error:
            continue
        width = widths[len(widths) // 2] if widths else 0
        if width > best_width:
            best, best_width = candidate, width
    return best


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without Excel's BOM), UTF-16 with a BOM, else Windows-1250 (what Excel
    in the region saves as "CSV" from a Latin-script locale), said in the report."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        note = _(
            "The file is not UTF-8; it was read as Windows-1250. If letters look wrong, save "
            'it as "CSV UTF-8" and upload it again.'
        )
        return data.decode("cp1250", errors="replace"), note


# ---------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes, limits: Limits) -> Table:
    _check_zip(data, limits)
    from openpyxl import load_workbook  # here: a CSV upload never pays for the import

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises anything from KeyError to its own errors
        raise SheetRefused(
            _("The file cannot be read as an Excel workbook (%(e)s).") % {"e": type(error).__name__}
        ) from None
    try:
        sheet = book.worksheets[0]
        title = str(sheet.title)
        rows = _bounded(_xlsx_rows(sheet, limits), limits)
    except SheetRefused:
        raise
    except Exception as error:
        raise SheetRefused(
            _("The workbook is damaged (%(e)s).") % {"e": type(error).__name__}
        ) from None
    finally:
        book.close()
    return Table(rows=rows, sheet=title)


def _xlsx_rows(sheet: object, limits: Limits) -> Iterator[tuple[int, tuple[object, ...]]]:
    # In read-only mode openpyxl yields rows missing from the file as empty rows, so the
    # position is the row number; cells past max_col are never built.
    yield from enumerate(
        sheet.iter_rows(max_col=limits.columns, values_only=True),  # type: ignore[attr-defined]
        start=1,
    )


class _DirectoryTooLarge(Exception):
    pass


class _DirectoryGuard:
    """The upload as zipfile reads it, refusing the one large read of the table of contents
    (its size comes from the zip's end record): scenarios/unzip.py explains the approach."""

    def __init__(self, file: io.BytesIO, limit: int) -> None:
        self.file, self.limit, self.size = file, limit, len(file.getbuffer())

    def read(self, n: int = -1, /) -> bytes:
        wanted = self.size - self.file.tell() if n < 0 else n
        if wanted > self.limit:
            raise _DirectoryTooLarge
        return self.file.read(n)

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def seekable(self) -> bool:
        return True


def _check_zip(data: bytes, limits: Limits) -> None:
    damaged = _("The file is not a valid Excel workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(_DirectoryGuard(io.BytesIO(data), limits.directory_bytes))
    except _DirectoryTooLarge:
        raise SheetRefused(damaged) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise SheetRefused(damaged) from None
    except (NotImplementedError, UnicodeDecodeError):
        raise SheetRefused(damaged) from None
    with archive:
        infos = archive.infolist()
    if len(infos) > limits.entries:
        raise SheetRefused(damaged)
    total = 0
    for info in infos:
        if info.flag_bits & ENCRYPTED:
            raise SheetRefused(
                _("The workbook is protected by a password: save it without one and upload again.")
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetRefused(damaged)
        if info.file_size > max(limits.ratio * info.compress_size, limits.ratio_floor):
            raise SheetRefused(_("The workbook expands too much when opened (a likely zip bomb)."))
        total += info.file_size
    if total > limits.unpacked_bytes:
        raise SheetRefused(
            _("The workbook holds more than %(mb)d MB once unpacked; split it into smaller files.")
            % {"mb": limits.unpacked_bytes // MB}
        )
