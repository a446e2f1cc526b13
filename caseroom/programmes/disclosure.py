"""Counts of people fit to publish: no cell lets anyone single out fewer than `min_cell` people.

Every table that breaks people down (by sex, agency, country, community…) goes through
`count_table`. Primary suppression hides each count from 1 to min_cell − 1; secondary
suppression then hides more entries until no hidden count can be worked out from the counts
and totals shown beside it. Totals are treated as public (a dashboard shows the number of
people trained anyway), so the grand total is never hidden, nor a one-column list's column
total (it is the grand total) or a one-row table's row total.

What a reader can work out: each row and each column, with its total, is an equation. Seen
as a graph whose nodes are the lines and whose edges are the hidden entries (an entry lies
on one row and one column), a hidden entry can be solved from the shown numbers exactly when
its edge lies on no cycle (a "bridge"); on a cycle, adding and subtracting the same amount
around it changes no sum. So: (1) every line has 0 or ≥ 2 hidden entries (a line with one
is the simplest bridge), and (2) no hidden entry is a bridge: when one is, a shown entry
joining its two sides is hidden too. The sufficiency of the first rule alone, which the first
version relied on, fails for two hidden cycles joined by one hidden cell.

Complements are never empty cells: a hidden 0 whose row or column total is shown as 0 is no
secret, and even elsewhere a hidden 0 bounds its neighbours from one side. The smallest
non-empty entry is hidden first (it loses least). When a line cannot be protected that way,
the whole table is withheld. This is the usual "cell suppression with complementary cells"
of statistical offices, kept deliberately simple: it does not search for the least loss.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


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
    # Any keys: Mapping is invariant in its key type, so a dict[tuple[str, int], int] would
    # not pass as Mapping[tuple[Hashable, Hashable], int].
    counts: Mapping[Any, int],
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
    counts: Mapping[Any, int],
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


Entry = tuple[int, int]


def _lines(n: int, m: int) -> Iterable[list[Entry]]:
    """Every sum the table shows: each row with its total, each column with its total."""
    for i in range(n + 1):
        yield [(i, j) for j in range(m + 1)]
    for j in range(m + 1):
        yield [(i, j) for i in range(n + 1)]


def _public(n: int, m: int) -> set[Entry]:
    """Entries never hidden: the grand total, and whatever merely repeats it."""
    public = {(n, m)}
    if m == 1:
        public.add((n, 0))  # a one-column list's column total is the grand total
    if n == 1:
        public.add((0, m))  # a one-row table's row total is the grand total
    return public


def _protect(grid: list[list[int]], hidden: list[list[bool]]) -> bool:
    """Hide complements until no hidden entry can be solved; False when impossible."""
    n, m = len(grid) - 1, len(grid[0]) - 1
    public = _public(n, m)
    for i, j in public:
        hidden[i][j] = False

    def cheapest(pool: Iterable[Entry]) -> Entry | None:
        usable = [
            e for e in pool if not hidden[e[0]][e[1]] and e not in public and grid[e[0]][e[1]]
        ]
        return min(usable, key=lambda e: (grid[e[0]][e[1]], e)) if usable else None

    while True:
        if not _lines_protected(grid, hidden, n, m, cheapest):
            return False
        bridge = _bridge(hidden, n, m)
        if bridge is None:
            return True
        side_a, side_b = bridge
        # An entry joining the two sides puts the bridge on a cycle.
        joining = [
            (i, j)
            for i in range(n + 1)
            for j in range(m + 1)
            if (("r", i) in side_a and ("c", j) in side_b)
            or (("r", i) in side_b and ("c", j) in side_a)
        ]
        # Failing that, any entry leading out of one side: the line rule then continues it.
        leading = [
            (i, j)
            for i in range(n + 1)
            for j in range(m + 1)
            if (("r", i) in side_a) != (("c", j) in side_a)
        ]
        choice = cheapest(joining) or cheapest(leading)
        if choice is None:
            return False
        hidden[choice[0]][choice[1]] = True


def _lines_protected(
    grid: list[list[int]],
    hidden: list[list[bool]],
    n: int,
    m: int,
    cheapest: Callable[[Iterable[Entry]], Entry | None],
) -> bool:
    """Rule (1): no line with exactly one hidden entry; False when one cannot get a second."""
    changed = True
    while changed:
        changed = False
        for line in _lines(n, m):
            if sum(hidden[i][j] for i, j in line) != 1:
                continue
            choice = cheapest(line)
            if choice is None:
                return False
            hidden[choice[0]][choice[1]] = True
            changed = True
    return True


Node = tuple[str, int]


def _bridge(hidden: list[list[bool]], n: int, m: int) -> tuple[set[Node], set[Node]] | None:
    """The two sides of a hidden entry that lies on no cycle of hidden entries, or None."""
    edges = [(i, j) for i in range(n + 1) for j in range(m + 1) if hidden[i][j]]
    links: dict[Node, list[tuple[Node, Entry]]] = {}
    for i, j in edges:
        links.setdefault(("r", i), []).append((("c", j), (i, j)))
        links.setdefault(("c", j), []).append((("r", i), (i, j)))
    for edge in edges:
        side_a = _reach(("r", edge[0]), links, edge)
        if ("c", edge[1]) not in side_a:
            return side_a, _reach(("c", edge[1]), links, edge)
    return None


def _reach(start: Node, links: dict[Node, list[tuple[Node, Entry]]], without: Entry) -> set[Node]:
    seen, todo = {start}, [start]
    while todo:
        for node, edge in links.get(todo.pop(), []):
            if edge != without and node not in seen:
                seen.add(node)
                todo.append(node)
    return seen
