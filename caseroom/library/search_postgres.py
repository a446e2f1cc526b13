"""Search on PostgreSQL: the generated `vector` column of migration 0002 (GIN-indexed),
ranked by ts_rank, passages by ts_headline.

Stemming: English passages with the `english` Snowball stemmer (migration 0003: indexing
them with `simple` too made every vector a third larger and ranking slower, and the query
asks both forms anyway; English stop words are then not searchable); every other language
with `simple` (no stemming) — PostgreSQL ships no stemmer for Albanian or the South Slavic
languages, and a wrong one would merge unrelated words. Accents are folded by `unaccent`
(both configurations) where the database has it.
A query word matches if either configuration's form of it, in any of its spellings, does.
"""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import Case, Count, F, Max, QuerySet, Value, When, Window
from django.db.models.expressions import RawSQL

from .models import Passage
from .query import Terms
from .search import START, STOP, Filters, Marked, Ranked

__all__ = ["PostgresBackend", "tsquery"]

SIMPLE, ENGLISH = "caseroom_simple", "caseroom_english"


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


def _matches(terms: Terms, filters: Filters) -> QuerySet[Passage]:
    query = tsquery(terms)
    passages = Passage.objects.annotate(
        vector=RawSQL('"library_passage"."vector"', [], output_field=SearchVectorField())
    ).filter(filters.documents("document__"), vector=query)
    if filters.language:
        passages = passages.filter(language=filters.language)
    return passages.annotate(rank=SearchRank(F("vector"), query))


class PostgresBackend:
    def rank(
        self, terms: Terms, filters: Filters, offset: int, limit: int
    ) -> tuple[int, list[Ranked], bool]:
        grouped = (
            _matches(terms, filters)
            .order_by()
            .values("document_id")
            .annotate(
                best=Max("rank"),
                hits=Count("pk"),
                # The document's matching passages, best first: the first is shown.
                passages=ArrayAgg("pk", order_by=(F("rank").desc(), "pk")),
                total=Window(Count("*")),
            )
            .order_by("-best", "document_id")
        )
        rows = list(grouped[offset : offset + limit])
        if rows:
            total = rows[0]["total"]
        elif offset:  # past the end: the caller asks again for the last page
            total = _matches(terms, filters).values("document_id").distinct().count()
        else:
            total = 0
        ranked = [Ranked(row["document_id"], row["passages"][0], row["hits"]) for row in rows]
        return total, ranked, False

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
