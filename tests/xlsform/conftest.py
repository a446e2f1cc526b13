"""Fixtures of the questionnaire engine: forms as Markdown tables, and as .xlsx made from them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from caseroom.xlsform import Form, read_form
from caseroom.xlsform.sheets import read_markdown

FORMS = Path(__file__).parent / "forms"


def xlsx_of(markdown: str) -> bytes:
    """The .xlsx an author would save with the same cells, each at the row its table gives."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in read_markdown(markdown).sheets:
        out = book.create_sheet(sheet.name)
        for index, column in enumerate(sheet.header, start=1):
            out.cell(row=1, column=index, value=column)
        for row in sheet.rows:
            cells = dict(row.cells)
            for index, column in enumerate(sheet.header, start=1):
                if column in cells:
                    out.cell(row=row.number, column=index, value=cells[column])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fixture_bytes(name: str) -> bytes:
    return (FORMS / name).read_bytes()


@pytest.fixture(scope="session")
def knowledge() -> Form:
    """A pre/post knowledge test: every question type, a group, two languages, scoring."""
    return read_form(fixture_bytes("knowledge.md"), "knowledge.md")
