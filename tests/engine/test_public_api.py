from __future__ import annotations

import pkgutil
import subprocess
import sys

import caseroom.engine as engine


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in dir(engine) if not name.startswith("_")}
    # Submodules appear in the package's namespace once anything imports them: not names.
    modules = {module.name for module in pkgutil.iter_modules(engine.__path__)}
    assert set(engine.__all__) == public - modules
    assert engine.__all__ == sorted(engine.__all__, key=lambda n: (not n.isupper(), n))


def test_the_engine_imports_nothing_from_django() -> None:
    code = (
        "import sys, caseroom.engine, caseroom.engine.strings, caseroom.engine.graph,"
        " caseroom.engine.translations;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'channels')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
