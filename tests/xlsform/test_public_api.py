from __future__ import annotations

import subprocess
import sys

import caseroom.xlsform as xlsform


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in dir(xlsform) if not name.startswith("_")}
    modules = {
        "answers",
        "cells",
        "checks",
        "expressions",
        "model",
        "order",
        "problems",
        "reader",
        "reference",
        "sheets",
        "stored",
        "xpath",
    }
    assert set(xlsform.__all__) == public - modules
    assert xlsform.__all__ == sorted(xlsform.__all__, key=lambda n: (not n.isupper(), n))


def test_the_questionnaire_engine_imports_nothing_from_django() -> None:
    code = (
        "import sys, caseroom.xlsform as x;"
        "x.read_form(open('tests/xlsform/forms/knowledge.md', 'rb').read(), 'k.md');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'channels')"
        " or m.startswith('caseroom.') and not m.startswith('caseroom.xlsform')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
