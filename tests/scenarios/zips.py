"""Builders of good and hostile scenario zips for the upload tests.

Hostile archives are made as real tools and attackers make them: `zipfile` writes a valid
archive, then `patch` rewrites fields of one entry's local and central headers in place (the
byte surgery a fuzzer or a hand-edited archive does), so every case is a few readable lines.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from pathlib import Path

from tests.conftest import MINI

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"

# Offsets of the fields `patch` can rewrite, in the local and the central header (APPNOTE 4.3.7
# and 4.3.12), with their struct format.
FIELDS: dict[str, tuple[int, int, str]] = {
    "flags": (6, 8, "<H"),
    "method": (8, 10, "<H"),
    "crc": (14, 16, "<I"),
    "compressed_size": (18, 20, "<I"),
    "size": (22, 24, "<I"),
}


def mini_files(prefix: str = "mini/") -> dict[str, bytes]:
    """The all-features test scenario's files, as a zip of its folder would hold them."""
    return {
        f"{prefix}{p.relative_to(MINI).as_posix()}": p.read_bytes()
        for p in sorted(MINI.rglob("*"))
        if p.is_file()
    }


def zipped(
    files: dict[str, bytes | str] | None = None,
    *,
    extra: dict[str, bytes | str] | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A zip of `files` (the mini scenario by default) plus `extra` entries, in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in {
            **(mini_files() if files is None else files),
            **(extra or {}),
        }.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_entry(
    info: zipfile.ZipInfo, content: bytes | str, files: dict[str, bytes | str] | None = None
) -> bytes:
    """The mini scenario plus one entry whose header (mode bits, method) the test chose."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (mini_files() if files is None else files).items():
            archive.writestr(name, data)
        with warnings.catch_warnings():  # a second entry of one name is what some tests want
            warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
            archive.writestr(info, content)
    return buffer.getvalue()


def _headers(data: bytes, name: str) -> tuple[int, int]:
    """Offsets of the local and the central header of the entry called `name`."""
    raw = name.encode()
    local = data.index(LOCAL)
    while data[local + 30 : local + 30 + len(raw)] != raw or _name_length(data, local, 26) != len(
        raw
    ):
        local = data.index(LOCAL, local + 4)
    central = data.index(CENTRAL)
    while data[central + 46 : central + 46 + len(raw)] != raw or _name_length(
        data, central, 28
    ) != len(raw):
        central = data.index(CENTRAL, central + 4)
    return local, central


def _name_length(data: bytes, header: int, at: int) -> int:
    length: int = struct.unpack_from("<H", data, header + at)[0]
    return length


def patch(data: bytes, name: str, **values: int) -> bytes:
    """`data` with header fields of entry `name` rewritten in both headers (see FIELDS)."""
    out = bytearray(data)
    local, central = _headers(data, name)
    for field, value in values.items():
        in_local, in_central, fmt = FIELDS[field]
        struct.pack_into(fmt, out, local + in_local, value)
        struct.pack_into(fmt, out, central + in_central, value)
    return bytes(out)


def header(data: bytes, name: str, field: str) -> int:
    """A field of entry `name` as its central header states it."""
    _, central = _headers(data, name)
    value: int = struct.unpack_from(FIELDS[field][2], data, central + FIELDS[field][1])[0]
    return value


def payload_offset(data: bytes, name: str) -> int:
    """Where the (compressed) bytes of entry `name` start."""
    local, _ = _headers(data, name)
    name_length, extra_length = struct.unpack_from("<HH", data, local + 26)
    return local + 30 + int(name_length) + int(extra_length)


def replace_bytes(data: bytes, old: bytes, new: bytes) -> bytes:
    """Every occurrence of `old` (a name in both headers, say) replaced by same-length `new`."""
    assert len(old) == len(new) and old in data
    return data.replace(old, new)


def bomb(path: Path | None = None, *, megabytes: int = 95) -> bytes:
    """The mini scenario plus `megabytes` of YAML comment that deflate packs ~1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in mini_files().items():
            archive.writestr(name, content)
        line = b"# " + b"a" * 1021 + b"\n"
        with archive.open("mini/padding.yaml", "w", force_zip64=False) as entry:
            for _ in range(megabytes * 1024):
                entry.write(line)
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data
