"""The library in a backup: its uploaded files come back byte for byte into the restored
installation's LIBRARY_STORE, its search index is rebuilt and answers, a member that tries to
leave the store is refused, a backup made before the library existed restores, and
`checkdata` says which library files are missing or altered (and which nobody names)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from caseroom.backups.archive import LIBRARY_PREFIX, Manifest
from caseroom.backups.backup import create_backup
from caseroom.backups.databases import sqlite_snapshot
from caseroom.backups.integrity import check_database
from caseroom.library import actions, index, store, vocab
from caseroom.library.demo import GUIDELINES_SLUG, load_demo_library
from caseroom.library.extract import extract
from caseroom.library.models import Document, DocumentVersion, Passage
from tests.backups.support import Target, run_manage, run_restore
from tests.library.files import pdf_with_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("data_folder")]

# Fictional places and services only.
PDF_TEXT = "Ostrovica crossing: informal exchange with the Kordun border police"
NOTES = b"# Field notes\n\nA request to Velmar prosecutors under the Brankovo treaty.\n"


@pytest.fixture(autouse=True)
def _no_index_rows_left_over() -> Iterator[None]:
    """Flushing the tables between transactional tests leaves SQLite's FTS5 table (not a
    Django model) as it was: empty it before and after, as the passages are."""

    def empty() -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {index.FTS_TABLE}")

    empty()
    yield
    empty()


def shelved() -> Document:
    """A card with a PDF in English and Markdown notes in Serbian (two stored files)."""
    document = actions.save_document(
        "ostrovica-card",
        actions.DocumentFields(
            kind=vocab.Kind.HANDBOOK, country=vocab.Country.REGIONAL, published=True
        ),
    )
    pdf = pdf_with_text(PDF_TEXT)
    actions.save_version(document, "en", title="Ostrovica card", upload=(pdf, extract(pdf)))
    actions.save_version(document, "sr-latn", title="Ostrovica", upload=(NOTES, extract(NOTES)))
    return document


def stored_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def found_in(target: Target, *queries: str) -> dict[str, list[str]]:
    """The slugs `search` finds for each query in the restored installation."""
    code = (
        "import json\nfrom caseroom.library.search import Filters, search\n"
        f"print(json.dumps({{q: [h.slug for h in search(q, Filters(), 'en').hits] "
        f"for q in {list(queries)!r}}}))"
    )
    done = run_manage(target, "shell", "-c", code)
    assert done.returncode == 0, done.stdout + done.stderr
    found: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_library_files_come_back_byte_identical_and_search_works_after_a_restore(
    data_folder: Path, fresh: Target
) -> None:
    load_demo_library()
    shelved()
    passages = Passage.objects.count()
    library = data_folder / "library"
    files = stored_files(library)
    assert len(files) == 2
    # A backup whose index is gone (made under older indexing rules, or copied without it):
    # the restore must rebuild it, not rely on it.
    index.forget(list(Document.objects.all()))
    assert Passage.objects.count() == 0

    done = create_backup()
    with zipfile.ZipFile(done.path) as archive:
        carried = {
            n.removeprefix(LIBRARY_PREFIX): archive.read(n)
            for n in archive.namelist()
            if n.startswith(LIBRARY_PREFIX)
        }
    assert carried == files
    assert done.manifest.files_under(LIBRARY_PREFIX) == (2, sum(map(len, files.values())))
    # A file the restored database will not name, already in the target's store: kept.
    stray = fresh.var / "library" / "zz" / f"{'z' * 64}.md"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"# left by someone")

    restored = run_restore(done.path, fresh)

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "; 2 library file(s)." in restored.stdout
    documents = Document.objects.count()
    assert (
        f"Rebuilt the library's search index: {passages:,} passage(s) of {documents} document(s)"
        in restored.stdout
    )
    assert "1 file(s) in the library store belong to no document" in restored.stdout
    assert "The restored database is sound." in restored.stdout
    assert stored_files(fresh.var / "library") == {
        **files,
        "zz/" + stray.name: b"# left by someone",
    }
    assert found_in(fresh, "Ostrovica", "Brankovo", "zajednički istražni tim") == {
        "Ostrovica": ["ostrovica-card"],
        "Brankovo": ["ostrovica-card"],
        "zajednički istražni tim": [GUIDELINES_SLUG],
    }
    checked = run_manage(fresh, "checkdata", "--quick")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"zz/{stray.name}" in checked.stdout


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlites_backup_api_copies_the_fts5_index_with_the_tables(tmp_path: Path) -> None:
    load_demo_library()
    copy = tmp_path / "copy.sqlite3"
    sqlite_snapshot(Path(connection.settings_dict["NAME"]), copy)
    with closing(sqlite3.connect(copy)) as database:
        [(indexed,)] = database.execute(f"SELECT COUNT(*) FROM {index.FTS_TABLE}").fetchall()
        [(matched,)] = database.execute(
            f"SELECT COUNT(*) FROM {index.FTS_TABLE} WHERE {index.FTS_TABLE} MATCH 'joint'"
        ).fetchall()
        # FTS5's own check of its index against its content: raises if they differ.
        database.execute(
            f"INSERT INTO {index.FTS_TABLE}({index.FTS_TABLE}) VALUES('integrity-check')"
        )
    assert indexed == Passage.objects.count() > 100
    assert matched > 0


# ---------------------------------------------------------------- path tricks


def renamed(backup: Path, out: Path, old: str, new: str) -> Path:
    """A copy of `backup` whose member `old` is called `new`, in the zip and the manifest."""
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["members"][new] = manifest["members"].pop(old)
                data = json.dumps(manifest).encode()
            target.writestr(new if info.filename == old else info.filename, data)
    return out


@pytest.fixture
def with_files(data_folder: Path) -> tuple[Path, str]:
    """A backup holding the card's two files, and the name of the PDF's member."""
    shelved()
    done = create_backup()
    [pdf] = [n for n in done.manifest.members if n.startswith(LIBRARY_PREFIX) and n.endswith("pdf")]
    return done.path, pdf


def check(path: Path) -> str:
    out = StringIO()
    try:
        call_command("restore", str(path), "--check", stdout=out)
    except CommandError as error:
        return f"refused: {error}"
    return out.getvalue()


def test_check_counts_the_library_files_of_a_good_backup(with_files: tuple[Path, str]) -> None:
    said = check(with_files[0])
    assert said.startswith("The backup is complete and intact:")
    assert "0 scenario file(s), 2 library file(s) (0.0 MB)." in said


@pytest.mark.parametrize(
    "evil",
    [
        "library/../secret_key",
        "library/ab/../../../outside.pdf",
        "library//etc/cron.d/x",
        "library/./ab/x.pdf",
        "library/ab\\..\\..\\x.pdf",
        "library/",
    ],
)
def test_a_library_member_that_would_leave_the_store_is_refused(
    with_files: tuple[Path, str], tmp_path: Path, evil: str
) -> None:
    backup, pdf = with_files
    assert f"refused: The backup holds an unexpected member {evil!r}." == check(
        renamed(backup, tmp_path / "evil.zip", pdf, evil)
    )


def test_a_restore_with_a_member_climbing_out_of_the_library_touches_nothing(
    with_files: tuple[Path, str], fresh: Target, tmp_path: Path
) -> None:
    backup, pdf = with_files
    evil = renamed(backup, tmp_path / "evil.zip", pdf, "library/../../escaped.pdf")

    refused = run_restore(evil, fresh, "--force")

    assert refused.returncode == 1
    assert "unexpected member 'library/../../escaped.pdf'" in refused.stderr
    assert fresh.tables() <= {"django_migrations"}
    assert not list(tmp_path.rglob("escaped.pdf"))


def test_a_linked_folder_in_the_target_store_cannot_lead_a_file_outside_it(
    with_files: tuple[Path, str], fresh: Target, tmp_path: Path
) -> None:
    _backup, pdf = with_files
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = pdf.removeprefix(LIBRARY_PREFIX).split("/")[0]
    (fresh.var / "library").mkdir(parents=True)
    (fresh.var / "library" / folder).symlink_to(outside)

    refused = run_restore(with_files[0], fresh, "--force")

    assert refused.returncode == 1, refused.stdout
    assert f"The backup's member {pdf!r} would land outside the library store" in refused.stderr
    assert fresh.tables() <= {"django_migrations"}
    assert list(outside.iterdir()) == []


def test_a_database_holding_library_documents_and_no_exercise_is_not_replaced_without_force(
    with_files: tuple[Path, str], fresh: Target
) -> None:
    backup, _pdf = with_files
    assert run_restore(backup, fresh, "--quick").returncode == 0

    again = run_restore(backup, fresh)

    assert again.returncode == 1
    assert "The database already holds 1 library document(s). A restore replaces" in again.stderr
    assert run_restore(backup, fresh, "--force", "--quick").returncode == 0


# ---------------------------------------------------------------- before the library


@pytest.fixture
def without_library(transactional_db: None) -> Iterator[None]:
    """The database as Caseroom had it before the library app: its migrations unapplied
    (no other app's migrations depend on them), applied again afterwards."""
    call_command("migrate", "library", "zero", verbosity=0)
    try:
        yield
    finally:
        call_command("migrate", "library", verbosity=0)


def test_a_backup_made_before_the_library_existed_restores_with_an_empty_library(
    without_library: None, fresh: Target, tmp_path: Path
) -> None:
    done = create_backup()
    assert "library" not in done.manifest.migrations
    assert not any(n.startswith(LIBRARY_PREFIX) for n in done.manifest.members)
    # What a Caseroom without the library wrote: format 1.
    old = tmp_path / "format-1.zip"
    with zipfile.ZipFile(done.path) as source, zipfile.ZipFile(old, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "manifest.json":
                data = data.replace(b'"format_version": 2', b'"format_version": 1')
            target.writestr(name, data)
    assert Manifest.from_json(zipfile.ZipFile(old).read("manifest.json")).format_version == 1

    restored = run_restore(old, fresh)

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "; 0 library file(s)." in restored.stdout
    assert "Rebuilt the library's search index: 0 passage(s) of 0 document(s)" in restored.stdout
    assert "The restored database is sound." in restored.stdout
    assert {"library_document", "library_passage"} <= fresh.tables()


# ---------------------------------------------------------------- checkdata


def checkdata(*options: str) -> tuple[bool, str]:
    """(sound, what checkdata printed)."""
    out = StringIO()
    try:
        call_command("checkdata", *options, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def file_of(document: Document, language: str) -> Path:
    return store.path_of(
        DocumentVersion.objects.get(document=document, language=language).file_name
    )


def test_checkdata_names_a_library_file_missing_from_the_store() -> None:
    card = shelved()
    assert checkdata() == (True, "The database is sound.\n")
    missing = file_of(card, "en")
    missing.unlink()

    sound, said = checkdata("--quick")

    name = missing.relative_to(store.root()).as_posix()
    assert not sound
    assert (
        f"library document ostrovica-card (en): its file {name} is missing from the library "
        f"store {store.root()}" in said
    )
    assert [p.where for p in check_database()] == ["library document ostrovica-card (en)"]


def test_checkdata_finds_an_altered_library_file_by_size_always_and_by_hash_unless_quick() -> None:
    card = shelved()
    notes = file_of(card, "sr-latn")
    notes.write_bytes(NOTES.replace(b"Velmar", b"Velmur"))  # same size, other bytes
    assert checkdata("--quick")[0]
    sound, said = checkdata()
    assert not sound
    assert "differs from the one uploaded (its SHA-256 does not match)" in said

    notes.write_bytes(NOTES + b"more")
    sound, said = checkdata("--quick")
    assert not sound
    assert f"holds {len(NOTES) + 4} bytes, but {len(NOTES)} were uploaded" in said


def test_checkdata_lists_library_files_no_version_names_and_leaves_them() -> None:
    shelved()
    orphan = store.root() / "ab" / f"ab{'0' * 62}.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4 nobody's")

    sound, said = checkdata()

    assert sound, said
    assert "1 file(s) in the library store" in said and "belong to no document version" in said
    assert f"  ab/{orphan.name}\n" in said
    assert said.endswith("The database is sound.\n")
    assert orphan.is_file()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_checkdata_finds_sqlites_search_index_out_of_step_and_reindex_library_mends_it() -> None:
    shelved()
    passages = Passage.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.FTS_TABLE}")

    sound, said = checkdata("--quick")
    assert not sound
    assert (
        f"library: the search index holds 0 passages and the library {passages}: "
        "run manage.py reindex_library" in said
    )
    call_command("reindex_library", stdout=StringIO())
    assert checkdata("--quick")[0]
