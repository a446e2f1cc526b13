"""`caseroom validate | lint | explore | play | graph | schema | strings | form check`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from caseroom.cli.form import app as form_app
from caseroom.engine import (
    Diagnostic,
    Location,
    Scenario,
    ScenarioError,
    Severity,
    limits,
    load_scenario,
)
from caseroom.engine.lint import CITE_PATTERNS, LintReport, lint_report
from caseroom.engine.validator import ExpertOutcome

app = typer.Typer(
    help="Caseroom: author, check and play case-based investigation scenarios.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
app.add_typer(form_app, name="form")  # questionnaires: `caseroom form check FILE`

PathArg = Annotated[Path, typer.Argument(help="A scenario folder.", show_default=False)]


def _where(root: Path, location: Location) -> str:
    """The location as a path from where the command runs (the folder itself is not doubled)."""
    if location.file in ("", str(root)):
        return str(location) or str(root)
    return f"{root.as_posix().rstrip('/')}/{location}"


def _print_diagnostics(root: Path, diagnostics: list[Diagnostic], *, codes: bool = False) -> None:
    """`codes` adds each one's code: a lint finding's is what an accept comment names."""
    # Text objects, never markup: a message quotes what the author wrote, and '[/]' in it
    # crashed Rich while '[red]' was silently swallowed.
    for item in diagnostics:
        style = "red" if item.severity is Severity.error else "yellow"
        tag = "" if item.severity is Severity.error else "warning: "
        code = f" [{item.code}]" if codes else ""
        line = Text.assemble((_where(root, item.location), style), f": {tag}{item.message}{code}")
        err.print(line, soft_wrap=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _load(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as error:
        _print_diagnostics(path, error.diagnostics)
        errors = sum(1 for d in error.diagnostics if d.severity is Severity.error)
        err.print(Text(f"{path}: {_count(errors, 'error')}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Scenario folders.", show_default=False)],
    strict: Annotated[
        bool,
        typer.Option(
            help="Treat warnings as errors, the pedagogical lint's unaccepted findings included."
        ),
    ] = False,
    explore_states: Annotated[
        int, typer.Option(help="Distinct states the exploration may search one by one.")
    ] = limits.EXPLORE_MAX_STATES,
    explore_moves: Annotated[
        int, typer.Option(help="Options checked and events played by the exploration.")
    ] = limits.EXPLORE_SEARCH_MOVES,
    as_json: Annotated[bool, typer.Option("--json", help="Print diagnostics as JSON.")] = False,
) -> None:
    """Check scenario folders: schema, references, expressions, reachability, dead ends, and
    where the expert path leads."""
    from caseroom.engine.validator import check_scenario, expert_outcome

    failed = False
    report: list[dict[str, object]] = []
    for path in paths:
        outcome = None
        pedagogical: list[Diagnostic] = []
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            diagnostics = error.diagnostics
        else:
            diagnostics = check_scenario(
                scenario, max_states=explore_states, max_moves=explore_moves
            )
            outcome = expert_outcome(scenario)
            if strict or not as_json:  # plain --json keeps its items: no lint line to add
                pedagogical = lint_report(scenario).findings
        # The lint's findings left unaccepted are warnings, which --strict refuses.
        linted = pedagogical if strict else []
        errors = [d for d in diagnostics if d.severity is Severity.error]
        warnings = [d for d in diagnostics if d.severity is Severity.warning] + linted
        failed = failed or bool(errors) or (strict and bool(warnings))
        if as_json:
            report.extend({"scenario": str(path), **d.to_dict()} for d in diagnostics + linted)
            if outcome is not None:
                report.append({"scenario": str(path), **_outcome_item(scenario, outcome)})
            continue
        _print_diagnostics(path, diagnostics)
        _print_diagnostics(path, linted, codes=True)
        if outcome is not None:
            out.print(Text(f"{path}: {_outcome_text(outcome)}"), soft_wrap=True)
        if errors:
            summary = f"{path}: {len(errors)} errors, {len(warnings)} warnings"
            err.print(Text(summary, style="red"), soft_wrap=True)
        else:
            valid = Text.assemble((f"{path}: valid", "green"), f" ({len(warnings)} warnings)")
            out.print(valid, soft_wrap=True)
        if pedagogical and not strict:
            hint = f"{_count(len(pedagogical), 'pedagogical finding')}: run caseroom lint {path}"
            out.print(Text(f"{path}: {hint}", style="yellow"), soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


def _outcome_text(outcome: ExpertOutcome) -> str:
    where = (
        f"reaches '{outcome.ending}' ({outcome.ending_title})"
        if outcome.ending is not None
        else "reaches no ending"
    )
    parts = ", ".join(f"{dim} {points}" for dim, points in outcome.rubric.items())
    return f"the expert path {where} with {outcome.total} points ({parts})"


def _outcome_item(scenario: Scenario, outcome: ExpertOutcome) -> dict[str, object]:
    """The expert path's outcome as a JSON item beside the diagnostics (severity "info")."""
    location = scenario.source.locate(("expert_path",))
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "severity": "info",
        "code": "expert-outcome",
        "message": _outcome_text(outcome),
        "ending": outcome.ending,
        "score": {"total": outcome.total, "rubric": outcome.rubric},
        "objectives": outcome.objectives,
    }


@app.command()
def lint(
    paths: Annotated[list[Path], typer.Argument(help="Scenario folders.", show_default=False)],
    cite: Annotated[
        list[str] | None,
        typer.Option(
            "--cite",
            metavar="PATTERN",
            help="Text that shows a rationale cites a source (repeatable; replaces the "
            "default list: Art., Article, Directive, Convention, Protocol, Code, Guidelines, "
            "Handbook, §, Rule, Recommendation).",
        ),
    ] = None,
    accepted: Annotated[
        bool,
        typer.Option(
            "--accepted", help="Also list the findings accepted in the source, with their reasons."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
) -> None:
    """Pedagogical checks: debriefs, citations, options that give themselves away,
    misconceptions, revealing answer orders, dates the clock contradicts. Exit 1 on findings
    not accepted with a '# lint: accept <code> — <why>' comment."""
    patterns = tuple(cite) if cite else CITE_PATTERNS
    failed = False
    report: list[dict[str, object]] = []
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            # a case that does not load is linted once it does
            result = LintReport(error.diagnostics, [])
        else:
            result = lint_report(scenario, cite=patterns)
        failed = failed or bool(result.findings)
        if as_json:
            report.extend(
                {"scenario": str(path), **d.to_dict(), "accepted": False} for d in result.findings
            )
            report.extend({"scenario": str(path), **a.to_dict()} for a in result.accepted)
            continue
        _print_diagnostics(path, result.findings, codes=True)
        if accepted:
            for item in result.accepted:
                line = Text.assemble(
                    (_where(path, item.finding.location), "cyan"),
                    f": accepted: {item.finding.message} [{item.finding.code}] — {item.reason}",
                )
                out.print(line, soft_wrap=True)
        _print_lint_summary(path, result)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


def _print_lint_summary(path: Path, result: LintReport) -> None:
    also = f", {len(result.accepted)} accepted" if result.accepted else ""
    if result.findings:
        summary = f"{path}: {_count(len(result.findings), 'finding')}{also}"
        err.print(Text(summary, style="yellow"), soft_wrap=True)
    else:
        clean = f" ({len(result.accepted)} accepted)" if result.accepted else ""
        out.print(Text(f"{path}: lints clean{clean}", style="green"), soft_wrap=True)


@app.command()
def explore(
    path: PathArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    max_states: Annotated[
        int, typer.Option(help="Distinct states searched one by one, at most.")
    ] = limits.EXPLORE_MAX_STATES,
    max_moves: Annotated[
        int, typer.Option(help="Options checked and events played, at most.")
    ] = limits.EXPLORE_SEARCH_MOVES,
    every_state: Annotated[
        bool,
        typer.Option(help="Search every state, even when what was found already proves all."),
    ] = False,
    exhaustive: Annotated[
        bool, typer.Option(hidden=True, help="The former name of --every-state.")
    ] = False,
    sample: Annotated[
        int,
        typer.Option(help="Also play this many seeded random games: how often each ending comes."),
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the random games.")] = 1,
    max_depth: Annotated[int, typer.Option(help="Longest random game, in events.")] = 200,
    play_moves: Annotated[
        int, typer.Option(help="Events played by all the random games together, at most.")
    ] = limits.EXPLORE_PLAY_MOVES,
    playthroughs: Annotated[
        int | None, typer.Option(hidden=True, help="The former name of --sample.")
    ] = None,
) -> None:
    """What play can reach: endings, dead ends, content that can never be reached. The same
    scenario gives the same report, always."""
    from caseroom.engine import explore_scenario

    scenario = _load(path)
    report = explore_scenario(
        scenario,
        max_states=max_states,
        max_moves=max_moves,
        every_state=every_state or exhaustive,
        sample=sample if playthroughs is None else playthroughs,
        seed=seed,
        max_depth=max_depth,
        play_moves=play_moves,
    )
    data = report.to_dict()
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(1 if report.dead_ends else 0)
    out.print(Text(scenario.doc.title, style="bold"))
    if report.exhaustive:
        out.print(f"  exhaustive: yes ({report.proof})")
    else:
        out.print(Text(f"  exhaustive: no, stopped at its {report.stopped}", style="yellow"))
    for key in ("every_state", "states_explored", "moves"):
        out.print(f"  {key}: {data[key]}")
    if report.every_state_stopped and report.exhaustive:
        out.print(f"  the search of every state stopped at its {report.every_state_stopped}")
    out.print(f"  endings reached: {len(data['reachable_endings'])}/{len(data['endings'])}")
    out.print(f"  dead ends: {len(data['dead_ends'])}")
    for kind, ids in report.proven_unreachable().items():
        if ids:
            out.print(Text(f"  can never be reached, {kind}: {', '.join(ids)}", style="yellow"))
    never = report.proven_never_enabled()
    if never:
        out.print(Text(f"  conditions that never hold: {', '.join(never)}", style="yellow"))
    for kind, ids in data["not_covered"].get("undecided", {}).items():
        out.print(Text(f"  not decided, {kind}: {', '.join(ids)}", style="yellow"))
    if "sample" in data:
        counts = ", ".join(f"{e} {n}" for e, n in data["sample"]["ending_counts"].items())
        games = data["sample"]["playthroughs"]
        out.print(f"  endings of {games} random games (seed {seed}): {counts}")
    raise typer.Exit(1 if report.dead_ends else 0)


@app.command()
def play(
    path: PathArg,
    role: Annotated[
        str | None, typer.Option(help="Play as this role; default: all roles (a team of one).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the texts.")] = None,
    seed: Annotated[
        str | None,
        typer.Option(
            help="Shuffle answer items as for this team (a web team's seed is team-<id>); "
            "the same seed shows the same order."
        ),
    ] = None,
) -> None:
    """Play a scenario in the terminal: documents, actions, feedback and the ending."""
    from caseroom.cli.play import PLAY_SEED, run_play

    scenario = _load(path)
    if role is not None and role not in scenario.roles:
        err.print(
            Text.assemble(
                (f"unknown role '{role}'", "red"), f"; roles: {', '.join(scenario.roles)}"
            )
        )
        raise typer.Exit(2)
    run_play(scenario, role=role, console=out, lang=lang, seed=seed or PLAY_SEED)


@app.command()
def graph(
    path: PathArg,
    fmt: Annotated[str, typer.Option("--format", help="dot (Graphviz) or mermaid.")] = "dot",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Write the flow of scenes and actions as Graphviz DOT or Mermaid."""
    from caseroom.engine.graph import to_dot, to_mermaid

    if fmt not in ("dot", "mermaid"):
        err.print("[red]--format is dot or mermaid[/]")
        raise typer.Exit(2)
    scenario = _load(path)
    text = to_dot(scenario) if fmt == "dot" else to_mermaid(scenario)
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, encoding="utf-8")


@app.command()
def strings(
    path: PathArg,
    lang: Annotated[
        str | None, typer.Option(help="Show this language's text (the source where it has none).")
    ] = None,
    missing: Annotated[
        bool,
        typer.Option(help="Only keys a reader of --lang sees in the source language."),
    ] = False,
    po: Annotated[
        str | None,
        typer.Option(
            "--po",
            metavar="LANG",
            help="Write or update translations/LANG.po (new keys added, changed sources "
            "marked fuzzy with the previous text, removed keys kept as obsolete).",
        ),
    ] = None,
) -> None:
    """List every translatable string with its stable key (YAML), or write a gettext file."""
    import yaml

    from caseroom.engine.strings import catalogue
    from caseroom.engine.translations import is_language_tag, localise, update_po

    if po is not None and not is_language_tag(po):
        err.print(Text(f"'{po}' is not a language code (mk, sq, sr-latn)", style="red"))
        raise typer.Exit(2)
    scenario = _load(path)
    if po is not None:
        try:
            report = update_po(scenario, po)
        except ValueError as error:  # the existing file is broken: it is left as it was
            err.print(Text(f"{path}/{error}", style="red"), soft_wrap=True)
            raise typer.Exit(1) from None
        out.print(Text(str(report)), soft_wrap=True)
        return
    if missing and not lang:
        err.print(Text("--missing needs --lang: missing in which language?", style="red"))
        raise typer.Exit(2)
    source = catalogue(scenario)
    if lang:
        local = localise(scenario, lang)
        chosen = {k: str(local.texts[k]) for k in source if not missing or k in local.fallback}
    else:
        chosen = dict(source)
    sys.stdout.write(yaml.safe_dump(chosen, allow_unicode=True, sort_keys=False, width=100))


REPORT_FORMATS = ("pdf", "docx", "html", "csv", "xlsx", "xapi")
BINARY_FORMATS = ("pdf", "docx", "xlsx")


@app.command()
def report(
    exercise: Annotated[int, typer.Argument(help="The exercise's number (as in its URL).")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="pdf, docx or html (after-action report), csv or "
            "xlsx (every step), xapi (statements as JSON).",
        ),
    ] = "html",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    send: Annotated[
        bool, typer.Option("--send", help="xapi: also send to the LRS set by LRS_URL.")
    ] = False,
) -> None:
    """Reports of an exercise from the app's database: after-action report, data, xAPI."""
    if fmt not in REPORT_FORMATS:
        err.print(
            f"[red]--format {escape(fmt)} is not known: use one of {', '.join(REPORT_FORMATS)}[/]"
        )
        raise typer.Exit(2)
    if fmt in BINARY_FORMATS and out_file is None:
        err.print(f"[red]a {fmt.upper()} file needs --out FILE[/]")
        raise typer.Exit(2)
    if send and fmt != "xapi":
        err.print("[red]--send goes with --format xapi[/]")
        raise typer.Exit(2)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseroom.settings")
    django.setup()
    from caseroom.exercises.models import Exercise

    found = Exercise.objects.select_related("scenario").filter(pk=exercise).first()
    if found is None:
        err.print(f"[red]there is no exercise {exercise}[/]")
        raise typer.Exit(1)
    data, summary = _report_data(found, fmt, send)
    if out_file is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        out_file.write_bytes(data)
        err.print(Text(f"{summary} written to {out_file}"))


def _report_data(exercise: Any, fmt: str, send: bool) -> tuple[bytes, str]:
    """The report's bytes and a line saying what they hold; exits with a message on failure."""
    from caseroom.debrief import aar, exports, lrs, xapi

    if fmt in ("csv", "xlsx"):
        rows = exports.exercise_rows(exercise)
        data = exports.to_csv(rows).encode("utf-8") if fmt == "csv" else exports.to_xlsx(rows)
        return data, f"{len(rows)} steps"
    if fmt == "xapi":
        try:
            statements = xapi.checked_statements(exercise)
        except (xapi.InvalidStatement, RuntimeError) as error:
            err.print(f"[red]invalid xAPI statements: {escape(str(error))}[/]")
            raise typer.Exit(1) from None
        if send:
            client = lrs.client_from_settings()
            if client is None:
                err.print(
                    "[red]no Learning Record Store configured: set LRS_URL, LRS_USERNAME "
                    "and LRS_PASSWORD[/]"
                )
                raise typer.Exit(2)
            try:
                result = client.send(statements)
            except lrs.LrsError as error:
                err.print(f"[red]{escape(str(error))}[/]")
                raise typer.Exit(1) from None
            err.print(
                f"sent: {len(result.stored)} stored, {len(result.unchanged)} already there, "
                f"{len(result.conflicts)} kept as first sent"
            )
        text = json.dumps(statements, indent=1, ensure_ascii=False) + "\n"
        return text.encode("utf-8"), f"{len(statements)} xAPI statements"
    try:
        data = aar.render(aar.build_report(exercise), fmt)
    except aar.ReportUnavailable as error:
        err.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    return data, f"after-action report ({fmt.upper()})"


@app.command()
def schema(
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    from caseroom.engine.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()
