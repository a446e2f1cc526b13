"""PostgreSQL: a small `head` tsvector for the first stage of ranking common words, and the
passages' index per language.

Ranking reads every matching passage's `vector`; for a word in 31,000 of 63,000 passages
(benchmarks/library.py) that alone took 150-300 ms. `head` holds what says what a document
is about: the title (weight A) and the short title and summary (weight B) of its "about"
passage, and the heading (A) of a section; it stays empty for the text of files, whose
heading only repeats the title. It is a sixth of `vector` on average, stored in line, and
GIN-indexed, so search_postgres can rank the documents it matches without reading any
large vector. Nothing to do on SQLite.
"""

from django.db import migrations

HEAD = """
ALTER TABLE library_passage ADD COLUMN head tsvector GENERATED ALWAYS AS (
  CASE WHEN part = 'text' THEN NULL
  WHEN language = 'en' THEN
    setweight(to_tsvector('caseroom_english'::regconfig, heading), 'A')
    || setweight(to_tsvector('caseroom_english'::regconfig,
                             CASE WHEN part = 'about' THEN text ELSE '' END), 'B')
  ELSE
    setweight(to_tsvector('caseroom_simple'::regconfig, heading), 'A')
    || setweight(to_tsvector('caseroom_simple'::regconfig,
                             CASE WHEN part = 'about' THEN text ELSE '' END), 'B')
  END
) STORED
"""
# Named after the query that reads it: the head stage of search_postgres.RANK.
GIN = "CREATE INDEX library_passage_head ON library_passage USING gin (head)"
# A search in one language (?language=) ranked over every passage: without these the whole
# index's matches were read to keep that language's (an English word in Serbian passages:
# 27,000 rows read for none, 120 ms). The library's languages when this was written; one
# added later is searched through library_passage_vector, as before.
LANGUAGES = ["en", "sq", "bs", "hr", "mk", "sr-latn"]
BY_LANGUAGE = [
    f"CREATE INDEX library_passage_vector_{code.replace('-', '_')} ON library_passage"
    f" USING gin (vector) WHERE language = '{code}'"
    for code in LANGUAGES
]
DROP = [
    *(f"DROP INDEX IF EXISTS library_passage_vector_{c.replace('-', '_')}" for c in LANGUAGES),
    "DROP INDEX IF EXISTS library_passage_head",
    "ALTER TABLE library_passage DROP COLUMN IF EXISTS head",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in [HEAD, GIN, *BY_LANGUAGE]:
            cursor.execute(sql)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in DROP:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_english_vector_stemmed_only")]

    operations = [migrations.RunPython(forward, backward)]
