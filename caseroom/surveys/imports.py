"""Answers collected elsewhere (a KoboToolbox or ODK Central export of the same form, XLSX or
CSV) imported into a round: every row checked first, all written or none.

Columns are matched by question name, as the tools write them: `q1`, `group_a/q1` (Kobo) or
`group_a-q1` (ODK Central); a multiple choice is one column of space-separated names, or one
column per choice (`q/choice`, 1 or 0), or both (the combined column wins). Metadata
(`_uuid`, `_submission_time`, `start`, `KEY`, ...) is read where it means something here and
otherwise left alone; a calculation's column is left alone too, since its value is worked
out again. A column the form does not have is a problem, as is every answer xlsform refuses
(strictly: an answer to a question that does not apply is refused, as on the web form).

The key of an imported response is its submission's uuid (`_uuid`, else `meta/instanceID`
or `KEY`), so importing the same file twice stores nothing twice. Bounded like the form
reader: the file's size, rows and columns, and an .xlsx is checked for a zip bomb before
openpyxl opens it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseroom.xlsform import Form, review_answers, score

from .importfile import MAX_IMPORT_BYTES, MAX_IMPORT_COLUMNS, Unreadable, cell_text, read_rows
from .models import Response, Round
from .registry import form_of

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_COLUMNS",
    "MAX_IMPORT_ROWS",
    "ImportProblem",
    "ImportReport",
    "import_responses",
]

MAX_IMPORT_ROWS = 50_000
MAX_CELL_CHARS = 10_000
MAX_PROBLEMS = 200  # listed; the count says how many more there were

KEY_COLUMNS = ("_uuid", "meta/instanceID", "instanceID", "meta-instanceID", "KEY")
TIME_COLUMNS = ("_submission_time", "SubmissionDate")
# Columns of the tools' own, left alone (besides any column starting with "_").
METADATA = {
    "start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
    "subscriberid", "audit", "__version__", "formhub/uuid", "meta/rootUuid",
    "meta/deprecatedID", "meta/instanceName", "SubmitterID", "SubmitterName",
    "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
    "Edits", "FormVersion", "meta-instanceName",
}  # fmt: skip
_TRUE = {"1", "true", "yes", "True", "TRUE"}


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the file's row number (the header is row 1); 0: the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class ImportReport:
    rows: int = 0  # rows with answers read
    created: int = 0  # responses stored now
    already: int = 0  # rows imported before (same uuid): stored nothing
    problems: tuple[ImportProblem, ...] = ()
    problem_count: int = 0  # problems found, more than listed when over MAX_PROBLEMS

    @property
    def ok(self) -> bool:
        return not self.problem_count


class _Refused(Exception):
    def __init__(self, message: str, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.problem = ImportProblem(row, column, message)


# ---- the header


@dataclass
class _Columns:
    answers: dict[int, str] = field(default_factory=dict)  # column -> question
    picks: dict[int, tuple[str, str]] = field(default_factory=dict)  # column -> (question, choice)
    key: int | None = None
    time: int | None = None
    country: int | None = None
    agency: int | None = None
    names: dict[str, str] = field(default_factory=dict)  # question -> its column's header


def _paths(form: Form) -> dict[str, str]:
    """Every way the tools name a question's column, to the question's name."""
    found: dict[str, str] = {}
    for question in form.questions:
        parts = (*question.groups, question.name)
        for separator in ("/", "-", ":"):
            found.setdefault(separator.join(parts), question.name)
        found.setdefault(question.name, question.name)
    return found


def _header(form: Form, header: Sequence[Any], place: dict[str, str | None]) -> _Columns:
    if len(header) > MAX_IMPORT_COLUMNS:
        raise _Refused(f"more than {MAX_IMPORT_COLUMNS:,} columns", 1)
    columns = _Columns()
    paths = _paths(form)
    problems: list[ImportProblem] = []
    keys: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if text in KEY_COLUMNS:
            keys[text] = index
        if text in TIME_COLUMNS and columns.time is None:
            columns.time = index
        for which in ("country", "agency"):
            if place[which] and text == place[which]:
                setattr(columns, which, index)
        if (
            not text
            or text in METADATA
            or text.startswith("_")
            or text in (*KEY_COLUMNS, *TIME_COLUMNS)
        ):
            continue
        name = paths.get(text)
        head, _, last = text.rpartition("/")
        if name is not None:
            question = form.question(name)
            if question.answerable and name in columns.names:
                problems.append(ImportProblem(1, text, f"a second column for '{name}'"))
            elif question.answerable:
                columns.answers[index] = name
                columns.names[name] = text
        elif head in paths and form.question(paths[head]).type == "select_multiple":
            question = form.question(paths[head])
            if last not in {c.name for c in form.choices_of(question)}:
                problems.append(
                    ImportProblem(1, text, f"'{last}' is not a choice of '{question.name}'")
                )
            else:
                columns.picks[index] = (question.name, last)
        elif text not in (place["country"], place["agency"]):
            problems.append(ImportProblem(1, text, f"the form has no question '{text}'"))
    for which in ("country", "agency"):
        if place[which] and getattr(columns, which) is None:
            problems.append(ImportProblem(1, str(place[which]), f"no such column for the {which}"))
    found_key = next((keys[k] for k in KEY_COLUMNS if k in keys), None)
    if found_key is None:
        message = (
            "no _uuid column (KoboToolbox) nor meta/instanceID or KEY (ODK): each answer's "
            "uuid is what keeps a second import of the same file from storing it twice"
        )
        problems.append(ImportProblem(1, "_uuid", message))
    columns.key = found_key
    if problems:
        raise _HeaderProblems(problems)
    return columns


class _HeaderProblems(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problems in the header")
        self.problems = problems


# ---- the rows


@dataclass(frozen=True)
class _Row:
    number: int
    key: str
    submitted_at: dt.datetime
    answers: dict[str, Any]
    country: str
    agency: str


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(cell_text(value))
        except ValueError:
            return None
    # Kobo's _submission_time is UTC without saying so.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _answer(form: Form, name: str, value: Any) -> Any:
    kind = form.question(name).type
    if kind in ("integer", "decimal") and isinstance(value, int | float):
        return value
    if kind == "date" and isinstance(value, dt.datetime | dt.date):
        return value
    return cell_text(value)


def _read_row(
    form: Form, columns: _Columns, number: int, cells: list[Any], now: dt.datetime
) -> tuple[_Row | None, list[ImportProblem]]:
    def cell(index: int | None) -> Any:
        return cells[index] if index is not None and index < len(cells) else None

    problems = []
    for value in cells:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            problems.append(ImportProblem(number, "", f"a cell of more than {MAX_CELL_CHARS:,}"))
            return None, problems
    answers: dict[str, Any] = {}
    for index, name in columns.answers.items():
        answers[name] = _answer(form, name, cell(index))
    for index, (name, choice) in columns.picks.items():
        if name not in columns.names and cell_text(cell(index)) in _TRUE:
            answers.setdefault(name, [])
            answers[name].append(choice)
    key = cell_text(cell(columns.key))
    if not key or len(key) > 70:
        problems.append(ImportProblem(number, "_uuid", "no uuid of at most 70 characters"))
    moment = _moment(cell(columns.time)) if columns.time is not None else now
    if moment is None:
        problems.append(ImportProblem(number, "_submission_time", "not a date and time"))
    place = {w: cell_text(cell(getattr(columns, w))) for w in ("country", "agency")}
    for which, value in place.items():
        if len(value) > 64:
            problems.append(ImportProblem(number, which, "a code of at most 64 characters"))
    review = review_answers(
        form, answers, today=(moment or now).date(), strict=True
    )  # the day it was answered: today() in a constraint reads that day
    for name, complaint in review.complaints.items():
        problems.append(ImportProblem(number, columns.names.get(name, name), complaint.message))
    if problems or moment is None:
        return None, problems
    return _Row(number, key, moment, review.answers, place["country"], place["agency"]), []


def import_responses(
    round_: Round,
    data: bytes,
    filename: str,
    *,
    country_column: str | None = None,
    agency_column: str | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Check every row of an export, then store them all in one transaction, or none: the
    report lists the problems by row and column. Rows imported before (same uuid) are
    counted in `already` and stored again never. The round may be closed: answers collected
    elsewhere are imported after the fact."""
    form = form_of(round_.version)
    moment = now or timezone.now()
    try:
        rows = read_rows(data, filename)
        header = next(rows, None)
        if header is None:
            raise _Refused("the file is empty")
        place = {"country": country_column, "agency": agency_column}
        columns = _header(form, header, place)
    except Unreadable as unreadable:
        return ImportReport(problems=(ImportProblem(0, "", unreadable.message),), problem_count=1)
    except _Refused as refused:
        return ImportReport(problems=(refused.problem,), problem_count=1)
    except _HeaderProblems as found:
        return ImportReport(
            problems=tuple(found.problems[:MAX_PROBLEMS]), problem_count=len(found.problems)
        )
    try:
        return _import(round_, form, columns, rows, moment)
    except Unreadable as unreadable:  # an .xlsx sheet found damaged while its rows are read
        return ImportReport(problems=(ImportProblem(0, "", unreadable.message),), problem_count=1)


def _import(
    round_: Round, form: Form, columns: _Columns, rows: Iterator[list[Any]], now: dt.datetime
) -> ImportReport:
    problems: list[ImportProblem] = []
    count = 0
    good: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(cell_text(c) for c in cells):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            problems.append(ImportProblem(number, "", f"more than {MAX_IMPORT_ROWS:,} rows"))
            break
        row, found = _read_row(form, columns, number, cells, now)
        problems += found
        if row is not None:
            if row.key in seen:
                message = f"the uuid of row {seen[row.key]} again"
                problems.append(ImportProblem(number, "_uuid", message))
            seen[row.key] = number
            good.append(row)
    if problems:
        return ImportReport(count, 0, 0, tuple(problems[:MAX_PROBLEMS]), len(problems))
    return _store(round_, form, good, count)


def _store(round_: Round, form: Form, rows: list[_Row], count: int) -> ImportReport:
    keys = [f"import:{row.key}" for row in rows]
    existing: set[str] = set()
    for start in range(0, len(keys), 5000):  # SQLite's bound on query parameters
        chunk = keys[start : start + 5000]
        found = Response.objects.filter(round=round_, key__in=chunk).values_list("key", flat=True)
        existing |= {key for key in found if key}
    new = []
    for key, row in zip(keys, rows, strict=True):
        if key in existing:
            continue
        result = score(form, row.answers) if form.scored else None
        new.append(
            Response(
                round=round_,
                submitted_at=row.submitted_at,
                answers=row.answers,
                score=result.points if result else None,
                max_score=result.max_points if result else None,
                key=key,
                country=row.country,
                agency=row.agency,
            )
        )
    with transaction.atomic():
        # ignore_conflicts: an import of the same file running alongside stores each once.
        Response.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return ImportReport(count, len(new), len(rows) - len(new))
