"""Register scenario folders (or uploaded zip files) as immutable versions, and load them."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from threading import Lock

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from caseroom.engine import (
    Diagnostic,
    Location,
    Scenario,
    ScenarioError,
    Severity,
    load_scenario,
)
from caseroom.engine.validator import check_scenario

from .models import ScenarioVersion

__all__ = ["RegistrationError", "load", "register_folder", "register_zip"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_FILES = 2000


class RegistrationError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(str(d) for d in diagnostics[:3]))
        self.diagnostics = diagnostics


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@transaction.atomic
def register_folder(
    folder: Path, user: User | None = None, *, explore: bool = True
) -> ScenarioVersion:
    """Validate and store a copy of a folder; the same content registered twice is one version.

    `explore=False` skips the semantic exploration (load errors still block): for tests
    and for re-registering scenarios that are validated in CI anyway.
    """
    try:
        scenario = load_scenario(folder)
    except ScenarioError as error:
        raise RegistrationError(
            [d for d in error.diagnostics if d.severity is Severity.error]
        ) from None
    diagnostics = (
        check_scenario(scenario, max_states=3000, playthroughs=100)
        if explore
        else list(scenario.warnings)
    )
    errors = [d for d in diagnostics if d.severity is Severity.error]
    if errors:
        raise RegistrationError(errors)
    digest = _digest(folder)
    existing = ScenarioVersion.objects.filter(slug=scenario.id, version=scenario.version).first()
    if existing is not None:
        if existing.digest == digest:
            return existing
        raise RegistrationError(
            [
                Diagnostic(
                    Location("scenario.yaml"),
                    f"version {scenario.version} of '{scenario.id}' is already registered "
                    "with other content: raise 'version' in scenario.yaml",
                    code="version",
                )
            ]
        )
    store = Path(settings.SCENARIO_STORE) / f"{scenario.id}-{digest[:16]}"
    if not store.exists():
        shutil.copytree(folder, store)
    return ScenarioVersion.objects.create(
        slug=scenario.id,
        version=scenario.version,
        title=scenario.doc.title,
        summary=scenario.doc.summary,
        digest=digest,
        path=str(store),
        stats={
            "roles": len(scenario.roles),
            "decision_points": scenario.decision_points(),
            "documents": len(scenario.documents),
            "injects": len(scenario.injects),
            "endings": len(scenario.endings),
        },
        warnings=[d.to_dict() for d in diagnostics],
        registered_by=user if user is not None and user.pk else None,
    )


def register_zip(data: bytes, user: User | None = None) -> ScenarioVersion:
    """Register a scenario uploaded as a zip of its folder (checked for size and paths)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RegistrationError([Diagnostic(Location("upload"), "the file is larger than 20 MB")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RegistrationError([Diagnostic(Location("upload"), "not a zip file")]) from None
    names = archive.namelist()
    if len(names) > MAX_FILES:
        raise RegistrationError([Diagnostic(Location("upload"), "too many files in the zip")])
    total = sum(i.file_size for i in archive.infolist())
    if total > 5 * MAX_UPLOAD_BYTES:
        raise RegistrationError([Diagnostic(Location("upload"), "the zip unpacks to over 100 MB")])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise RegistrationError(
                    [Diagnostic(Location(info.filename), "unsafe path in the zip")]
                )
            if info.is_dir():
                continue
            target = root.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
        found = sorted(root.rglob("scenario.yaml"), key=lambda p: len(p.parts))
        if not found:
            raise RegistrationError(
                [Diagnostic(Location("upload"), "the zip holds no scenario.yaml")]
            )
        return register_folder(found[0].parent, user)


# Keyed by id and content digest: ids can repeat where rows are rolled back.
_cache: dict[tuple[int, str], Scenario] = {}
_lock = Lock()


def load(version: ScenarioVersion) -> Scenario:
    """The loaded scenario of a version (loaded once per process: versions never change)."""
    key = (version.pk, version.digest)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                try:
                    found = load_scenario(version.path)
                except ScenarioError as error:  # the stored copy was altered on disk
                    raise RegistrationError(error.diagnostics) from None
                _cache[key] = found
    return found
