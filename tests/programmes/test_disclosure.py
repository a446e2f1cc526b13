"""Published counts never single anyone out: properties of disclosure.count_table.

The check of "cannot be worked out" is independent of the module's graph reasoning: each
row and column with its total is a linear equation, and a hidden entry can be worked out
exactly when its unit vector lies in the row space of those equations (ranks computed with
fractions). Every hidden entry is at least 1 (no empty cell is a complement), so no
"a count is never negative" bound pins one either.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from caseroom.programmes.disclosure import CountTable, count_list, count_table

Grid = list[list[int]]

small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def tables(draw: st.DrawFn) -> tuple[Grid, int]:
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    grid = [[draw(small_counts) for _ in range(m)] for _ in range(n)]
    return grid, draw(st.integers(2, 6))


def _table(grid: Grid, k: int) -> CountTable:
    n, m = len(grid), len(grid[0])
    counts = {(f"r{i}", f"c{j}"): grid[i][j] for i in range(n) for j in range(m)}
    return count_table(counts, [f"r{i}" for i in range(n)], [f"c{j}" for j in range(m)], min_cell=k)


def _full(grid: Grid) -> Grid:
    """The grid with its margins: row totals in column m, column totals in row n."""
    n, m = len(grid), len(grid[0])
    full = [[*row, sum(row)] for row in grid]
    full.append([sum(full[i][j] for i in range(n)) for j in range(m + 1)])
    return full


def _shown(table: CountTable) -> list[list[int | None]]:
    """What a reader sees, with margins, in the same layout as `_full`."""
    rows: list[list[int | None]] = [
        [*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)
    ]
    rows.append([*table.column_totals, table.total])
    return rows


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def solvable(shown: list[list[int | None]]) -> list[tuple[int, int]]:
    """The hidden entries a reader can work out from the lines' sums."""
    n, m = len(shown) - 1, len(shown[0]) - 1
    unknown = [(i, j) for i in range(n + 1) for j in range(m + 1) if shown[i][j] is None]
    if not unknown:
        return []
    index = {entry: k for k, entry in enumerate(unknown)}
    equations: list[list[Fraction]] = []
    lines = [[(i, j) for j in range(m + 1)] for i in range(n + 1)]
    lines += [[(i, j) for i in range(n + 1)] for j in range(m + 1)]
    for line in lines:
        row = [Fraction(0)] * len(unknown)
        for position, entry in enumerate(line):
            if entry in index:
                row[index[entry]] = Fraction(-1 if position == len(line) - 1 else 1)
        if any(row):
            equations.append(row)
    if not equations:
        return []
    base = _rank(equations)
    found = []
    for entry, k in index.items():
        unit = [Fraction(int(i == k)) for i in range(len(unknown))]
        if _rank([*equations, unit]) == base:
            found.append(entry)
    return found


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_published_count_is_small_and_none_can_be_worked_out(case: tuple[Grid, int]) -> None:
    grid, k = case
    table = _table(grid, k)
    full, shown = _full(grid), _shown(table)
    if table.withheld:
        assert all(v is None for row in shown[:-1] for v in row)
        assert all(v is None for v in table.column_totals)
        return
    for i, row in enumerate(shown):
        for j, value in enumerate(row):
            assert value is None or not 0 < value < k, f"{value} shown at {(i, j)}"
            assert value is None or value == full[i][j]
            if value is None:
                assert full[i][j] >= 1, "an empty cell is never a complement"
    n, m = len(grid), len(grid[0])
    for line in [[shown[i][j] for j in range(m + 1)] for i in range(n + 1)] + [
        [shown[i][j] for i in range(n + 1)] for j in range(m + 1)
    ]:
        assert sum(v is None for v in line) != 1
    assert solvable(shown) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=8), st.integers(2, 6))
def test_a_list_hides_small_counts_with_a_complement_and_keeps_its_total(
    values: list[int], k: int
) -> None:
    labels = [f"g{i}" for i in range(len(values))]
    table = count_list(dict(zip(labels, values, strict=True)), labels, min_cell=k)
    assert table.total == sum(values)
    if table.withheld:
        assert all(row == (None,) for row in table.cells)
        return
    shown = [row[0] for row in table.cells]
    assert all(v is None or not 0 < v < k for v in shown)
    assert sum(v is None for v in shown) != 1
    assert table.column_totals == (table.total,)
    assert [row[0] for row in table.cells] == list(table.row_totals)


def test_one_small_cell_hides_the_next_smallest_beside_it() -> None:
    table = count_list({"a": 3, "b": 40, "c": 9}, ["a", "b", "c"], min_cell=5)
    assert [row[0] for row in table.cells] == [None, 40, None]
    assert table.column_totals == (52,) and not table.withheld


def test_a_total_under_the_smallest_count_withholds_the_table() -> None:
    table = count_list({"a": 2, "b": 1}, ["a", "b"], min_cell=5)
    assert table.withheld and table.cells == ((None,), (None,))


def test_a_small_cell_alone_in_its_row_and_column_is_protected_through_the_margins() -> None:
    # 3 has only empty cells beside it: the complements are the large cell and the margins
    # (a cycle through the totals), never the empty cells.
    table = count_table({("a", "x"): 3, ("b", "y"): 50}, ["a", "b"], ["x", "y"], min_cell=5)
    assert not table.withheld
    assert table.cells == ((None, 0), (0, None))
    assert solvable(_shown(table)) == []


def test_two_hidden_cycles_joined_by_one_hidden_cell_get_one_more_complement() -> None:
    # Rows 0-1 × columns 0-1 and rows 2-3 × columns 2-3 are small; cell (0, 2) joins them.
    # Each line then has two hidden entries, yet (0, 2) could be solved from the sums; the
    # first version of count_table published such tables.
    small = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    grid = [[2 if (i, j) in small else 30 for j in range(4)] for i in range(4)]
    table = _table(grid, 5)
    assert not table.withheld
    assert solvable(_shown(table)) == []
    assert table.hidden > len(small)


def test_no_rows_or_no_columns_is_an_empty_table_not_an_error() -> None:
    empty = count_table({}, ["a", "b"], [], min_cell=5)
    assert empty.cells == ((), ()) and empty.total == 0 and not empty.withheld
