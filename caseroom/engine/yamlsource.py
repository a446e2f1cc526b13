"""Read a scenario folder's YAML files into one merged mapping that remembers positions.

Every value keeps the file, line and column where it was written, so that a problem found
later (a schema error, an unknown id, a bad expression) can be reported where the author
has to fix it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location

__all__ = ["LIST_SECTIONS", "Source", "read_folder"]

LIST_SECTIONS = (
    "objectives",
    "phases",
    "rubric",
    "roles",
    "scenes",
    "actions",
    "documents",
    "injects",
    "endings",
    "misconceptions",
    "expert_path",
)
MAPPING_SECTIONS = ("variables",)
Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """The merged raw content of a folder and where each part of it was written."""

    root: Path
    data: dict[str, Any] = field(default_factory=dict)
    locations: dict[Path_, Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def locate(self, path: Path_) -> Location:
        """The position of `path`, or of its closest written ancestor."""
        probe = tuple(path)
        while probe:
            found = self.locations.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return Location(self.files[0] if self.files else "scenario.yaml", 1, 1)


def _loc(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


class _Reader:
    def __init__(self, file: str, problems: list[Diagnostic]) -> None:
        self.file = file
        self.problems = problems
        self.constructor = yaml.constructor.SafeConstructor()
        self.locations: dict[Path_, Location] = {}

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node, path)
                if not isinstance(key, str | int | bool | float) or isinstance(key, bool):
                    self.problems.append(
                        Diagnostic(_loc(self.file, key_node.start_mark), "keys must be plain text")
                    )
                    continue
                key = str(key)
                if key in result:
                    self.problems.append(
                        Diagnostic(
                            _loc(self.file, key_node.start_mark),
                            f"duplicate key '{key}' (a later value would silently replace "
                            "the earlier one)",
                            code="duplicate-key",
                        )
                    )
                    continue
                self.locations[(*path, key)] = _loc(self.file, key_node.start_mark)
                result[key] = self.convert(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.locations[(*path, index)] = _loc(self.file, item.start_mark)
                items.append(self.convert(item, (*path, index)))
            return items
        value = self.constructor.construct_object(node)
        # Dates and times stay as written: the scenario shows them, it does not compute with them.
        if isinstance(value, dt.date | dt.datetime):
            return str(node.value)
        return value


def _read_file(
    path: Path, rel: str, problems: list[Diagnostic]
) -> tuple[Any, dict[Path_, Location]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(Diagnostic(Location(rel, 1, 1), f"not UTF-8 text ({error.reason})"))
        return None, {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _loc(rel, mark) if mark else Location(rel, 1, 1)
        message = " ".join(p for p in (error.context, error.problem) if p)
        problems.append(Diagnostic(where, f"broken YAML: {message}", code="yaml"))
        return None, {}
    except yaml.YAMLError as error:
        problems.append(Diagnostic(Location(rel, 1, 1), f"broken YAML: {error}", code="yaml"))
        return None, {}
    if node is None:
        return {}, {}
    reader = _Reader(rel, problems)
    data = reader.convert(node, ())
    if not isinstance(data, dict):
        problems.append(
            Diagnostic(_loc(rel, node.start_mark), "a scenario file must be a mapping of keys")
        )
        return None, {}
    return data, reader.locations


def _scenario_files(root: Path) -> list[Path]:
    files = [
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and p.relative_to(root).parts[0] != "translations"
    ]
    main = [p for p in files if p.relative_to(root).as_posix() in ("scenario.yaml", "scenario.yml")]
    rest = sorted((p for p in files if p not in main), key=lambda p: p.relative_to(root).as_posix())
    return main + rest


def read_folder(root: Path, problems: list[Diagnostic]) -> Source:
    """Merge every YAML file of the folder; problems are appended, never raised."""
    source = Source(root=root)
    if not root.is_dir():
        problems.append(Diagnostic(Location(str(root)), "not a folder: a scenario is a folder"))
        return source
    files = _scenario_files(root)
    if not files or files[0].name not in ("scenario.yaml", "scenario.yml"):
        problems.append(
            Diagnostic(Location(str(root / "scenario.yaml")), "scenario.yaml is missing")
        )
    origin: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        source.files.append(rel)
        data, locations = _read_file(path, rel, problems)
        if data is None:
            continue
        for key, value in data.items():
            key_loc = locations.get((key,), Location(rel, 1, 1))
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
                for sub, where in locations.items():
                    if sub[0] == key and len(sub) > 1:
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
                                f"variable '{name}' is already declared in "
                                f"{origin[f'{key}.{name}']}",
                                code="duplicate-id",
                            )
                        )
                        continue
                    merged_map[name] = spec
                    origin[f"{key}.{name}"] = rel
                for sub, where in locations.items():
                    if sub[0] == key and len(sub) > 1:
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
                for sub, where in locations.items():
                    if sub[0] == key:
                        source.locations[sub] = where
    translations = root / "translations"
    if translations.is_dir():
        for path in sorted(translations.glob("*.y*ml")):
            rel = path.relative_to(root).as_posix()
            data, _ = _read_file(path, rel, problems)
            if isinstance(data, dict):
                source.translations[path.stem] = data
    return source
