"""Counts laid out as tables fit to publish, each number with the trace of what it counts.

A table of people goes through `disclosure.count_table` with the programme's `min_cell`
(small cells and their complements hidden); a table of sessions or days is not about people
and keeps every number (`min_cell` 1 hides nothing). Each shown cell carries a *trace*: the
query string of `programmes:trace` that lists the records it counts. A hidden cell carries
none, so the page cannot be used to look a suppressed count up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from ..disclosure import CountTable, count_list, count_table
from ..models import COUNTRIES, Module, Person, Programme
from .counts import Key, Scope

__all__ = [
    "BLANK",
    "Breakdown",
    "Cell",
    "Labels",
    "breakdown",
    "heading",
    "labels_for",
    "suppression_note",
    "trace_query",
]

# A blank value (sex not said) in a trace's query string, where "" would read as "no filter".
BLANK = "~"


@dataclass(frozen=True)
class Cell:
    value: int | None  # None: suppressed
    trace: str = ""  # query string for programmes:trace; "" when there is nothing to list

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Breakdown:
    """One table: rows × columns (a single column for a list), with totals."""

    key: str  # the table's id in HTML and the sheet's name in XLSX: "people-by-sex-country"
    title: str
    row_heading: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell
    of_people: bool  # counts people: small cells are suppressed
    min_cell: int
    withheld: bool  # too few people for any breakdown
    hidden: int  # cells suppressed
    note: str = ""

    @property
    def is_list(self) -> bool:
        return len(self.columns) == 1

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def lines(self) -> tuple[tuple[str, tuple[Cell, ...], Cell], ...]:
        """(row name, its cells, its total) for templates, which cannot zip."""
        return tuple(zip(self.rows, self.cells, self.row_totals, strict=True))


@dataclass(frozen=True)
class Labels:
    """How each dimension's keys are named and ordered for one programme."""

    modules: dict[int, str]
    module_order: tuple[int, ...]
    countries: tuple[str, ...]  # the programme's own first, in its order

    def name(self, dim: str, key: Key) -> str:
        if dim == "sex":
            return str(dict(Person.Sex.choices).get(str(key), key))
        if dim == "country":
            return str(dict(COUNTRIES).get(str(key), key))
        if dim == "module":
            return self.modules.get(int(key), str(key))
        return str(key) or _("(none)")

    def order(self, dim: str, keys: Sequence[Key]) -> list[Key]:
        found = set(keys)
        if dim == "sex":
            ranked: list[Key] = [value for value, _label in Person.Sex.choices]
        elif dim == "country":
            ranked = [*self.countries, *(c for c, _label in COUNTRIES)]
        elif dim == "module":
            ranked = list(self.module_order)
        else:
            ranked = []
        first = list(dict.fromkeys(k for k in ranked if k in found))
        return first + sorted((k for k in found if k not in set(first)), key=str)


def heading(dim: str) -> str:
    """A dimension's name as a column heading."""
    return {
        "sex": _("Sex"),
        "agency": _("Agency"),
        "country": _("Country"),
        "module": _("Module"),
    }[dim]


def suppression_note(min_cell: int) -> str:
    """What a reader of any rendering is told about hidden cells."""
    return _(
        "Counts of fewer than %(n)s people, and the counts that would let them be worked "
        "out, are suppressed."
    ) % {"n": min_cell}


def labels_for(programme: Programme) -> Labels:
    """The programme's dimension names (one query, for its modules)."""
    modules = list(Module.objects.filter(programme=programme).order_by("number"))
    return Labels(
        modules={m.pk: str(m) for m in modules},
        module_order=tuple(m.pk for m in modules),
        countries=tuple(str(c) for c in programme.countries or ()),
    )


def trace_query(measure: str, scope: Scope, filters: Mapping[str, Key]) -> str:
    """The query string that makes programmes:trace list one cell's records."""
    params: dict[str, str] = {
        "measure": measure,
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
    }
    if scope.module_id is not None:
        params["in_module"] = str(scope.module_id)
    if scope.threshold is not None:
        params["threshold"] = str(scope.threshold)
    for dim, value in filters.items():
        params[dim] = str(value) if str(value) != "" else BLANK
    return urlencode(params)


def breakdown(
    counts: Mapping[tuple[Key, ...], int],
    dims: Sequence[str],
    *,
    key: str,
    title: str,
    measure: str,
    scope: Scope,
    labels: Labels,
    of_people: bool,
    min_cell: int,
    column: str = "",
    note: str = "",
) -> Breakdown:
    """A table by one dimension (a list) or two (rows × columns) of `counts`."""
    if len(dims) not in (1, 2):
        raise ValueError(f"a breakdown has one or two dimensions, not {dims!r}")
    smallest = min_cell if of_people else 1
    row_dim = dims[0]
    row_keys = labels.order(row_dim, [k[0] for k in counts])
    row_names = [labels.name(row_dim, k) for k in row_keys]
    if len(dims) == 1:
        column_keys: list[Key] = [""]
        table = count_list(
            {k[0]: n for k, n in counts.items()},
            row_names,
            keys=row_keys,
            min_cell=smallest,
            column=column,
        )
    else:
        column_keys = labels.order(dims[1], [k[1] for k in counts])
        table = count_table(
            {(k[0], k[1]): n for k, n in counts.items()},
            row_names,
            [labels.name(dims[1], k) for k in column_keys],
            row_keys=row_keys,
            column_keys=column_keys,
            min_cell=smallest,
        )
    return _with_traces(
        table, dims, row_keys, column_keys, key, title, measure, scope, note, of_people
    )


def _with_traces(
    table: CountTable,
    dims: Sequence[str],
    row_keys: Sequence[Key],
    column_keys: Sequence[Key],
    key: str,
    title: str,
    measure: str,
    scope: Scope,
    note: str,
    of_people: bool,
) -> Breakdown:
    def cell(value: int | None, **filters: Key) -> Cell:
        if value is None:
            return Cell(None)
        return Cell(value, trace_query(measure, scope, filters) if value else "")

    row_dim = dims[0]
    column_dim = dims[1] if len(dims) == 2 else None

    def both(r: Key, c: Key) -> dict[str, Key]:
        return {row_dim: r, **({column_dim: c} if column_dim else {})}

    return Breakdown(
        key=key,
        title=title,
        row_heading=heading(row_dim),
        rows=table.rows,
        columns=table.columns,
        cells=tuple(
            tuple(cell(v, **both(r, c)) for v, c in zip(line, column_keys, strict=True))
            for line, r in zip(table.cells, row_keys, strict=True)
        ),
        row_totals=tuple(
            cell(v, **{row_dim: r}) for v, r in zip(table.row_totals, row_keys, strict=True)
        ),
        column_totals=tuple(
            cell(v, **({column_dim: c} if column_dim else {}))
            for v, c in zip(table.column_totals, column_keys, strict=True)
        ),
        total=cell(table.total),
        of_people=of_people,
        min_cell=table.min_cell,
        withheld=table.withheld,
        hidden=table.hidden,
        note=note,
    )
