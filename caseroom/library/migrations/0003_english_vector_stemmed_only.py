"""PostgreSQL: English passages indexed with the `english` configuration only.

Migration 0002 gave them both `english` and `simple` lexemes; the query already asks for
both forms of every word, so the second set only made vectors a third larger, and ranking,
which reads every matching passage's vector, slower (benchmarks/library.py: 340 → 240 ms for
a word in 27,000 of 63,000 passages). Nothing to do on SQLite.
"""

from django.db import migrations

VECTOR = """
ALTER TABLE library_passage ADD COLUMN vector tsvector GENERATED ALWAYS AS (
  CASE WHEN language = 'en' THEN
    setweight(to_tsvector('caseroom_english'::regconfig, heading), 'A')
    || to_tsvector('caseroom_english'::regconfig, text)
  ELSE
    setweight(to_tsvector('caseroom_simple'::regconfig, heading), 'A')
    || to_tsvector('caseroom_simple'::regconfig, text)
  END
) STORED
"""
DROP = [
    "DROP INDEX IF EXISTS library_passage_vector",
    "ALTER TABLE library_passage DROP COLUMN vector",
]
GIN = "CREATE INDEX library_passage_vector ON library_passage USING gin (vector)"


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in [*DROP, VECTOR, GIN]:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    # Backwards the column stays as it is: search works with either.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
