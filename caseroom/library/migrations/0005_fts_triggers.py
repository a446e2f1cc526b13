"""SQLite: the FTS5 table follows library_passage by triggers, not by application code.

index.py wrote the FTS5 rows itself, so a passage deleted any other way — a document
deleted with its passages by a cascade, `manage.py flush` (which empties the tables and
resets their ids) — left its FTS5 row behind: the search then showed text that no longer
existed, and once ids were reused, inserting a new passage's row failed on the taken rowid.
Triggers keep the two in step whatever writes the passages. The rows already out of step
are mended here: orphans dropped, missing ones added. Nothing to do on PostgreSQL, whose
search column is computed from the row itself.
"""

from django.db import migrations

FTS = "library_passage_fts"
TRIGGERS = [
    f"""CREATE TRIGGER library_passage_fts_insert AFTER INSERT ON library_passage BEGIN
  INSERT INTO {FTS} (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END""",
    f"""CREATE TRIGGER library_passage_fts_delete AFTER DELETE ON library_passage BEGIN
  DELETE FROM {FTS} WHERE rowid = old.id;
END""",
    f"""CREATE TRIGGER library_passage_fts_update AFTER UPDATE ON library_passage BEGIN
  DELETE FROM {FTS} WHERE rowid = old.id;
  INSERT INTO {FTS} (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END""",
]
MEND = [
    f"DELETE FROM {FTS} WHERE rowid NOT IN (SELECT id FROM library_passage)",
    f"INSERT INTO {FTS} (rowid, heading, text) SELECT id, heading, text FROM library_passage"
    f" WHERE id NOT IN (SELECT rowid FROM {FTS})",
]
NAMES = ["library_passage_fts_insert", "library_passage_fts_delete", "library_passage_fts_update"]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in MEND + TRIGGERS:
            cursor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in NAMES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("library", "0004_passage_head_vector")]

    operations = [migrations.RunPython(create, drop)]
