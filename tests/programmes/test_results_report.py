"""The donor report: known numbers, suppressed cells in every format, traces, query counts."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseroom.programmes.models import Programme
from caseroom.programmes.results.report import build_report
from caseroom.programmes.results.report_docx import render_docx
from caseroom.programmes.results.report_xlsx import render_xlsx

from .support_results import enrol, known_programme, logframe, people, session_of

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """The text of every cell of every table with an id, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[list[str | None]]] = {}
        self._id: str | None = None
        self._cell: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("id"):
            self._id = found["id"]
            self.tables[self._id] = []
            self.links[self._id] = []
        elif tag == "tr" and self._id:
            self.tables[self._id].append([])
            self.links[self._id].append([])
        elif tag in ("td", "th") and self._id:
            self._cell, self._href = [], None
        elif tag == "a" and self._cell is not None:
            self._href = found.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._id = None
        elif tag in ("td", "th") and self._id and self._cell is not None:
            self.tables[self._id][-1].append(" ".join("".join(self._cell).split()))
            self.links[self._id][-1].append(self._href)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def test_a_known_small_programme_gives_the_expected_numbers(programme: Programme) -> None:
    known_programme(programme)
    report = build_report(programme, programme.starts_on, programme.ends_on)
    assert [(label, cell.value) for label, cell in report.headline] == [
        ("People trained", 20),
        ("Sessions", 3),
        ("Training days", 7),
        ("Trainers from a ToT", 2),
        ("People they trained", 12),
    ]
    by_sex_country, by_agency, by_module = report.people
    assert [[c.value for c in line] for line in by_sex_country.cells] == [[7, 6], [7, 0]]
    assert [line[0].value for line in by_agency.cells] == [None, 12, None]
    assert [line[0].value for line in by_module.cells] == [None, None]  # 18 and 2
    sessions, days = report.delivery
    assert sessions.rows == ("Module 1: Fundamentals", "Module 2: Training of trainers")
    assert [[c.value for c in line] for line in sessions.cells] == [[1, 1], [1, 0]]
    assert [[c.value for c in line] for line in days.cells] == [[3, 2], [2, 0]]
    # Two trainers is too few to break down by country; the total stays public.
    assert report.reach.trainers_table.withheld
    assert (report.reach.trainers.value, report.reach.reached.value) == (2, 12)
    assert str(report.reach.multiplier) == "6.0"
    assert [row.multiplier for row in report.reach.rows] == [None]


def test_suppressed_cells_never_appear_as_numbers_on_the_page(
    programme: Programme, manager_client: Client
) -> None:
    known_programme(programme)
    page = manager_client.get(reverse("programmes:report", args=[programme.pk]))
    assert page.status_code == 200
    tables = _tables(page.content.decode())
    assert tables.tables["people-by-agency"] == [
        ["Agency", "People trained"],
        ["Border Police", "suppressed"],
        ["Police", "12"],
        ["Prosecution", "suppressed"],
        ["Total", "20"],
    ]
    assert tables.tables["people-by-module"][1:3] == [
        ["Module 1: Fundamentals", "suppressed"],
        ["Module 2: Training of trainers", "suppressed"],
    ]
    # The hidden ones have no link; the shown ones link to their trace.
    links = tables.links["people-by-agency"]
    assert links[1][1] is None and links[3][1] is None
    assert links[2][1] is not None and "agency=Police" in links[2][1]


def test_suppressed_cells_are_text_in_the_xlsx_which_opens_with_a_sheet_per_table(
    programme: Programme,
) -> None:
    known_programme(programme)
    logframe(programme)
    book = openpyxl.load_workbook(
        io.BytesIO(render_xlsx(build_report(programme, programme.starts_on, programme.ends_on)))
    )
    assert book.sheetnames[:3] == ["Summary", "Logframe", "Trained by sex and country"]
    assert "Trained by agency" in book.sheetnames
    assert "1.1.a Sex × Country" in book.sheetnames  # an indicator's own breakdown
    agency = [list(row) for row in book["Trained by agency"].iter_rows(values_only=True)]
    assert agency == [
        ["Agency", "People trained"],
        ["Border Police", "suppressed"],
        ["Police", 12],
        ["Prosecution", "suppressed"],
        ["Total", 20],
    ]
    logframe_rows = list(book["Logframe"].iter_rows(values_only=True))
    assert logframe_rows[1][2:8] == ("1.1.a", "Indicator 1.1.a", 0, 40, 20, 50)


def test_suppressed_cells_are_text_in_the_docx_which_opens_with_python_docx(
    programme: Programme,
) -> None:
    known_programme(programme)
    logframe(programme)
    document = docx.Document(
        io.BytesIO(render_docx(build_report(programme, programme.starts_on, programme.ends_on)))
    )
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    assert [
        ["Agency", "People trained"],
        ["Border Police", "suppressed"],
        ["Police", "12"],
        ["Prosecution", "suppressed"],
        ["Total", "20"],
    ] in tables
    assert len(document.inline_shapes) >= 3  # the charts


def test_the_pdf_is_a_pdf_or_the_page_says_what_to_install(
    programme: Programme, manager_client: Client
) -> None:
    known_programme(programme)
    answer = manager_client.get(reverse("programmes:report_pdf", args=[programme.pk]))
    if answer.status_code == 302:  # WeasyPrint or Pango missing on this machine
        assert "WeasyPrint" in manager_client.get(answer["Location"]).content.decode()
    else:
        assert answer.status_code == 200
        assert answer.content.startswith(b"%PDF")


def test_a_period_out_of_order_shows_the_form_again_with_the_message_by_the_field(
    programme: Programme, observer_client: Client
) -> None:
    url = reverse("programmes:report", args=[programme.pk])
    page = observer_client.get(url, {"start": "2026-12-01", "end": "2026-01-01"})
    assert page.status_code == 200
    assert "The end comes before the start." in page.content.decode()
    garbage = observer_client.get(url, {"start": "yesterday", "end": "9" * 200})
    assert garbage.status_code == 200
    download = observer_client.get(
        reverse("programmes:report_xlsx", args=[programme.pk]),
        {"start": "2026-12-01", "end": "2026-01-01"},
    )
    assert download.status_code == 302 and download["Location"].startswith(url)


def test_an_observer_reads_the_counts_but_their_trace_link_is_refused(
    programme: Programme, observer_client: Client, trainer_client: Client
) -> None:
    known_programme(programme)
    page = observer_client.get(reverse("programmes:report", args=[programme.pk]))
    assert page.status_code == 200
    link = _tables(page.content.decode()).links["people-by-agency"][2][1]
    assert link is not None
    assert observer_client.get(link).status_code == 403
    assert trainer_client.get(link).status_code == 200


def test_a_trace_lists_exactly_the_records_its_number_counts(
    programme: Programme, manager_client: Client
) -> None:
    known_programme(programme)
    page = manager_client.get(reverse("programmes:report", args=[programme.pk]))
    tables = _tables(page.content.decode())
    link = tables.links["people-by-sex-country"][1][1]  # Female × Serbia: 7
    assert link is not None
    trace = _tables(manager_client.get(link).content.decode())
    rows = trace.tables["trace-people"][1:]
    assert len(rows) == 7
    assert {row[2] for row in rows} == {"Serbia"} and {row[3] for row in rows} == {"Female"}
    # The sessions that made each count: S2 for the police officers, T1 for the trainers.
    assert any("ToT, Novi Sad" in row[4] for row in rows)
    sessions_link = tables.links["sessions-by-module-country"][1][1]
    assert sessions_link is not None
    listed = _tables(manager_client.get(sessions_link).content.decode())
    assert [row[0] for row in listed.tables["trace-sessions"][1:]] == ["Fundamentals, Belgrade"]


def test_a_trace_link_that_names_nothing_says_so_instead_of_failing(
    programme: Programme, manager_client: Client
) -> None:
    url = reverse("programmes:trace", args=[programme.pk])
    for query in (
        {},
        {"measure": "nonsense", "start": "2026-01-01", "end": "2026-12-31"},
        {"measure": "sessions", "start": "2026-01-01", "end": "2026-12-31", "sex": "F"},
        {"measure": "people_trained", "start": "2026-01-01", "end": "2026-12-31", "module": "x"},
        {"measure": "people_trained", "start": "2026-01-01", "end": "2026-12-31", "sex": "Q"},
    ):
        page = manager_client.get(url, query)
        assert page.status_code == 200
        assert "does not name a number" in page.content.decode()


def _grow(programme: Programme, times: int) -> None:
    module = programme.modules.get(number=1)
    for n in range(times):
        session = session_of(module, f"Extra {n}", dt.date(2026, 6, 1 + n), 2, "Ohrid", "MK")
        enrol(session, people(programme, 6, sex="M", country="MK", agency=f"Unit {n}"), days=2)


@pytest.mark.parametrize("extra", [1, 6])
def test_the_report_costs_the_same_queries_whatever_the_number_of_people(
    programme: Programme, django_assert_num_queries: DjangoAssertNumQueries, extra: int
) -> None:
    known_programme(programme)
    _grow(programme, extra)
    logframe(programme)
    # Cascade 4, modules 1, indicators 1, fixed tables 7; indicators (a table's total is the
    # value): people 1, sessions 1 (by module; sex does not apply), days 1, tot_people 1,
    # manual 0, gain 2 (who reached it, who was tested twice), reach 1, trainers 1.
    with django_assert_num_queries(4 + 9 + 8):
        report = build_report(programme, programme.starts_on, programme.ends_on)
    assert report.headline[0][1].value == 20 + 6 * extra


@pytest.mark.parametrize("extra", [1, 6])
def test_the_report_page_costs_the_same_queries_whatever_the_number_of_people(
    programme: Programme,
    manager_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    extra: int,
) -> None:
    known_programme(programme)
    _grow(programme, extra)
    logframe(programme)
    url = reverse("programmes:report", args=[programme.pk])
    # Session and user 2, role 1, programme 1, the report 21.
    with django_assert_num_queries(2 + 1 + 1 + 21):
        assert manager_client.get(url).status_code == 200
