"""The full-text index of library passages, one per database backend.

SQLite: an FTS5 table `library_passage_fts(heading, text)` whose rowid is the passage's id,
kept in step by index.reindex. Tokenizer: Porter's English stemmer over unicode61 with
remove_diacritics 2 — "Ćirić" and "Ciric" are one word; the stemmer only strips English
endings, applied alike to every language's text and to the query, so it never hides a match.

PostgreSQL: text search configurations `caseroom_simple` (every language: no stemming) and
`caseroom_english` (English Snowball stemming), both through `unaccent` when the database
lets us create it (a trusted extension since PostgreSQL 13: the database owner may), and a
generated, stored tsvector column `vector` on library_passage with a GIN index. English
passages get both vectors (stemmed and exact), others the simple one only.
"""

from django.db import migrations, transaction

FTS = (
    "CREATE VIRTUAL TABLE library_passage_fts USING fts5("
    "heading, text, tokenize = 'porter unicode61 remove_diacritics 2')"
)

CONFIGS = [
    "CREATE TEXT SEARCH CONFIGURATION caseroom_simple (COPY = simple)",
    "CREATE TEXT SEARCH CONFIGURATION caseroom_english (COPY = english)",
]
UNACCENT = [
    "ALTER TEXT SEARCH CONFIGURATION caseroom_simple "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    "ALTER TEXT SEARCH CONFIGURATION caseroom_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
]
VECTOR = """
ALTER TABLE library_passage ADD COLUMN vector tsvector GENERATED ALWAYS AS (
  CASE WHEN language = 'en' THEN
    setweight(to_tsvector('caseroom_english'::regconfig, heading), 'A')
    || setweight(to_tsvector('caseroom_simple'::regconfig, heading), 'A')
    || to_tsvector('caseroom_english'::regconfig, text)
    || to_tsvector('caseroom_simple'::regconfig, text)
  ELSE
    setweight(to_tsvector('caseroom_simple'::regconfig, heading), 'A')
    || to_tsvector('caseroom_simple'::regconfig, text)
  END
) STORED
"""
GIN = "CREATE INDEX library_passage_vector ON library_passage USING gin (vector)"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(FTS)
        elif vendor == "postgresql":
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
                accents = True
            except Exception:  # no right to create it: accents then count (said in README)
                accents = False
            for sql in CONFIGS + (UNACCENT if accents else []) + [VECTOR, GIN]:
                cursor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS library_passage_fts")
        elif vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS library_passage_vector")
            cursor.execute("ALTER TABLE library_passage DROP COLUMN IF EXISTS vector")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS caseroom_simple")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS caseroom_english")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
