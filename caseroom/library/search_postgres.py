"""Search on PostgreSQL: the generated `vector` column of migration 0002 (GIN-indexed),
ranked by ts_rank, passages by ts_headline.

Stemming: English passages with the `english` Snowball stemmer (migration 0003: indexing
them with `simple` too made every vector a third larger and ranking slower, and the query
asks both forms anyway; English stop words are then not searchable); every other language
with `simple` (no stemming) — PostgreSQL ships no stemmer for Albanian or the South Slavic
languages, and a wrong one would merge unrelated words. Accents are folded by `unaccent`
(both configurations) where the database has it.
A query word matches if either configuration's form of it, in any of its spellings, does.

Ranking, in one statement (RANK):
- A query expected to match fewer than COMMON passages (the planner's own statistics,
  pg_stats) is ranked exactly: every matching passage by ts_rank over its `vector`, each
  document by its best passage.
- A commoner one (a word in half of all passages) would make that read tens of thousands of
  large vectors (300 ms and more). Its results are the documents whose `head` (migration
  0004: title and summary, section headings) matches — the documents about those words —
  ranked in two stages: all of them by ts_rank over the small `head`, ties in a fixed
  shuffle of their ids (never their place on disk); then, BLOCK documents at a time in
  that order, by their best passage's ts_rank over `vector`, as the exact ranking does.
  Only the blocks of the page asked for are ranked in the second stage, and a page shows
  the same documents whichever page was asked before. The caller is told (`capped`), and
  the total is of these documents. When fewer than a page of documents match in their
  head (a filter leaves few), the exact ranking answers after all.
Without statistics (a database never analysed) every query is ranked exactly: right, slower.
`passages` highlights the page's passages only: ts_headline is the dearest call here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import Case, Value, When

from . import vocab
from .models import Passage
from .query import Terms
from .search import START, STOP, Filters, Marked, Ranked

__all__ = ["BLOCK", "COMMON", "MIN_HEADS", "PostgresBackend", "share_sql", "tsquery", "tsquery_sql"]

SIMPLE, ENGLISH = "caseroom_simple", "caseroom_english"
# Passages a query is expected to match from which it counts as common. Below it the exact
# ranking reads at most a few thousand vectors (benchmarks/library.py: 2,334 passages in
# ~20-40 ms, ~15 µs each on a busy machine); above it the head stage answers.
COMMON = 2000
# Documents about a common query from which only they are listed: a page of them.
MIN_HEADS = 20
# Documents ranked together in the second stage: their matching passages' vectors are read
# (~3 each), ~10 ms for 200 documents.
BLOCK = 200


def tsquery(terms: Terms) -> SearchQuery:
    """Every word required; each in any spelling, stemmed (English) or exact.
    plainto_tsquery takes any text without a syntax error."""
    combined: SearchQuery | None = None
    for variants in terms.words:
        word: SearchQuery | None = None
        for variant in variants:
            for config in (SIMPLE, ENGLISH):
                one = SearchQuery(variant, config=config, search_type="plain")
                word = one if word is None else word | one
        assert word is not None
        combined = word if combined is None else combined & word
    assert combined is not None
    return combined


def tsquery_sql(terms: Terms) -> tuple[str, dict[str, str]]:
    """The same query as `tsquery`, as SQL with named parameters. Written out where it is
    used (not taken from a CTE) so the planner folds it to a constant and can estimate
    how many passages match."""
    words: list[str] = []
    params: dict[str, str] = {}
    for n, variants in enumerate(terms.words):
        parts = []
        for m, variant in enumerate(variants):
            params[f"w{n}_{m}"] = variant
            parts += [
                f"plainto_tsquery('{config}'::regconfig, %(w{n}_{m})s)"
                for config in (SIMPLE, ENGLISH)
            ]
        words.append("(" + " || ".join(parts) + ")")
    return "(" + " && ".join(words) + ")", params


def _conditions(filters: Filters) -> tuple[str, dict[str, Any]]:
    """The filters over `d` (library_document) and `p` (library_passage), each ANDed."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if not filters.include_drafts:
        where.append("d.published")
    if filters.country:
        where.append("d.country = %(country)s")
        params["country"] = filters.country
    if filters.kind:
        where.append("d.kind = %(kind)s")
        params["kind"] = filters.kind
    if filters.audience:
        where.append("(d.audiences & %(audience)s) <> 0")
        params["audience"] = vocab.bits(vocab.AUDIENCES, [filters.audience])
    if filters.topic:
        where.append("(d.topics & %(topic)s) <> 0")
        params["topic"] = vocab.bits(vocab.TOPICS, [filters.topic])
    if filters.language:
        where.append("p.language = %(language)s")
        params["language"] = filters.language
    return "".join(" AND " + condition for condition in where), params


# {q}: the tsquery; {common}: its estimated share of passages; {where}: the filters;
# {language}: the language filter alone. Passages of a candidate need no document filter: the
# head stage applied it.
RANK = """
WITH stats AS (
  SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs
  FROM pg_stats
  WHERE schemaname = current_schema() AND tablename = 'library_passage' AND attname = 'vector'
),
gate AS (
  SELECT coalesce((SELECT greatest(reltuples, 0) FROM pg_class
                   WHERE oid = 'library_passage'::regclass), 0) * {common}
    >= %(enough)s AS common
),
head AS (
  SELECT p.document_id, max(ts_rank(p.head, {q})) AS score
  FROM library_passage p JOIN library_document d ON d.id = p.document_id
  WHERE (SELECT common FROM gate) AND p.head @@ {q}{where}
  GROUP BY p.document_id
),
mode AS (
  SELECT (SELECT common FROM gate) AND (SELECT count(*) FROM head) >= %(heads)s AS capped
),
candidates AS (
  SELECT document_id,
    (%(first)s + row_number() OVER (ORDER BY score DESC, shuffle, document_id) - 1)
      / %(block)s AS block
  FROM (
    SELECT document_id, score, hashint8(document_id) AS shuffle FROM head
    WHERE (SELECT capped FROM mode)
    ORDER BY score DESC, shuffle, document_id LIMIT %(last)s - %(first)s OFFSET %(first)s
  ) AS chosen
),
matched AS (
  SELECT p.document_id, p.id, ts_rank(p.vector, {q}) AS rank, 0 AS block
  FROM library_passage p JOIN library_document d ON d.id = p.document_id
  WHERE NOT (SELECT capped FROM mode) AND p.vector @@ {q}{where}
  UNION ALL
  SELECT p.document_id, p.id, ts_rank(p.vector, {q}), c.block
  FROM library_passage p JOIN candidates c ON c.document_id = p.document_id
  WHERE p.vector @@ {q}{language}
),
documents AS (
  SELECT document_id, block, max(rank) AS best, count(*) AS hits,
    (array_agg(id ORDER BY rank DESC, id))[1] AS passage_id
  FROM matched GROUP BY document_id, block
),
page AS (
  SELECT * FROM documents ORDER BY block, best DESC, hashint8(document_id), document_id
  LIMIT %(limit)s
  OFFSET (SELECT CASE WHEN capped THEN %(offset)s - %(first)s ELSE %(offset)s END FROM mode)
)
SELECT mode.capped,
  CASE WHEN mode.capped THEN (SELECT count(*) FROM head)
  ELSE (SELECT count(*) FROM documents) END,
  page.document_id, page.passage_id, page.hits
FROM mode LEFT JOIN page ON true
ORDER BY page.block, page.best DESC, hashint8(page.document_id), page.document_id
"""


def share_sql(terms: Terms) -> str:
    """The share of passages the query matches as the planner's statistics see it
    (pg_stats: the most common lexemes of `vector` and the share of rows holding each),
    words taken as independent; a lexeme missing from the list counts as none. Uses the
    parameters of `tsquery_sql`."""
    factors = []
    for n, variants in enumerate(terms.words):
        lexemes = " || ".join(
            f"to_tsvector('{config}'::regconfig, %(w{n}_{m})s)"
            for m in range(len(variants))
            for config in (SIMPLE, ENGLISH)
        )
        factors.append(
            "(SELECT least(1, coalesce(sum(m.f), 0)) FROM stats,"
            " unnest(stats.elems, stats.freqs) AS m(e, f)"
            f" WHERE m.e = ANY(tsvector_to_array({lexemes})))"
        )
    return " * ".join(factors)


class PostgresBackend:
    def rank(
        self, terms: Terms, filters: Filters, offset: int, limit: int
    ) -> tuple[int, list[Ranked], bool]:
        query, words = tsquery_sql(terms)
        where, params = _conditions(filters)
        language = " AND p.language = %(language)s" if filters.language else ""
        first = offset // BLOCK * BLOCK
        last = ((offset + limit - 1) // BLOCK + 1) * BLOCK
        sql = RANK.format(q=query, common=share_sql(terms), where=where, language=language)
        params.update(words)
        params.update(
            enough=COMMON,
            heads=MIN_HEADS,
            block=BLOCK,
            first=first,
            last=last,
            limit=limit,
            offset=offset,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        capped, total = bool(rows[0][0]), int(rows[0][1])
        ranked = [Ranked(row[2], row[3], row[4]) for row in rows if row[2] is not None]
        return total, ranked, capped

    def passages(self, terms: Terms, ids: list[int]) -> dict[int, Marked]:
        if not ids:
            return {}
        query = tsquery(terms)
        config = Case(When(language="en", then=Value(ENGLISH)), default=Value(SIMPLE))
        rows = (
            Passage.objects.filter(pk__in=ids)
            .annotate(
                marked_heading=SearchHeadline(
                    "heading",
                    query,
                    config=config,
                    start_sel=START,
                    stop_sel=STOP,
                    highlight_all=True,
                ),
                marked_text=SearchHeadline(
                    "text",
                    query,
                    max_words=40,
                    min_words=20,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    config=config,
                    start_sel=START,
                    stop_sel=STOP,
                ),
            )
            .values_list("pk", "marked_heading", "marked_text", "part", "language", "section__key")
        )
        return {
            row[0]: Marked(
                heading=row[1], text=row[2], part=row[3], language=row[4], section_key=row[5]
            )
            for row in rows
        }
