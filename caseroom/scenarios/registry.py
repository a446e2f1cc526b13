"""Register scenario folders (or uploaded zip files) as immutable versions, and load them."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from pathlib import Path
from threading import Lock
from typing import IO

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
from caseroom.engine.yamlsource import walk_files

from .models import ScenarioVersion
from .unzip import LIMITS, ZipRefused, unpack

__all__ = [
    "MAX_UPLOAD_BYTES",
    "RegistrationError",
    "load",
    "register_folder",
    "register_zip",
    "sweep_stale",
]

MAX_UPLOAD_BYTES = LIMITS.upload_bytes
# Work folders inside the store (same file system: a finished copy is renamed into place, so a
# stored version is never half-written). A process killed mid-registration leaves one behind;
# the next registration deletes those older than STALE_SECONDS, far longer than one takes.
TEMP_PREFIX = ".incoming-"
STALE_SECONDS = 3600


class RegistrationError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(str(d) for d in diagnostics[:3]))
        self.diagnostics = diagnostics


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in walk_files(root) if p.is_file()):
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
    store = _store_copy(folder, f"{scenario.id}-{digest[:16]}")
    return ScenarioVersion.objects.create(
        slug=scenario.id,
        version=scenario.version,
        title=scenario.doc.title,
        summary=scenario.doc.summary,
        digest=digest,
        path=store.name,  # relative to SCENARIO_STORE: the data folder can move
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


def register_zip(
    source: bytes | IO[bytes], user: User | None = None, *, explore: bool = True
) -> ScenarioVersion:
    """Register a scenario uploaded as a zip of its folder (see `unzip` for what is refused).

    `source` is the zip's content or a seekable file holding it (an upload Django spooled to
    disk is never read into memory). Nothing is stored unless the whole scenario is valid.
    `explore` as in `register_folder`.
    """
    root = _store_root()
    with tempfile.TemporaryDirectory(
        prefix=TEMP_PREFIX, dir=root, ignore_cleanup_errors=True
    ) as work:
        try:
            folder = unpack(source, Path(work))
        except ZipRefused as refused:
            raise RegistrationError(refused.diagnostics) from None
        return register_folder(folder, user, explore=explore)


def _store_root() -> Path:
    """The store, created if need be, without the work folders of killed registrations."""
    root = Path(settings.SCENARIO_STORE)
    root.mkdir(parents=True, exist_ok=True)
    sweep_stale(root)
    return root


def sweep_stale(root: Path, now: float | None = None) -> list[Path]:
    """Delete the work folders left in `root` by registrations that died; returns them."""
    cutoff = (time.time() if now is None else now) - STALE_SECONDS
    stale = []
    for child in root.iterdir():
        try:
            if child.name.startswith(TEMP_PREFIX) and child.lstat().st_mtime < cutoff:
                stale.append(child)
        except FileNotFoundError:  # another registration finished and deleted its own
            continue
    for child in stale:
        shutil.rmtree(child, ignore_errors=True)
    return stale


def _store_copy(folder: Path, name: str) -> Path:
    """The stored copy of `folder` under `name`, copied once and moved into place whole."""
    root = _store_root()
    target = root / name
    if target.is_dir():
        return target
    with tempfile.TemporaryDirectory(
        prefix=TEMP_PREFIX, dir=root, ignore_cleanup_errors=True
    ) as work:
        copy = Path(work) / "copy"
        shutil.copytree(folder, copy)
        try:
            copy.rename(target)
        except OSError:
            if not target.is_dir():  # not another registration of the same content
                raise
    return target


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
                    found = load_scenario(version.folder)
                except ScenarioError as error:  # the stored copy was altered on disk
                    raise RegistrationError(error.diagnostics) from None
                _cache[key] = found
    return found
