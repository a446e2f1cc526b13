"""Unpack an uploaded scenario zip into a folder, refusing anything hostile or broken.

Anyone with a trainer account may upload a zip, so nothing in it is trusted: not the names,
not the sizes its headers claim, not its flags. Every problem becomes a `Diagnostic` naming
the entry and what is wrong with it; nothing here lets an exception from `zipfile` or `zlib`
reach a view. Pure Python: no Django, so the limits can be tested without a database.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from caseroom.engine import Diagnostic, Location

__all__ = ["LIMITS", "Limits", "ZipRefused", "unpack"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds of one upload. The shipped scenarios hold 6 and 25 files (76 KB and 256 KB on
    disk), the largest YAML file 32 KB: every bound leaves a real scenario room to grow."""

    upload_bytes: int = 20 * MB
    # zipfile reads the whole table of contents before anyone can count its entries: a 20 MB
    # zip of 446,000 one-letter entries took 9.4 s and 200 MB to open. 2000 real entries with
    # 200-character names need 0.5 MB.
    directory_bytes: int = 1 * MB
    entries: int = 2000
    name_bytes: int = 512
    segment_bytes: int = 200  # ext4 allows 255 bytes per name; encrypted home folders 143
    depth: int = 16
    # The engine bounds what it parses (caseroom/engine/limits.py: 256 KB a file, 1 MB a
    # folder); these bounds, above the engine's, only refuse a YAML bomb from its header
    # before a byte of it is written, where assets (images, PDFs) may be far larger.
    yaml_bytes: int = 512 * 1024
    yaml_total_bytes: int = 2 * MB
    file_bytes: int = 10 * MB
    total_bytes: int = 50 * MB
    # Text deflates 3-10 times, a blank image a few hundred; a bomb about 1000.
    ratio: int = 100
    ratio_floor: int = 1 * MB  # small files may pack tighter: 1 KB of spaces is no attack


LIMITS = Limits()
SCENARIO_FILES = ("scenario.yaml", "scenario.yml")  # what the engine's loader looks for
CHUNK = 64 * 1024
MAX_DIAGNOSTICS = 20  # a hostile zip can have 2000 bad names; the first 20 make the point
# What macOS's Finder adds to every zip: resource forks nobody means to upload.
IGNORED_FOLDERS = ("__MACOSX",)
# Flag bits of APPNOTE 4.4.4: encrypted, compressed patch data, strong encryption.
ENCRYPTED, PATCHED, STRONG_ENCRYPTION = 0x1, 0x20, 0x40
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
OTHER_METHODS = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 99: "AES", 93: "zstd"}


class ZipRefused(Exception):
    """The upload cannot be used; `diagnostics` says which entry and why, for the uploader."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(str(d) for d in diagnostics[:3]))
        self.diagnostics = diagnostics


def _refuse(where: str, message: str, code: str) -> ZipRefused:
    return ZipRefused([Diagnostic(Location(where), message, code=code)])


def _shown(name: str) -> str:
    """An entry name fit for a one-line message: control characters escaped, length capped."""
    shown = name if name.isprintable() else name.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= 120 else f"{shown[:60]}…{shown[-40:]}"


def _size(size: int) -> str:
    """A size as people read it: 20 MB, 1.5 MB, 512 KB, 300 bytes."""
    if size >= MB:
        return f"{size // MB} MB" if size % MB == 0 or size >= 10 * MB else f"{size / MB:.1f} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} bytes"


@dataclass(frozen=True)
class Entry:
    """One entry of the zip whose name and header passed the checks."""

    info: zipfile.ZipInfo
    name: str  # as shown in diagnostics
    parts: tuple[str, ...]
    is_dir: bool

    @property
    def is_yaml(self) -> bool:
        # The engine reads *.yaml and *.yml, translations *.y*ml: count all of them as YAML.
        suffix = Path(self.parts[-1]).suffix.lower()
        return suffix.startswith(".y") and suffix.endswith("ml")

    def limit(self, limits: Limits) -> int:
        return limits.yaml_bytes if self.is_yaml else limits.file_bytes


def unpack(source: bytes | IO[bytes], target: Path, limits: Limits = LIMITS) -> Path:
    """Unpack the scenario folder of a zip into the empty folder `target`; its path is returned.

    The scenario folder is the one holding the shallowest scenario.yaml; entries outside it
    are checked but not unpacked. Raises `ZipRefused` and leaves `target` for the caller to
    delete when anything is wrong.
    """
    with _opened(source, limits) as archive:
        entries = _checked_entries(archive, limits)
        root = _scenario_root(entries)
        inside = [e for e in entries if e.parts[: len(root)] == root and not e.is_dir]
        _check_declared_sizes(inside, limits)
        _extract(archive, inside, target, limits)
    return target.joinpath(*root)


# ---------------------------------------------------------------- opening


class _DirectoryGuard:
    """The upload as zipfile reads it, refusing while `armed` any read over `limit` bytes.

    zipfile reads the table of contents in one `read(size)` before it returns, with `size`
    taken from the zip's end record; refusing that read bounds the work of opening a zip
    without parsing its end record (and the ZIP64 variants of it) a second time here.
    """

    def __init__(self, file: IO[bytes], size: int, limit: int) -> None:
        self.file = file
        self.size = size
        self.limit = limit
        self.armed = True

    def read(self, n: int = -1, /) -> bytes:
        wanted = self.size - self.file.tell() if n < 0 else n  # read() to the end: the end record
        if self.armed and wanted > self.limit:
            raise _DirectoryTooLarge
        return self.file.read(n)

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def seekable(self) -> bool:
        return True


class _DirectoryTooLarge(Exception):
    pass


@contextmanager
def _opened(source: bytes | IO[bytes], limits: Limits) -> Iterator[zipfile.ZipFile]:
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    # Measured by seeking, never by reading: a 2 GB upload costs nothing to refuse.
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > limits.upload_bytes:
        raise _refuse(
            "upload", f"the file is larger than {_size(limits.upload_bytes)}", "upload-size"
        )
    guard = _DirectoryGuard(file, size, limits.directory_bytes)
    try:
        archive = zipfile.ZipFile(guard, "r")
    except _DirectoryTooLarge:
        raise _refuse(
            "upload",
            f"the zip's table of contents is larger than {_size(limits.directory_bytes)}: "
            f"a scenario has at most {limits.entries} files",
            "zip-count",
        ) from None
    except UnicodeDecodeError as error:
        # The name that failed is in the error; zipfile gives no other way to know which.
        name = bytes(error.object).decode("utf-8", "backslashreplace")
        raise _refuse(
            _shown(name),
            "the name is marked as UTF-8 but is not valid UTF-8: zip it again with a current "
            "tool (Windows Explorer, macOS Finder, 7-Zip)",
            "zip-name",
        ) from None
    except NotImplementedError as error:  # "zip file version 6.3" of a newer format
        raise _refuse("upload", f"unsupported zip format ({error})", "not-zip") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _refuse("upload", "not a zip file", "not-zip") from None
    guard.armed = False
    with archive:
        yield archive


# ---------------------------------------------------------------- names and headers


def _checked_entries(archive: zipfile.ZipFile, limits: Limits) -> list[Entry]:
    """Every entry with a safe name and a usable header; all problems are reported at once."""
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise _refuse(
            "upload",
            f"too many files in the zip ({len(infos)}; at most {limits.entries})",
            "zip-count",
        )
    problems: list[Diagnostic] = []
    entries: list[Entry] = []
    for info in infos:
        name = _shown(info.orig_filename)
        found = _entry_problem(info, limits)
        if found is not None:
            problems.append(Diagnostic(Location(name), found[0], code=found[1]))
            continue
        clean = info.orig_filename.replace("\\", "/")
        is_dir = clean.endswith("/")
        parts = tuple(clean.rstrip("/").split("/"))
        if parts[0] in IGNORED_FOLDERS:
            continue
        entries.append(Entry(info, name, parts, is_dir))
    problems += _collisions(entries)
    if problems:
        if len(problems) > MAX_DIAGNOSTICS:
            more = len(problems) - MAX_DIAGNOSTICS
            problems = problems[:MAX_DIAGNOSTICS] + [
                Diagnostic(Location("upload"), f"and {more} more problems", code="zip-more")
            ]
        raise ZipRefused(problems)
    return entries


def _entry_problem(info: zipfile.ZipInfo, limits: Limits) -> tuple[str, str] | None:
    """What makes one entry unusable on its own, as (message, code), or None."""
    return _name_problem(info.orig_filename, limits) or _header_problem(info)


def _name_problem(raw: str, limits: Limits) -> tuple[str, str] | None:
    # Windows PowerShell 5 and .NET Framework zips separate folders with '\'.
    name = raw.replace("\\", "/")
    if not name or name.startswith("/"):
        return "unsafe path in the zip", "zip-name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "control character in the name", "zip-name"
    if len(name.encode("utf-8")) > limits.name_bytes:
        return f"the name is longer than {limits.name_bytes} bytes", "zip-name"
    parts = name.removesuffix("/").split("/")
    if ".." in parts:
        return "unsafe path in the zip", "zip-name"
    if any(part in ("", ".") for part in parts):
        return "'.' or an empty folder name in the path", "zip-name"
    if len(parts) > limits.depth + 1:
        return f"folders nested deeper than {limits.depth} levels", "zip-name"
    if any(len(part.encode("utf-8")) > limits.segment_bytes for part in parts):
        return f"a file or folder name is longer than {limits.segment_bytes} bytes", "zip-name"
    return None


def _header_problem(info: zipfile.ZipInfo) -> tuple[str, str] | None:
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "is a symbolic link: zip the file it points to instead", "zip-link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is a device, pipe or socket, not a file", "zip-link"
    if info.flag_bits & (ENCRYPTED | STRONG_ENCRYPTION):
        return "is encrypted: zip the folder without a password", "zip-encrypted"
    if info.flag_bits & PATCHED:
        return "uses patch data (flag bit 5), which no scenario needs", "zip-method"
    if info.compress_type not in METHODS:
        method = OTHER_METHODS.get(info.compress_type, "unknown")
        return (
            f"uses compression method {info.compress_type} ({method}): "
            "zip it again with 'deflate', the default of every zip tool",
            "zip-method",
        )
    return None


def _collisions(entries: list[Entry]) -> list[Diagnostic]:
    """Names used twice, and files that other entries use as a folder."""
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, ...], Entry] = {}
    for entry in entries:
        earlier = seen.get(entry.parts)
        if earlier is not None and not (entry.is_dir and earlier.is_dir):
            problems.append(
                Diagnostic(Location(entry.name), "appears twice in the zip", code="zip-duplicate")
            )
        seen.setdefault(entry.parts, entry)
    folders = {entry.parts[:i]: entry for entry in entries for i in range(1, len(entry.parts))}
    for parts, entry in seen.items():
        user = folders.get(parts)
        if not entry.is_dir and user is not None:
            problems.append(
                Diagnostic(
                    Location(entry.name),
                    f"is a file, but '{user.name}' uses it as a folder",
                    code="zip-conflict",
                )
            )
    return problems


def _scenario_root(entries: list[Entry]) -> tuple[str, ...]:
    """The folder of the shallowest scenario.yaml; two at that depth are refused, naming both."""
    found = [e for e in entries if not e.is_dir and e.parts[-1] in SCENARIO_FILES]
    if not found:
        raise _refuse("upload", "the zip holds no scenario.yaml", "zip-empty")
    depth = min(len(e.parts) for e in found)
    shallowest = [e for e in found if len(e.parts) == depth]
    if len(shallowest) > 1:
        names = " and ".join(f"'{e.name}'" for e in shallowest[:5])
        raise _refuse(
            shallowest[0].name,
            f"the zip holds {len(shallowest)} scenarios at the same depth ({names}): "
            "upload one scenario folder per zip",
            "zip-ambiguous",
        )
    return shallowest[0].parts[:-1]


# ---------------------------------------------------------------- sizes and data


def _check_declared_sizes(entries: list[Entry], limits: Limits) -> None:
    """Refuse early what the headers admit to; `_extract` counts what they do not."""
    for entry in entries:
        if entry.info.file_size > entry.limit(limits):
            raise _refuse(entry.name, _too_large(entry, entry.info.file_size, limits), "zip-size")
    total = sum(e.info.file_size for e in entries)
    if total > limits.total_bytes:
        raise _refuse("upload", _total_too_large(limits), "zip-size")
    yaml = sum(e.info.file_size for e in entries if e.is_yaml)
    if yaml > limits.yaml_total_bytes:
        raise _refuse("upload", _yaml_too_large(limits), "zip-size")


def _too_large(entry: Entry, size: int, limits: Limits, *, counted: bool = False) -> str:
    kind = "a YAML file" if entry.is_yaml else "a file"
    amount = f"over {_size(entry.limit(limits))}" if counted else _size(size)
    return f"unpacks to {amount}, over the limit of {_size(entry.limit(limits))} for {kind}"


def _total_too_large(limits: Limits) -> str:
    return f"the zip unpacks to over {_size(limits.total_bytes)}"


def _yaml_too_large(limits: Limits) -> str:
    return f"the YAML files unpack to over {_size(limits.yaml_total_bytes)} together"


def _extract(archive: zipfile.ZipFile, entries: list[Entry], target: Path, limits: Limits) -> None:
    total = yaml = 0
    for entry in entries:
        path = target.joinpath(*entry.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        written = _copy(archive, entry, path, limits)
        total += written
        yaml += written if entry.is_yaml else 0
        if total > limits.total_bytes:
            raise _refuse("upload", _total_too_large(limits), "zip-size")
        if yaml > limits.yaml_total_bytes:
            raise _refuse("upload", _yaml_too_large(limits), "zip-size")


def _copy(archive: zipfile.ZipFile, entry: Entry, path: Path, limits: Limits) -> int:
    """Decompress one entry to `path`, counting the bytes that really come out of it."""
    limit = entry.limit(limits)
    ratio_limit = max(limits.ratio * entry.info.compress_size, limits.ratio_floor)
    written = 0
    # "xb": never overwrite, never follow a link (the checks above rule both out already).
    with path.open("xb") as out:
        for chunk in _chunks(archive, entry):
            written += len(chunk)
            if written > limit:
                raise _refuse(
                    entry.name, _too_large(entry, written, limits, counted=True), "zip-size"
                )
            if written > ratio_limit:
                raise _refuse(
                    entry.name,
                    f"expands more than {limits.ratio} times: refused as a likely zip bomb",
                    "zip-ratio",
                )
            out.write(chunk)
    if written != entry.info.file_size:
        raise _refuse(
            entry.name,
            f"damaged: its header says {entry.info.file_size} bytes but it holds {written}",
            "zip-damaged",
        )
    return written


def _chunks(archive: zipfile.ZipFile, entry: Entry) -> Iterator[bytes]:
    """The decompressed data of an entry, a chunk at a time; any failure names the entry.

    Only the upload is read here (the caller writes), so every error is the zip's.
    """
    try:
        with archive.open(entry.info) as data:
            while chunk := data.read(CHUNK):
                yield chunk
    except zipfile.BadZipFile as error:
        raise _refuse(entry.name, _damage(str(error)), "zip-damaged") from None
    except (zlib.error, EOFError) as error:
        raise _refuse(
            entry.name, f"damaged: its compressed data cannot be read ({error})", "zip-damaged"
        ) from None
    except (NotImplementedError, RuntimeError, UnicodeDecodeError, ValueError, OSError) as error:
        # The local header contradicts the table of contents (another method, encryption, a
        # name in another encoding) or points outside the file: only the table was checked.
        raise _refuse(entry.name, f"damaged: {error}", "zip-damaged") from None


def _damage(message: str) -> str:
    if message.startswith("Bad CRC-32"):
        return "damaged: its checksum (CRC-32) does not match its content"
    if "differ" in message:
        return "damaged: its name differs between the table of contents and its header"
    return f"damaged: {message}"
