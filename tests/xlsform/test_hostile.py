"""Hostile files are refused quickly, with a message, never a hang or a traceback."""

from __future__ import annotations

import io
import random
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from openpyxl import Workbook

from caseroom.xlsform import FormError, Problem, limits, read_form
from tests.xlsform.conftest import fixture_bytes, xlsx_of

QUICK = 2.0  # seconds: each of these is refused in well under one on a laptop


@contextmanager
def quickly() -> Iterator[None]:
    start = time.perf_counter()
    yield
    assert time.perf_counter() - start < QUICK


def refused(data: bytes, filename: str = "form.xlsx") -> list[Problem]:
    with quickly(), pytest.raises(FormError) as raised:
        read_form(data, filename)
    return raised.value.problems


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    data = _zip({"xl/worksheets/sheet1.xml": b"<" + b"a" * 5_000_000})
    assert len(data) < 10_000
    [problem] = refused(data)
    assert "compressed" in problem.message and "MAX_COMPRESSION_RATIO" in problem.message


def test_a_workbook_inflating_past_the_limit_is_refused() -> None:
    noise = random.Random(1)
    # Random a's and b's compress about 7 times: under the ratio, over the total.
    two_letters = bytes.maketrans(bytes(range(256)), b"ab" * 128)
    entries = {
        f"xl/worksheets/sheet{i}.xml": noise.randbytes(1_000_000).translate(two_letters)
        for i in range(9)
    }
    data = _zip(entries)
    assert len(data) <= limits.MAX_FILE_BYTES
    [problem] = refused(data)
    assert "MAX_UNCOMPRESSED_BYTES" in problem.message


def test_a_workbook_of_too_many_files_is_refused() -> None:
    [problem] = refused(_zip({f"x/{i}.xml": b"<a/>" for i in range(500)}))
    assert "MAX_ZIP_ENTRIES" in problem.message


def test_an_xml_entity_bomb_is_refused_before_any_xml_is_parsed() -> None:
    good = zipfile.ZipFile(io.BytesIO(xlsx_of(fixture_bytes("knowledge.md").decode())))
    entries = {name: good.read(name) for name in good.namelist()}
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'
    entries["xl/sharedStrings.xml"] = laughs
    [problem] = refused(_zip(entries))
    assert "declares a DTD" in problem.message


def test_a_file_of_ten_megabytes_is_refused_unread() -> None:
    [problem] = refused(b"PK" + b"\0" * 10_000_000)
    assert "MAX_FILE_BYTES" in problem.message


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0 old excel", b"\xff\xfe\x00garbage", b""],
)
def test_bytes_that_are_no_workbook_are_refused_with_a_message(data: bytes) -> None:
    assert refused(data, "upload")[0].message


def test_deeply_nested_groups_are_refused_at_the_first_level_too_deep() -> None:
    rows = "".join(f"| | begin group | g{i} | G |\n" for i in range(2000))
    problems = refused(("| survey |\n| | type | name | label |\n" + rows).encode(), "deep.md")
    assert problems == [
        Problem("survey", 2 + limits.MAX_GROUP_DEPTH, "type",
                "groups are nested more than 8 deep (limit MAX_GROUP_DEPTH)"),
    ]  # fmt: skip


def test_a_huge_expression_is_refused_without_parsing_it() -> None:
    relevant = " and ".join(["${a} = 1"] * 10_000)[: limits.MAX_CELL_CHARS]
    markdown = f"| survey |\n| | type | name | label | relevant |\n| | integer | a | A | |\n| | text | b | B | {relevant} |\n"
    [problem] = refused(markdown.encode(), "huge.md")
    assert (problem.row, problem.column) == (3, "relevant")
    assert "MAX_EXPRESSION_CHARS" in problem.message


def test_a_cell_longer_than_any_form_needs_is_refused() -> None:
    label = "x" * (limits.MAX_CELL_CHARS + 1)
    markdown = f"| survey |\n| | type | name | label |\n| | text | a | {label} |\n"
    [problem] = refused(markdown.encode(), "long.md")
    assert (problem.row, problem.column) == (2, "label")


def test_a_sheet_of_too_many_rows_is_refused() -> None:
    rows = "".join(f"| | text | q{i} | Q |\n" for i in range(limits.MAX_ROWS + 10))
    problems = refused(("| survey |\n| | type | name | label |\n" + rows).encode(), "rows.md")
    assert any("MAX_ROWS" in p.message for p in problems)


def test_too_many_questions_are_refused() -> None:
    rows = "".join(f"| | text | q{i} | Q |\n" for i in range(limits.MAX_QUESTIONS + 5))
    problems = refused(("| survey |\n| | type | name | label |\n" + rows).encode(), "q.md")
    assert any("MAX_QUESTIONS" in p.message for p in problems)


def test_a_sheet_claiming_a_million_rows_is_read_to_its_last_real_row() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["text", "a", "A"])
    sheet.cell(row=1_000_000, column=16_000, value="far away")  # after pyxform's 60 blank rows
    buffer = io.BytesIO()
    book.save(buffer)
    with quickly():
        form = read_form(buffer.getvalue(), "far.xlsx")
    assert [q.name for q in form.questions] == ["a"]
