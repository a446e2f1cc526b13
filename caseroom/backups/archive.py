"""The backup file: a zip of the data with a manifest that vouches for every member.

backup.py writes it; restore.py reads it and refuses it, naming what is wrong, before
anything is touched. A member is a file: the database copy, the scenario store's files
(relative to SCENARIO_STORE, so a restored installation may live elsewhere), the library's
uploaded files (relative to LIBRARY_STORE), the secret key and the demo log-ins. The
manifest lists each with its size and SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = [
    "COUNTED",
    "DATABASE_MEMBERS",
    "DEMO_LOGINS_MEMBER",
    "FORMAT",
    "FORMAT_VERSION",
    "LIBRARY_PREFIX",
    "MANIFEST",
    "SECRET_KEY_MEMBER",
    "STORE_PREFIX",
    "ArchiveWriter",
    "BackupError",
    "Manifest",
    "Member",
    "check_member",
    "check_name",
    "copy_member",
    "open_archive",
]

FORMAT = "caseroom-backup"
# 2: the library's files (LIBRARY_PREFIX). A Caseroom that reads up to 1 then says "update
# Caseroom" instead of calling the first library file an unexpected member; version 1
# backups (made before the library) read as before.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/caseroom.sqlite3", "postgresql": "database/caseroom.pgdump"}
STORE_PREFIX = "scenarios/"
LIBRARY_PREFIX = "library/"
# Folders whose files a backup carries under a relative name: what check_name lets through.
FOLDER_PREFIXES = (STORE_PREFIX, LIBRARY_PREFIX)
SECRET_KEY_MEMBER = "secret_key"
DEMO_LOGINS_MEMBER = "demo-logins.json"
# The tables whose rows the manifest counts (the names say what a trainer would call them).
COUNTED = ("exercises", "teams", "team_events", "participants", "messages")

# Bounds on what a restore reads before trusting anything. A store of 1,000 scenario
# versions of 50 files is 50,000 members and a manifest of about 6 MB.
MAX_MANIFEST_BYTES = 32 * 2**20
MAX_MEMBERS = 200_000
MAX_NAME = 400
CHUNK = 2**20
# Owner-only: the archive and what it restores hold people's names and the secret key.
PRIVATE = 0o600
_NAME_PART = re.compile(r"[^/\\\x00]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BackupError(Exception):
    """A backup that cannot be made or restored; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Member:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    vendor: str
    migrations: dict[str, str]
    counts: dict[str, int]
    secret_key: bool
    members: dict[str, Member] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    def files_under(self, prefix: str) -> tuple[int, int]:
        """(how many members, how many bytes) under `prefix`: the scenario store's or the
        library's."""
        sizes = [m.size for name, m in self.members.items() if name.startswith(prefix)]
        return len(sizes), sum(sizes)

    def describe_files(self) -> str:
        """The stores' files as a trainer reads them: "14 scenario file(s), 3 library
        file(s) (2.1 MB)"."""
        scenarios, _size = self.files_under(STORE_PREFIX)
        library, size = self.files_under(LIBRARY_PREFIX)
        return f"{scenarios:,} scenario file(s), {library:,} library file(s) ({size / 1e6:,.1f} MB)"

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": self.format_version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "member": self.database_member},
            "migrations": self.migrations,
            "counts": self.counts,
            "secret_key": self.secret_key,
            "members": {
                name: {"size": m.size, "sha256": m.sha256} for name, m in self.members.items()
            },
        }
        return json.dumps(document, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """The manifest, or BackupError("manifest", ...) saying what is missing or wrong."""
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as error:
            raise _bad_manifest(f"it is not JSON ({error})") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise _bad_manifest(f"it does not say format {FORMAT!r}")
        version = document.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise _bad_manifest("it has no format_version")
        if version > FORMAT_VERSION:
            raise BackupError(
                "newer_format",
                f"This backup has format version {version}, made by a newer Caseroom than "
                f"this one (which reads up to {FORMAT_VERSION}): update Caseroom first.",
            )
        database = _typed(document, "database", dict)
        vendor = database.get("vendor")
        if vendor not in DATABASE_MEMBERS:
            raise _bad_manifest(f"unknown database vendor {vendor!r}")
        migrations = _typed(document, "migrations", dict)
        counts = _typed(document, "counts", dict)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in migrations.items()):
            raise _bad_manifest("'migrations' is not a map of app to migration name")
        if set(counts) != set(COUNTED) or not all(
            type(v) is int and v >= 0 for v in counts.values()
        ):
            raise _bad_manifest(f"'counts' does not count {', '.join(COUNTED)}")
        listed = _typed(document, "members", dict)
        if len(listed) > MAX_MEMBERS:
            raise _bad_manifest(f"it lists {len(listed):,} members, more than {MAX_MEMBERS:,}")
        members: dict[str, Member] = {}
        for name, entry in listed.items():
            check_name(name)
            size = entry.get("size") if isinstance(entry, dict) else None
            sha256 = entry.get("sha256") if isinstance(entry, dict) else None
            if type(size) is not int or size < 0 or not _SHA256.fullmatch(str(sha256)):
                raise _bad_manifest(f"member {name!r} has no valid size and SHA-256")
            members[name] = Member(size, str(sha256))
        if DATABASE_MEMBERS[vendor] not in members:
            raise _bad_manifest(f"it lists no database ({DATABASE_MEMBERS[vendor]})")
        return cls(
            created_at=str(_typed(document, "created_at", str)),
            vendor=str(vendor),
            migrations=dict(migrations),
            counts=dict(counts),
            secret_key=bool(_typed(document, "secret_key", bool)),
            members=members,
            format_version=version,
        )


def _bad_manifest(why: str) -> BackupError:
    return BackupError("manifest", f"The backup's {MANIFEST} is not valid: {why}.")


def _typed(document: dict[str, Any], key: str, kind: type) -> Any:
    value = document.get(key)
    if not isinstance(value, kind):
        raise _bad_manifest(f"{key!r} is missing or not a {kind.__name__}")
    return value


def check_name(name: str) -> None:
    """A member name that can only land where it belongs: never outside its folder."""
    fixed = (*DATABASE_MEMBERS.values(), SECRET_KEY_MEMBER, DEMO_LOGINS_MEMBER)
    if name in fixed:
        return
    prefix = next((p for p in FOLDER_PREFIXES if name.startswith(p)), "")
    parts = name[len(prefix) :].split("/") if prefix else []
    if (
        len(name) > MAX_NAME
        or not parts
        or not all(_NAME_PART.fullmatch(p) and p not in (".", "..") for p in parts)
    ):
        raise BackupError("member_name", f"The backup holds an unexpected member {name!r}.")


# ---------------------------------------------------------------- writing


class ArchiveWriter:
    """Members written one by one, hashed as they go; the manifest last (`finish`)."""

    def __init__(self, handle: IO[bytes], *, compresslevel: int) -> None:
        self._zip = zipfile.ZipFile(handle, "w", allowZip64=True)
        self._level = compresslevel
        now = dt.datetime.now()  # noqa: DTZ005 (a zip stores local time without a zone)
        self._stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
        self.members: dict[str, Member] = {}

    def _info(self, name: str, size: int, compress: bool) -> zipfile.ZipInfo:
        if name != MANIFEST:
            check_name(name)
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.external_attr = (0o100000 | PRIVATE) << 16  # a regular file, owner-only
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        if compress:
            info._compresslevel = self._level  # type: ignore[attr-defined]
        info.file_size = size  # lets zipfile choose ZIP64 up front for large members
        return info

    def add_file(self, name: str, path: Path, *, compress: bool = True) -> Member:
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as source:
            info = self._info(name, os.fstat(source.fileno()).st_size, compress)
            with self._zip.open(info, "w") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
        member = Member(size, digest.hexdigest())
        self.members[name] = member
        return member

    def add_bytes(self, name: str, data: bytes) -> Member:
        with self._zip.open(self._info(name, len(data), True), "w") as target:
            target.write(data)
        member = Member(len(data), hashlib.sha256(data).hexdigest())
        self.members[name] = member
        return member

    def finish(self, manifest: Manifest) -> None:
        data = manifest.to_json()
        with self._zip.open(self._info(MANIFEST, len(data), True), "w") as target:
            target.write(data)
        self._zip.close()


# ---------------------------------------------------------------- reading


def open_archive(path: Path) -> tuple[zipfile.ZipFile, Manifest]:
    """The open zip and its manifest, after checking that the two list the same members
    with the same sizes. The members' content is checked as it is copied (`copy_member`)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError("missing", f"There is no file {path}.") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise BackupError(
            "not_a_backup",
            f"{path} is not a complete Caseroom backup: it is truncated or not a zip file "
            f"({error}).",
        ) from None
    try:
        manifest = _read_manifest(archive)
        _check_listing(archive, manifest)
    except BaseException:
        archive.close()
        raise
    return archive, manifest


def _read_manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise BackupError(
            "manifest", f"This zip file holds no {MANIFEST}: it is not a Caseroom backup."
        ) from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _bad_manifest(f"it is larger than {MAX_MANIFEST_BYTES // 2**20} MB")
    try:
        with archive.open(info) as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise _bad_manifest(f"it cannot be read ({error})") from None
    return Manifest.from_json(raw)


def _check_listing(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS + 1:
        raise BackupError("members", f"The backup holds {len(infos):,} files, too many.")
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise BackupError("members", f"The backup holds {info.filename!r} twice.")
        seen.add(info.filename)
        if info.filename == MANIFEST:
            continue
        listed = manifest.members.get(info.filename)
        if listed is None:
            raise BackupError(
                "members", f"The backup holds {info.filename!r}, which its manifest does not list."
            )
        if info.file_size != listed.size:
            raise BackupError(
                "altered",
                f"Member {info.filename!r} holds {info.file_size:,} bytes, but the manifest "
                f"says {listed.size:,}: the backup was altered or damaged.",
            )
    missing = sorted(set(manifest.members) - seen)
    if missing:
        raise BackupError(
            "members",
            f"The backup lacks {len(missing)} member(s) its manifest lists, such as "
            f"{missing[0]!r}: it is incomplete.",
        )


def copy_member(archive: zipfile.ZipFile, name: str, member: Member, target: Path) -> None:
    """Copy one member to a new owner-only file, refusing it (BackupError) unless its bytes
    are exactly the manifest's; the caller deletes the file then."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    with os.fdopen(descriptor, "wb") as out:
        _read_member(archive, name, member, out.write)


def check_member(archive: zipfile.ZipFile, name: str, member: Member) -> None:
    """Read one member through, refusing it unless its bytes are exactly the manifest's."""
    _read_member(archive, name, member, lambda _chunk: None)


def _read_member(
    archive: zipfile.ZipFile, name: str, member: Member, sink: Callable[[bytes], object]
) -> None:
    """Stream a member into `sink` while hashing it. Reads at most one byte more than the
    manifest's size, so a member that inflates beyond it (a zip bomb) is stopped there."""
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(name) as source:
            while chunk := source.read(min(CHUNK, member.size - size + 1)):
                size += len(chunk)
                if size > member.size:
                    break
                digest.update(chunk)
                sink(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, ValueError) as error:
        raise BackupError(
            "damaged", f"Member {name!r} of the backup is damaged and cannot be read ({error})."
        ) from None
    if size != member.size or digest.hexdigest() != member.sha256:
        raise BackupError(
            "altered",
            f"Member {name!r} differs from the backup's manifest (its SHA-256 does not match): "
            "the backup was altered or damaged.",
        )
