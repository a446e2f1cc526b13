"""The ids a scenario declares and the references to them: duplicates, unknown ids (with
a suggestion), ids of the wrong kind, and conditions compiled against the variables.

`References` is the base of the loader's `Builder`: it collects every problem found
instead of stopping at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..diagnostics import Diagnostic, Severity
from ..expressions import Compiled, ExpressionError, VarInfo, compile_expression
from ..model import ScenarioDocument
from ..yamlsource import Path_, Source
from .schema import shorten

__all__ = ["References"]


class References:
    """The ids declared so far, the problems found so far, and the checks of references."""

    def __init__(
        self, doc: ScenarioDocument, source: Source, broken_ids: set[str], damaged: set[str]
    ) -> None:
        self.damaged = damaged  # elements that lost broken children: do not call them empty
        self.doc = doc
        self.source = source
        self.problems: list[Diagnostic] = []
        # A suggestion lists every id of the kind and difflib compares the name with each:
        # 4,000 unknown references among 4,000 ids took 2.6 s, so only the first ones get one.
        self.hints_left = 100
        self.broken_ids = broken_ids
        self.kinds: dict[str, str] = {}
        self.dims: set[str] = set()
        self.paths: dict[str, Path_] = {}
        self.var_info = {
            name: VarInfo(v.type, v.scope, tuple(v.values or ()))
            for name, v in doc.variables.items()
        }

    def error(self, path: Path_, message: str, code: str = "reference") -> None:
        self.problems.append(Diagnostic(self.source.locate(path), message, code=code))

    def warn(self, path: Path_, message: str, code: str) -> None:
        self.problems.append(
            Diagnostic(self.source.locate(path), message, severity=Severity.warning, code=code)
        )

    # ids ---------------------------------------------------------------------

    def register(self, kind: str, ident: str, path: Path_) -> None:
        if ident in self.kinds:
            first = self.source.locate(self.paths[ident])
            self.error(
                (*path, "id"),
                f"duplicate id '{ident}': already used by {_a(self.kinds[ident])} at {first}",
                code="duplicate-id",
            )
            return
        self.kinds[ident] = kind
        self.paths[ident] = path

    def expect(self, path: Path_, ident: str | None, *kinds: str) -> None:
        if ident is None or ident in self.broken_ids:
            return
        if kinds == ("rubric dimension",):
            if ident not in self.dims:
                known = ", ".join(sorted(self.dims))
                self.error(path, f"unknown rubric dimension '{ident}' (dimensions: {known})")
            return
        actual = self.kinds.get(ident)
        if actual in kinds:
            return
        wanted = " or ".join(kinds)
        if actual is not None:
            self.error(path, f"'{ident}' is {_a(actual)}, {_a(wanted)} is needed here")
            return
        candidates = (i for i, k in self.kinds.items() if k in kinds)
        self.error(path, f"unknown {wanted} '{ident}'{self.suggest(ident, candidates)}")

    def suggest(self, name: str, candidates: Iterable[str]) -> str:
        """' (did you mean ...?)' for a name close to one of the candidates, or ''.

        `candidates` may be a generator: it is not even listed once the hints are used up.
        """
        if self.hints_left <= 0:
            return ""
        self.hints_left -= 1
        close = difflib.get_close_matches(name, list(candidates), n=1)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def expect_all(self, path: Path_, idents: Iterable[str] | None, *kinds: str) -> None:
        for index, ident in enumerate(idents or ()):
            self.expect((*path, index), ident, *kinds)

    # expressions ---------------------------------------------------------------

    def compile(
        self,
        path: Path_,
        source: str | None,
        *,
        allow_answer: bool = False,
        role_context: bool = True,
        items: Iterable[str] = (),
    ) -> Compiled | None:
        if source is None:
            return None
        try:
            compiled = compile_expression(
                source, self.var_info, allow_answer=allow_answer, role_context=role_context
            )
        except ExpressionError as problem:
            where = self.source.locate(path)
            self.problems.append(
                Diagnostic(
                    where,
                    f"in condition '{shorten(source.strip())}': {problem.message}",
                    code="expression",
                )
            )
            return None
        item_ids = set(items)
        for helper, ident, _column in compiled.refs:
            kind = {
                "visited": "scene",
                "at": "scene",
                "has": "document",
                "done": "action",
                "count": "action",
                "pending": "action",
                "fired": "inject",
            }.get(helper)
            if kind is not None:
                self.expect(path, ident, kind)
            elif helper == "picked" and ident not in item_ids:
                known = ", ".join(sorted(item_ids)) or "none"
                self.error(path, f"picked('{ident}'): no such item in this input (items: {known})")
        return compiled


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
