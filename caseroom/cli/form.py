"""`caseroom form check FILE...`: check questionnaires (XLSForm) as the upload page would."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from caseroom.xlsform import FormError, Problem, limits, read_form

app = typer.Typer(
    help="Questionnaires (XLSForm): check them before uploading.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def located(path: Path, problem: Problem) -> str:
    """`file:sheet:row:column: message`, parts the problem lacks left out."""
    where = ":".join(str(p) for p in (problem.sheet, problem.row or "", problem.column) if p)
    return f"{path}:{where}: {problem.message}" if where else f"{path}: {problem.message}"


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as source:
            return source.read(limits.MAX_FILE_BYTES + 1)  # the reader refuses anything longer
    except OSError as error:
        raise FormError([Problem("", 0, "", f"cannot read the file: {error.strerror}")]) from None


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="XLSForm files (.xlsx or .md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the problems as JSON.")] = False,
) -> None:
    """Check questionnaires: types, names, choices, expressions, languages, scoring columns."""
    failed = False
    report: list[dict[str, object]] = []
    for path in paths:
        try:
            form = read_form(_read(path), path.name)
        except FormError as error:
            failed = True
            if as_json:
                report += [{"file": str(path), **p.to_dict()} for p in error.problems]
                continue
            # Text, never markup: a message quotes what the author wrote ('[/]' included).
            for problem in error.problems:
                err.print(Text(located(path, problem), style="red"), soft_wrap=True)
            count = len(error.problems)
            summary = f"{path}: {count} problem{'s' if count != 1 else ''}"
            err.print(Text(summary, style="red"), soft_wrap=True)
            continue
        if not as_json:
            languages = ", ".join(lang.key for lang in form.languages) or "one language"
            scored = ", scored" if form.scored else ""
            summary = f" ({len(form.questions)} questions, {languages}{scored})"
            out.print(Text.assemble((f"{path}: valid", "green"), summary), soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)
