"""Search on SQLite: the FTS5 table of migration 0002, ranked by bm25, passages by snippet().

Stemming: Porter's English stemmer for every language (see the migration), with diacritics
folded by unicode61; the words of a query are all required, each matching any of its
spellings (query.py).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from . import vocab
from .index import FTS_TABLE
from .query import Terms
from .search import START, STOP, Filters, Marked, Ranked

__all__ = ["SqliteBackend", "match_expression"]

# Headings count five times the text: a section named after the query comes first. Given
# as FTS5's `rank` for the query: bm25() itself may not be called from a subquery that
# SQLite flattens into an aggregate ("unable to use function bm25 in the requested context").
RANK = "bm25(5.0, 1.0)"
SNIPPET_TOKENS = 32


def match_expression(terms: Terms) -> str:
    """An FTS5 MATCH string: every word quoted (only letters and digits reach here)."""
    groups = []
    for variants in terms.words:
        groups.append("(" + " OR ".join(f'"{word}"' for word in variants) + ")")
    return " AND ".join(groups)


def _conditions(filters: Filters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if not filters.include_drafts:
        where.append("d.published")
    if filters.country:
        where.append("d.country = %s")
        params.append(filters.country)
    if filters.kind:
        where.append("d.kind = %s")
        params.append(filters.kind)
    if filters.audience:
        where.append("(d.audiences & %s) != 0")
        params.append(vocab.bits(vocab.AUDIENCES, [filters.audience]))
    if filters.topic:
        where.append("(d.topics & %s) != 0")
        params.append(vocab.bits(vocab.TOPICS, [filters.topic]))
    if filters.language:
        where.append("p.language = %s")
        params.append(filters.language)
    return where, params


class SqliteBackend:
    def rank(
        self, terms: Terms, filters: Filters, offset: int, limit: int
    ) -> tuple[int, list[Ranked], bool]:
        where, params = _conditions(filters)
        # The grouped query keeps each document's best passage (SQLite takes the bare
        # column p.id from the row of MIN), and the window gives the number of documents
        # in the same query.
        sql = (
            "SELECT p.document_id, p.id, MIN(m.score) AS best, COUNT(*), COUNT(*) OVER ()"
            f" FROM (SELECT rowid AS pid, rank AS score FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s AND rank MATCH %s) AS m"
            " JOIN library_passage p ON p.id = m.pid"
            " JOIN library_document d ON d.id = p.document_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " GROUP BY p.document_id ORDER BY best, p.document_id LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(terms), RANK, *params, limit, offset])
            rows = cursor.fetchall()
            if not rows and offset:
                total = self._count(cursor, terms, where, params)
            else:
                total = rows[0][4] if rows else 0
        # FTS5 ranks every match fast enough (benchmarks/library.py): nothing is capped.
        return total, [Ranked(row[0], row[1], row[3]) for row in rows], False

    def _count(
        self, cursor: CursorWrapper, terms: Terms, where: list[str], params: list[Any]
    ) -> int:
        sql = (
            "SELECT COUNT(DISTINCT p.document_id)"
            f" FROM {FTS_TABLE} f JOIN library_passage p ON p.id = f.rowid"
            " JOIN library_document d ON d.id = p.document_id"
            f" WHERE {FTS_TABLE} MATCH %s" + "".join(" AND " + w for w in where)
        )
        cursor.execute(sql, [match_expression(terms), *params])
        row = cursor.fetchone()
        return int(row[0]) if row else 0

    def passages(self, terms: Terms, ids: list[int]) -> dict[int, Marked]:
        if not ids:
            return {}
        marks = ",".join(["%s"] * len(ids))
        sql = (
            f"SELECT f.rowid, highlight({FTS_TABLE}, 0, %s, %s),"
            f" snippet({FTS_TABLE}, 1, %s, %s, '…', {SNIPPET_TOKENS}),"
            " p.part, p.language, s.key"
            f" FROM {FTS_TABLE} f JOIN library_passage p ON p.id = f.rowid"
            " LEFT JOIN library_section s ON s.id = p.section_id"
            f" WHERE {FTS_TABLE} MATCH %s AND f.rowid IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [START, STOP, START, STOP, match_expression(terms), *ids])
            return {
                row[0]: Marked(
                    heading=row[1], text=row[2], part=row[3], language=row[4], section_key=row[5]
                )
                for row in cursor.fetchall()
            }
