"""Counts of people fit to publish: no cell lets anyone single out fewer than `min_cell` people.

Every table that breaks people down (by sex, agency, country, community…) goes through
`count_table`. Primary suppression hides each count from 1 to min_cell − 1; secondary
suppression then hides more cells until no hidden count can be worked out by subtraction
from the totals shown beside it: in every row and every column (each with its total) either
nothing is hidden or at least two entries are. Totals are treated as public (a dashboard
shows the number of people trained anyway), so the second hidden entry is always a cell.
When a line cannot be protected that way (a single non-empty cell whose total is small) the
whole table is withheld. This is the usual "cell suppression with complementary cells" of
statistical offices, kept deliberately simple: it does not search for the least loss.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CountTable:
    """Rows × columns of counts; None where a count is hidden. One column for a plain list."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int
    min_cell: int
    withheld: bool = False  # too few people to show any breakdown at all

    @property
    def hidden(self) -> int:
        return sum(value is None for row in self.cells for value in row)


def count_table(
    counts: Mapping[tuple[Hashable, Hashable], int],
    rows: Sequence[str],
    columns: Sequence[str],
    *,
    min_cell: int,
    row_keys: Sequence[Hashable] | None = None,
    column_keys: Sequence[Hashable] | None = None,
) -> CountTable:
    """A table of `counts[(row key, column key)]` with small cells and their complements hidden.

    `rows`/`columns` are the labels shown; the keys default to the labels.
    """
    rkeys = list(row_keys if row_keys is not None else rows)
    ckeys = list(column_keys if column_keys is not None else columns)
    n, m = len(rkeys), len(ckeys)
    # The table with its margins: row i's total at [i][m], column j's at [n][j], all at [n][m].
    grid = [[int(counts.get((r, c), 0)) for c in ckeys] for r in rkeys]
    for line in grid:
        line.append(sum(line))
    grid.append([sum(grid[i][j] for i in range(n)) for j in range(m + 1)])
    total = grid[n][m]
    hidden = [[0 < value < min_cell for value in line] for line in grid]
    hidden[n][m] = False  # the grand total is public
    withheld = (0 < total < min_cell) or not _protect(grid, hidden)
    return CountTable(
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(
            tuple(None if withheld or hidden[i][j] else grid[i][j] for j in range(m))
            for i in range(n)
        ),
        row_totals=tuple(None if withheld or hidden[i][m] else grid[i][m] for i in range(n)),
        column_totals=tuple(None if withheld or hidden[n][j] else grid[n][j] for j in range(m)),
        total=total,
        min_cell=min_cell,
        withheld=withheld,
    )


def count_list(
    counts: Mapping[Hashable, int],
    labels: Sequence[str],
    *,
    min_cell: int,
    keys: Sequence[Hashable] | None = None,
    column: str = "",
) -> CountTable:
    """A one-column breakdown (e.g. people by community) with its total."""
    keys = list(keys if keys is not None else labels)
    return count_table(
        {(k, column): counts.get(k, 0) for k in keys},
        labels,
        [column],
        min_cell=min_cell,
        row_keys=keys,
        column_keys=[column],
    )


def _lines(n: int, m: int) -> Iterable[list[tuple[int, int]]]:
    """Every sum the table shows: each row with its total, each column with its total."""
    for i in range(n + 1):
        yield [(i, j) for j in range(m + 1)]
    for j in range(m + 1):
        yield [(i, j) for i in range(n + 1)]


def _protect(grid: list[list[int]], hidden: list[list[bool]]) -> bool:
    """Hide complements until no sum has exactly one hidden entry; False when impossible."""
    n, m = len(grid) - 1, len(grid[0]) - 1
    changed = True
    while changed:
        changed = False
        for line in _lines(n, m):
            if sum(hidden[i][j] for i, j in line) != 1:
                continue
            pool = [(i, j) for i, j in line if not hidden[i][j] and (i, j) != (n, m)]
            if not pool:
                return False
            # The smallest non-empty entry loses least; an empty one only when nothing else
            # is left (a hidden zero still leaves the reader unable to tell which is which).
            i, j = min(
                pool, key=lambda cell: (grid[cell[0]][cell[1]] == 0, grid[cell[0]][cell[1]], cell)
            )
            hidden[i][j] = True
            changed = True
    return True
