"""A scenario folder read into one merged mapping: which files are read (not hidden, not
linked from outside, within the folder's limits), and how their sections merge, keeping
every position.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..diagnostics import Diagnostic, Location, Severity
from ..translations.files import TranslationFile, from_mapping, normalise_language, parse_po
from .file import kib, read_file
from .parse import Path_

__all__ = ["LIST_SECTIONS", "MAPPING_SECTIONS", "READ_CODES", "Source", "read_folder"]

LIST_SECTIONS = (
    "objectives",
    "phases",
    "rubric",
    "roles",
    "authorities",
    "scenes",
    "actions",
    "documents",
    "injects",
    "endings",
    "misconceptions",
    "expert_path",
)
MAPPING_SECTIONS = ("variables",)
# Diagnostic codes of a folder that could not be read in full: checking the rest would only
# add follow-on errors (a "missing key" that sits in the file that could not be read).
READ_CODES = frozenset({"yaml", "encoding", "limit", "file"})


@dataclass
class Source:
    """The merged raw content of a folder and where each part of it was written."""

    root: Path
    data: dict[str, Any] = field(default_factory=dict)
    locations: dict[Path_, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    translations: dict[str, TranslationFile] = field(default_factory=dict)  # by language

    def locate(self, path: Path_) -> Location:
        """The position of `path`, or of its closest written ancestor."""
        probe = tuple(path)
        while probe:
            found = self.locations.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return Location(self.files[0] if self.files else "scenario.yaml", 1, 1)


def _is_yaml(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) and not name.startswith(".")


def walk_files(root: Path, *, hidden: bool = True) -> Iterator[Path]:
    """Every entry below `root` that is not a folder (files, and links that are not followed
    as folders), by name, folder by folder; `hidden=False` leaves out names starting with ".".

    Without recursion: os.walk (and Path.rglob) recurse once per level, and 1,100 nested
    folders overflowed Python's stack. The registry's digest and the backup's scenario store
    walk with it too.
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable: its files are simply not there
        subfolders: list[Path] = []
        for entry in entries:
            if not hidden and entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        stack.extend(reversed(subfolders))


def _walk(root: Path) -> Iterator[Path]:
    """YAML files under `root` and gettext files of `translations/`, not in hidden folders,
    without following linked folders."""
    for path in walk_files(root, hidden=False):
        if (
            _is_yaml(path.name)
            or path.name.endswith(".po")
            and path.parent == root / "translations"
        ):
            yield path


def _refused_file(root: Path, path: Path, rel: str) -> Diagnostic | None:
    """Why this file is not read, if it is not a regular file inside the folder."""
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(root.resolve()):
                return Diagnostic(
                    Location(rel),
                    "a symbolic link to a file outside the scenario folder is not read "
                    "(copy the file into the folder)",
                    code="file",
                )
        if not stat.S_ISREG(path.stat().st_mode):
            return Diagnostic(Location(rel), "not a regular file", code="file")
    except (OSError, RuntimeError):  # a broken link, or a loop of links
        return Diagnostic(Location(rel), "a symbolic link that leads nowhere", code="file")
    return None


def _scenario_files(root: Path, problems: list[Diagnostic]) -> tuple[list[Path], list[Path]]:
    """The folder's content files (scenario.yaml first) and its translation files."""
    found: list[Path] = []
    for path in _walk(root):
        if len(found) == limits.MAX_FILES:
            problems.append(
                Diagnostic(
                    Location(str(root)),
                    f"too many YAML files: a scenario folder holds at most {limits.MAX_FILES} "
                    "(limit MAX_FILES)",
                    code="limit",
                )
            )
            return [], []
        found.append(path)
    files: list[Path] = []
    translations: list[Path] = []
    for path in found:
        rel = path.relative_to(root)
        refused = _refused_file(root, path, rel.as_posix())
        if refused is not None:
            problems.append(refused)
        elif rel.parts[0] == "translations":
            if len(rel.parts) == 2:
                translations.append(path)
        else:
            files.append(path)
    if len(translations) > limits.MAX_TRANSLATIONS:
        problems.append(
            Diagnostic(
                Location("translations"),
                f"too many translation files: a scenario has at most {limits.MAX_TRANSLATIONS} "
                "(limit MAX_TRANSLATIONS)",
                code="limit",
            )
        )
        return [], []
    main = [p for p in files if p.relative_to(root).as_posix() in ("scenario.yaml", "scenario.yml")]
    rest = sorted((p for p in files if p not in main), key=lambda p: p.relative_to(root).as_posix())
    return main + rest, translations


class _Budget:
    """What is left of the folder's limits as its files are read."""

    def __init__(self) -> None:
        self.nodes = limits.MAX_NODES
        self.bytes = limits.MAX_FOLDER_BYTES

    def admit(self, path: Path, rel: str, problems: list[Diagnostic]) -> bool:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if size > self.bytes and size <= limits.MAX_FILE_BYTES:
            problems.append(
                Diagnostic(
                    Location(rel),
                    f"the folder's YAML files hold more than {kib(limits.MAX_FOLDER_BYTES)} "
                    "together (limit MAX_FOLDER_BYTES); this file is not read",
                    code="limit",
                )
            )
            return False
        self.bytes -= min(size, limits.MAX_FILE_BYTES)
        return True


def read_folder(root: Path, problems: list[Diagnostic]) -> Source:
    """Merge every YAML file of the folder; problems are appended, never raised."""
    source = Source(root=root)
    if not root.is_dir():
        problems.append(Diagnostic(Location(str(root)), "not a folder: a scenario is a folder"))
        return source
    files, translation_files = _scenario_files(root, problems)
    if any(p.code == "limit" for p in problems):
        return source
    if not files or files[0].name not in ("scenario.yaml", "scenario.yml"):
        problems.append(
            Diagnostic(Location("scenario.yaml"), "scenario.yaml is missing", code="file")
        )
    budget = _Budget()
    origin: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        source.files.append(rel)
        if not budget.admit(path, rel, problems):
            break
        data, locations, used = read_file(path, rel, problems, budget.nodes)
        budget.nodes -= used
        if data is None:
            continue
        _merge(source, rel, data, locations, origin, problems)
    _read_translations(root, translation_files, budget, source, problems)
    return source


def _read_translations(
    root: Path, paths: list[Path], budget: _Budget, source: Source, problems: list[Diagnostic]
) -> None:
    """Each language's file into `source.translations`: a .po file wins over a .yaml one."""
    left = limits.MAX_TRANSLATION_BYTES
    # .po last, so that it replaces the YAML form of the same language.
    for path in sorted(paths, key=lambda p: (p.suffix == ".po", p.name)):
        rel = path.relative_to(root).as_posix()
        lang = normalise_language(path.stem)
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        limit = min(limits.MAX_TRANSLATION_FILE_BYTES, left)
        if size > limit:
            which = (
                "MAX_TRANSLATION_FILE_BYTES"
                if size > limits.MAX_TRANSLATION_FILE_BYTES
                else "MAX_TRANSLATION_BYTES, all translation files together"
            )
            problems.append(
                Diagnostic(
                    Location(rel),
                    f"translation file too large: over {kib(limit)} (limit {which})",
                    code="limit",
                )
            )
            continue
        left -= size
        if path.suffix == ".po":
            table = _read_po(path, rel, lang, problems)
        else:
            data, locations, used = read_file(path, rel, problems, budget.nodes)
            budget.nodes -= used
            lines = {str(p[0]): where.line for p, where in locations.items() if len(p) == 1}
            table = from_mapping(data, rel, lang, lines) if data is not None else None
        if table is None:
            continue
        replaced = source.translations.get(lang)
        if replaced is not None:
            table.notes.append(
                Diagnostic(
                    Location(replaced.file),
                    f"{replaced.file} is not read: {rel} translates '{lang}'",
                    Severity.warning,
                    "translation",
                )
            )
        source.translations[lang] = table


def _read_po(path: Path, rel: str, lang: str, problems: list[Diagnostic]) -> TranslationFile | None:
    try:
        with path.open("rb") as handle:  # bounded even if the file grew since it was measured
            data = handle.read(limits.MAX_TRANSLATION_FILE_BYTES + 1)
    except OSError as error:
        problems.append(
            Diagnostic(Location(rel), f"cannot be read ({error.strerror})", code="file")
        )
        return None
    if len(data) > limits.MAX_TRANSLATION_FILE_BYTES:
        problems.append(
            Diagnostic(
                Location(rel),
                f"translation file too large: over {kib(limits.MAX_TRANSLATION_FILE_BYTES)} "
                "(limit MAX_TRANSLATION_FILE_BYTES)",
                code="limit",
            )
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            Diagnostic(
                Location(rel, line, 1),
                f"not UTF-8 text: byte 0x{data[error.start]:02x} here; save the file as UTF-8 "
                "(charset=UTF-8 in its header)",
                code="encoding",
            )
        )
        return None
    return parse_po(text, rel, lang, problems)


def _merge(
    source: Source,
    rel: str,
    data: dict[str, Any],
    locations: dict[Path_, Location],
    origin: dict[str, str],
    problems: list[Diagnostic],
) -> None:
    """Add one file's sections to the folder's, keeping every position."""
    # Positions grouped by section once: a file with many sections must not cost
    # sections x positions.
    by_key: dict[str | int, list[tuple[Path_, Location]]] = {}
    for sub, where in locations.items():
        by_key.setdefault(sub[0], []).append((sub, where))
    for key, value in data.items():
        key_loc = locations.get((key,), Location(rel, 1, 1))
        positions = by_key.get(key, [])
        if key in LIST_SECTIONS:
            if not isinstance(value, list):
                problems.append(
                    Diagnostic(key_loc, f"'{key}' must be a list (items start with '-')")
                )
                continue
            merged = source.data.setdefault(key, [])
            offset = len(merged)
            merged.extend(value)
            source.locations.setdefault((key,), key_loc)
            for sub, where in positions:
                if len(sub) > 1:
                    index = sub[1]
                    assert isinstance(index, int)
                    source.locations[(key, index + offset, *sub[2:])] = where
        elif key in MAPPING_SECTIONS:
            if not isinstance(value, dict):
                problems.append(Diagnostic(key_loc, f"'{key}' must be a mapping of names"))
                continue
            merged_map = source.data.setdefault(key, {})
            source.locations.setdefault((key,), key_loc)
            for name, spec in value.items():
                if name in merged_map:
                    problems.append(
                        Diagnostic(
                            locations.get((key, name), key_loc),
                            f"variable '{name}' is already declared in {origin[f'{key}.{name}']}",
                            code="duplicate-id",
                        )
                    )
                    continue
                merged_map[name] = spec
                origin[f"{key}.{name}"] = rel
            for sub, where in positions:
                if len(sub) > 1:
                    source.locations[sub] = where
        else:
            if key in source.data:
                problems.append(
                    Diagnostic(
                        key_loc,
                        f"'{key}' is already set in {origin[key]}",
                        code="duplicate-key",
                    )
                )
                continue
            source.data[key] = value
            origin[key] = rel
            for sub, where in positions:
                source.locations[sub] = where
