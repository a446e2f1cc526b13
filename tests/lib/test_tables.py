"""Every CSV and XLSX cell is inert in a spreadsheet: text never becomes a formula, numbers
stay numbers, and no text can break out of its cell or its row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from caseroom.lib.tables import DANGEROUS, safe_cell, write_csv, write_xlsx, write_xlsx_book

FORMULA = '=HYPERLINK("http://x","click")'


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def cells(sheet: Worksheet, rows: int | None = None) -> list[list[XlsxCell | MergedCell]]:
    """The sheet's cells by row; `rows` reads that many, empty rows at the end included."""
    return [list(row) for row in sheet.iter_rows(max_row=rows)]


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_text_starting_with_a_formula_character_gets_a_leading_quote(prefix: str) -> None:
    assert safe_cell(f"{prefix}1+1") == f"'{prefix}1+1"


@pytest.mark.parametrize("text", [" =1+1", "\n-2", "\u00a0@SUM(A1)", "  +3"])
def test_whitespace_before_a_formula_character_does_not_hide_it(text: str) -> None:
    assert safe_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    "value",
    [-3, 0, 2.5, -0.5, Decimal("-1.25"), True, None, dt.date(2025, 1, 2), dt.time(9, 30)],
)
def test_numbers_dates_and_booleans_stay_what_they_are(value: object) -> None:
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["Ana", "'=already quoted", "a=b", "1-2", "", "e-mail"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_other_objects_are_written_as_their_text() -> None:
    class Name:
        def __str__(self) -> str:
            return "-Ana"

    assert safe_cell(Name()) == "'-Ana"


def test_values_no_spreadsheet_or_encoder_takes_become_text() -> None:
    assert safe_cell(float("nan")) == "nan"
    assert safe_cell(float("-inf")) == "'-inf"
    assert safe_cell("a\ud800b") == "a\ufffdb"  # a lone surrogate would fail to encode


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_a_csv_cell_with_a_formula_character_is_inert(prefix: str) -> None:
    rows = read_csv(write_csv([[f"{prefix}{FORMULA[1:]}", -3]], ["name", "points"]))
    assert rows == [["name", "points"], [f"'{prefix}{FORMULA[1:]}", "-3"]]


def test_a_carriage_return_cannot_start_a_new_csv_row() -> None:
    """Excel reads a lone CR as the end of a row: unquoted, the formula after it would start
    a row of its own, past the leading-quote check."""
    text = write_csv([[f"Ana\r{FORMULA}", 1]], ["name", "n"])
    assert read_csv(text) == [["name", "n"], [f"Ana\r{FORMULA}", "1"]]
    assert f'"Ana\r{FORMULA.replace(chr(34), 2 * chr(34))}"' in text


def test_csv_rows_may_be_mappings_read_by_the_header() -> None:
    text = write_csv([{"b": "=2", "a": 1, "ignored": "x"}, {"a": -1}], ["a", "b"])
    assert read_csv(text) == [["a", "b"], ["1", "'=2"], ["-1", ""]]


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_an_xlsx_cell_with_a_formula_character_is_a_string(prefix: str) -> None:
    sheet = read_xlsx(write_xlsx([[f"{prefix}{FORMULA[1:]}", -3]], ["name", "points"], "steps"))
    name, points = cells(sheet)[1]
    assert (name.data_type, name.value) == ("s", f"'{prefix}{FORMULA[1:]}")
    assert (points.data_type, points.value) == ("n", -3)


def test_xlsx_text_that_looks_like_an_error_value_stays_text() -> None:
    sheet = read_xlsx(write_xlsx([["#N/A", "#DIV/0!"]], ["a", "b"], "t"))
    assert [(c.data_type, c.value) for c in cells(sheet)[1]] == [("s", "#N/A"), ("s", "#DIV/0!")]


def test_xlsx_control_characters_are_replaced_not_refused() -> None:
    """openpyxl raises IllegalCharacterError on them: the whole export was a 500."""
    sheet = read_xlsx(write_xlsx([["Ana\x01\x1f", "tab\tand\nline"]], ["a", "b"], "t"))
    assert [c.value for c in cells(sheet)[1]] == ["Ana\ufffd\ufffd", "tab\tand\nline"]


def test_xlsx_keeps_numbers_dates_and_an_aware_time_as_text() -> None:
    moment = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    sheet = read_xlsx(
        write_xlsx([[-2, 1.5, dt.date(2025, 3, 1), moment, None]], list("abcde"), "t")
    )
    a, b, c, d, e = cells(sheet)[1]
    assert (a.value, b.value, c.value, d.value, e.value) == (
        -2,
        1.5,
        dt.datetime(2025, 3, 1, tzinfo=None),  # noqa: DTZ001 (openpyxl reads dates back naive)
        "2025-03-01T09:30:00+00:00",
        None,
    )
    assert (a.data_type, b.data_type, c.data_type, d.data_type) == ("n", "n", "d", "s")


def test_the_xlsx_header_is_frozen_and_the_sheet_title_made_valid() -> None:
    sheet = read_xlsx(write_xlsx([], ["=a"], "Results: [round 1/2] of a very long programme"))
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Results round 1 2 of a very lon"
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "'=a")


# ---------------------------------------------------------------- properties

texts = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["", *DANGEROUS, " =", "\n-", "\u3000@", "'"]),
    st.text(max_size=30),
)
values = st.one_of(
    texts,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.none(),
)
tables = st.lists(st.lists(values, min_size=3, max_size=3), max_size=6)
HEADER = ["name", "team", "answer"]


def is_inert(text: str) -> bool:
    """Quoted, or starting with nothing a spreadsheet would read as a formula."""
    return text.startswith("'") or not text.lstrip().startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(max_examples=60, deadline=None)
@given(tables)
def test_no_string_cell_of_an_xlsx_is_a_formula(rows: list[list[object]]) -> None:
    sheet = read_xlsx(write_xlsx(rows, HEADER, "steps"))
    written = cells(sheet, len(rows) + 1)
    assert sheet.max_row <= len(rows) + 1  # no text made a row of its own
    for row, line in zip(rows, written[1:], strict=True):
        for value, cell in zip(row, line, strict=True):
            assert cell.data_type != "f"
            if value == "" or value is None:
                assert cell.value is None
            elif isinstance(value, str):
                assert cell.data_type == "s" and isinstance(cell.value, str)
                assert is_inert(cell.value), cell.value
            else:
                assert cell.data_type == "n"


@settings(max_examples=100, deadline=None)
@given(tables)
def test_no_csv_cell_starts_a_formula_and_every_row_stays_one_row(rows: list[list[object]]) -> None:
    parsed = read_csv(write_csv(rows, HEADER))
    assert len(parsed) == len(rows) + 1
    for row, line in zip(rows, parsed[1:], strict=True):
        for value, cell in zip(row, line, strict=True):
            if isinstance(value, str):
                assert is_inert(cell), cell
                assert cell == safe_cell(value)  # nothing lost but a leading quote added
            elif isinstance(value, int | float):
                assert float(cell) == value  # a negative number is still a number


def test_a_book_of_sheets_gets_valid_unique_titles_and_inert_cells() -> None:
    data = write_xlsx_book(
        [
            ("People by sex: 2026/27", ["Name", "Count"], [["=cmd|'/c calc'!A1", 3]]),
            ("people by sex: 2026/27", ["Name", "Count"], [{"Name": "@SUM(A1)", "Count": 5}]),
        ]
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["People by sex 2026 27", "people by sex 2026 27 (2)"]
    first, second = book.worksheets
    assert first["A2"].value == "'=cmd|'/c calc'!A1" and first["A2"].data_type == "s"
    assert (second["A2"].value, second["B2"].value) == ("'@SUM(A1)", 5)
