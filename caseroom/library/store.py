"""Where uploaded library files live: LIBRARY_STORE (default var/library), named by content.

A file's name is its SHA-256 and the extension of its checked type ("ab/ab12….pdf"): never
the uploader's name, so nothing a person types reaches the file system, and the same file
uploaded twice is stored once. Files are written before the transaction that points at them
commits; a file nobody points at is harmless and `orphans()` lists them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

__all__ = ["file_name", "orphans", "path_of", "root", "save"]


def root() -> Path:
    configured = getattr(settings, "LIBRARY_STORE", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "library"


def file_name(digest: str, file_type: str) -> str:
    assert len(digest) == 64 and digest.isalnum() and file_type in ("pdf", "docx", "md")
    return f"{digest[:2]}/{digest}.{file_type}"


def path_of(name: str) -> Path:
    """The stored file's path; ValueError for a name that is not one of ours."""
    base = root().resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"not a library file name: {name!r}")
    return path


def save(data: bytes, digest: str, file_type: str) -> str:
    """Store the bytes (atomically: a temporary file renamed) and return their name."""
    name = file_name(digest, file_type)
    path = path_of(name)
    if path.is_file():
        return name
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def orphans(known: set[str]) -> list[Path]:
    """Stored files no version names (`known`: the names in use)."""
    base = root()
    if not base.is_dir():
        return []
    return sorted(
        path
        for path in base.glob("*/*")
        if path.is_file() and path.relative_to(base).as_posix() not in known
    )
