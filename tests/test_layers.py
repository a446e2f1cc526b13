"""Layers point down only: a module never imports one of a layer above its own.

engine, xlsform and lib ← scenarios, surveys, library ← exercises ← debrief, backups ←
programmes ← cooperation ← demo, cli ← the project's entry points. A lower layer importing a
higher one is how the shape slips (the demo's player once lived in exercises and imported
debrief); this test names the line that does it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import caseroom

PACKAGE = Path(caseroom.__file__).parent

# Rank of each top-level part of `caseroom`: a module may import its own rank or lower.
RANKS = {
    "engine": 0,
    "xlsform": 0,
    "lib": 0,
    "scenarios": 1,
    "surveys": 1,
    "library": 1,
    "exercises": 2,
    "debrief": 3,
    "backups": 3,
    "programmes": 4,
    "cooperation": 5,
    "jitnetwork": 5,
    "legislation": 5,
    "workshops": 5,
    "demo": 6,
    "cli": 6,
    "settings": 7,
    "urls": 7,
    "asgi": 7,
    "wsgi": 7,
}
# The engine is pure and self-contained; lib helps every app and knows none of them.
ONLY_ITSELF = {"engine", "xlsform", "lib"}


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def violations(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        part = path.relative_to(package).parts[0].removesuffix(".py")
        if part not in RANKS:
            continue
        for line, module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            names = module.split(".")
            if names[0] != "caseroom" or len(names) < 2 or names[1] not in RANKS:
                continue
            target = names[1]
            if (part in ONLY_ITSELF and target != part) or RANKS[target] > RANKS[part]:
                found.append(f"{path.relative_to(package.parent)}:{line}: {part} imports {module}")
    return found


def test_every_part_of_caseroom_has_a_layer() -> None:
    parts = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()}
    parts -= {"__init__", "__pycache__", "templates", "static", "locale"}
    assert parts <= set(RANKS), f"give {sorted(parts - set(RANKS))} a rank in RANKS"


def test_no_layer_imports_one_above_it() -> None:
    assert violations() == []


def test_the_check_finds_an_upward_import_and_a_django_import_in_lib(tmp_path: Path) -> None:
    package = tmp_path / "caseroom"
    (package / "exercises").mkdir(parents=True)
    (package / "lib").mkdir()
    (package / "exercises" / "demo.py").write_text("from caseroom.debrief import notes\n")
    (package / "lib" / "x.py").write_text("import os\n\nfrom caseroom.exercises import access\n")
    assert violations(package) == [
        "caseroom/exercises/demo.py:1: exercises imports caseroom.debrief",
        "caseroom/lib/x.py:3: lib imports caseroom.exercises",
    ]
