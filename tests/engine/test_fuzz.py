"""Fuzzing the loader, the validator and conditions with hostile and careless input.

Whatever a folder holds, loading it returns a scenario (which then validates) or raises
ScenarioError with diagnostics; a condition compiles, and then evaluates, or raises
ExpressionError. Never another exception, and never more than a few seconds for one input.

Inputs: mutations of the shipped scenarios and of every file in tests/engine/hostile/ (byte
flips, lines deleted, duplicated, swapped or re-indented, tags, anchors, aliases and hostile
values inserted, truncation, lines spliced in from other files), seeded so that CI tries the
same cases on every run; YAML fragments and conditions drawn by Hypothesis (derandomized for
the same reason). The count is printed in pytest's summary (tests/engine/conftest.py).
"""

from __future__ import annotations

import random
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseroom.engine import Answer, ExpressionError, ScenarioError, compile_expression
from caseroom.engine.expressions import VarInfo
from caseroom.engine.scenario import load_scenario
from caseroom.engine.validator import check_scenario
from tests.conftest import MINI, ROOT
from tests.engine.conftest import FuzzTally
from tests.engine.test_hostile import CASES, HOSTILE, WIDE

# Processor time one input may take (the slowest measured is well under a second), and a
# wall-clock alarm that turns a hang into a failure instead of a stuck CI job.
SECONDS_PER_INPUT = 3.0
ALARM_SECONDS = 30

# ---------------------------------------------------------------- mutations

TAGS = [
    "!!bool ",
    "!!int ",
    "!!float ",
    "!!null ",
    "!!str ",
    "!!timestamp ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!python/object/apply:os.system ",
    "!include ",
    "! ",
    "!<tag:yaml.org,2002:map> ",
]
VALUES = [
    "NO",
    "yes",
    "off",
    "~",
    "null",
    ".nan",
    "-.inf",
    "1e400",
    "2026-02-30",
    "9999-12-31T23:59",
    "0o17",
    "0x1F",
    "010",
    "1:30",
    "9" * 40,
    "-1",
    "100000000000000000000d",
    "[/]",
    "'[red]x'",
    '"a\\0b"',
    '"\\x85\\u2028"',
    "''",
    "[]",
    "{}",
    "<<: *a",
    "*a",
    "&a [*a]",
    "*missing",
    "[",
    "{",
    "'",
    '"',
    "? x",
    "- x",
    "|",
    "not " * 40 + "true",
    "1" + "+1" * 400,
    "done('x') and",
    "evidence > 1",
]


@dataclass
class Mutant:
    """One file of a seed folder and the edits made to it, to say which input failed."""

    name: str
    data: bytes
    edits: list[str] = field(default_factory=list)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _flip(m: Mutant, rng: random.Random, _other: bytes) -> None:
    if m.data:
        at = rng.randrange(len(m.data))
        m.data = m.data[:at] + bytes([m.data[at] ^ rng.randrange(1, 256)]) + m.data[at + 1 :]
        m.edits.append(f"flip byte {at}")


def _line_edit(kind: str) -> Callable[[Mutant, random.Random, bytes], None]:
    def edit(m: Mutant, rng: random.Random, _other: bytes) -> None:
        lines = _lines(m.data)
        at = rng.randrange(len(lines))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            lines[at] = rng.choice([b"  ", b"    ", b"\t", b" "]) + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][rng.choice([1, 2, 4]) :]
        m.data = b"\n".join(lines)
        m.edits.append(f"{kind} line {at + 1}")

    return edit


def _value_edit(kind: str) -> Callable[[Mutant, random.Random, bytes], None]:
    def edit(m: Mutant, rng: random.Random, _other: bytes) -> None:
        lines = _lines(m.data)
        keyed = [i for i, line in enumerate(lines) if b": " in line] or [0]
        at = rng.choice(keyed)
        head, sep, value = lines[at].partition(b": ")
        if kind == "tag":
            added = rng.choice(TAGS)
            lines[at] = head + sep + added.encode() + value
        elif kind == "value":
            added = rng.choice(VALUES)
            lines[at] = head + sep + added.encode()
        else:  # an anchor here, an alias to it somewhere else
            added = "&a / *a"
            lines[at] = head + sep + b"&a " + value
            other = rng.choice(keyed)
            name, sep2, _ = lines[other].partition(b": ")
            lines[other] = name + sep2 + b"*a"
        m.data = b"\n".join(lines)
        m.edits.append(f"{kind} {added[:20]!r} at line {at + 1}")

    return edit


def _truncate(m: Mutant, rng: random.Random, _other: bytes) -> None:
    at = rng.randrange(len(m.data) + 1)
    m.data = m.data[:at]
    m.edits.append(f"truncate at byte {at}")


def _splice(m: Mutant, rng: random.Random, other: bytes) -> None:
    lines, donor = _lines(m.data), _lines(other)
    at, taken = rng.randrange(len(lines)), rng.randrange(len(donor))
    lines.insert(at, donor[taken])
    m.data = b"\n".join(lines)
    m.edits.append(f"splice a line at {at + 1}")


MUTATIONS: list[Callable[[Mutant, random.Random, bytes], None]] = [
    _flip,
    _flip,
    _line_edit("delete"),
    _line_edit("duplicate"),
    _line_edit("swap"),
    _line_edit("indent"),
    _line_edit("dedent"),
    _value_edit("tag"),
    _value_edit("value"),
    _value_edit("value"),
    _value_edit("alias"),
    _truncate,
    _splice,
]


# ---------------------------------------------------------------- running one input


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _try(folder: Path, tally: FuzzTally, kind: str, what: str) -> None:
    """Load and validate; anything but a scenario or ScenarioError fails, naming the input."""
    started = time.thread_time()
    try:
        with _alarm(ALARM_SECONDS):
            try:
                scenario = load_scenario(folder)
            except ScenarioError as error:
                assert error.diagnostics, "a refusal says why"
                tally.refused += 1
            else:
                check_scenario(scenario, max_states=30, playthroughs=2)
                tally.loaded += 1
    except Exception as error:
        raise AssertionError(f"{what}: {type(error).__name__}: {error}") from error
    elapsed = time.thread_time() - started
    tally.count(kind, elapsed)
    assert elapsed < SECONDS_PER_INPUT, f"{what}: {elapsed:.1f} s"


def _seed_folder(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    if name == "mini":
        shutil.copytree(MINI, folder)
    elif name == "night-crossing":
        shutil.copytree(ROOT / "scenarios" / "night-crossing", folder)
    else:
        shutil.copytree(HOSTILE / "_base", folder)
        shutil.copytree(HOSTILE / name, folder, dirs_exist_ok=True)
    return folder


def _mutate_seed(name: str, cases: int, tmp_path: Path, tally: FuzzTally) -> None:
    folder = _seed_folder(name, tmp_path)
    files = sorted(p for p in folder.rglob("*.y*ml") if p.is_file())
    originals = {p: p.read_bytes() for p in files}
    everything = b"\n".join(originals.values())
    for index in range(cases):
        rng = random.Random(f"{name}/{index}")  # each case reproducible on its own
        path = rng.choice(files)
        mutant = Mutant(path.relative_to(folder).as_posix(), originals[path])
        for _ in range(rng.choice([1, 1, 2, 3])):
            rng.choice(MUTATIONS)(mutant, rng, everything)
        path.write_bytes(mutant.data)
        try:
            _try(folder, tally, "mutants", f"{name}/{mutant.name} after {mutant.edits}")
        finally:
            path.write_bytes(originals[path])


@pytest.mark.parametrize(("seed", "cases"), [("mini", 110), ("night-crossing", 90)])
def test_mutated_scenarios_load_or_are_refused_quickly(
    seed: str, cases: int, tmp_path: Path, fuzz_tally: FuzzTally
) -> None:
    _mutate_seed(seed, cases, tmp_path, fuzz_tally)


def test_mutated_hostile_files_load_or_are_refused_quickly(
    tmp_path: Path, fuzz_tally: FuzzTally
) -> None:
    for case in CASES:
        if case != WIDE:  # its validation alone takes seconds; tests/engine/test_hostile.py
            _mutate_seed(case, 4, tmp_path, fuzz_tally)


# ---------------------------------------------------------------- YAML fragments

KEYS = [
    "id",
    "title",
    "text",
    "when",
    "cost",
    "goto",
    "effects",
    "add",
    "set",
    "unlock",
    "input",
    "type",
    "items",
    "correct",
    "answer",
    "tolerance",
    "min",
    "max",
    "date",
    "image",
    "start",
    "<<",
    "Evidence",
    "''",
    "? [a]",
]
PLACES = [
    # (file, text with {} where the fragment goes)
    ("extra.yaml", "spare: {}\n"),
    ("extra.yaml", "documents: {}\n"),
    ("extra.yaml", "documents:\n  - {{id: doc-x, title: X, initial: true, date: {}}}\n"),
    ("extra.yaml", "clock: {{start: {}}}\n"),
    ("extra.yaml", "variables:\n  spare: {}\n"),
    ("extra.yaml", "{}\n"),
    ("scenes.yaml", "        cost: {}\n"),
    ("scenes.yaml", "        when: {}\n"),
    ("scenes.yaml", "        effects: {}\n"),
    ("scenes.yaml", "        input: {}\n"),
    ("scenes.yaml", "        points: {}\n"),
    # Format 2: delays after an event, conditions watched through waits, authorities.
    ("extra.yaml", "injects:\n  - {{id: inj-x, title: X, when: evidence >= 1, delay: {}}}\n"),
    ("extra.yaml", "injects:\n  - {{id: inj-x, title: X, delay: 1h, when: {}}}\n"),
    ("extra.yaml", "authorities: {}\n"),
    ("extra.yaml", "authorities:\n  - {{id: judge, title: Judge, country: {}}}\n"),
    ("scenes.yaml", "        approval: {{role: police, then: {}}}\n"),
    (
        "scenes.yaml",
        "        approval: {{role: police, then: [{{authority: judge, answers: {}}}]}}\n",
    ),
]


def _fragments() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.sampled_from(VALUES),
        st.text(max_size=8),
        st.integers(-(10**25), 10**25).map(str),
        st.floats().map(repr),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(st.tuples(st.sampled_from(KEYS), inner), max_size=4).map(
                lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
            ),
            st.tuples(st.sampled_from(["&a ", "&b ", *TAGS]), inner).map("".join),
        ),
        max_leaves=12,
    )


@settings(
    # 150 for the first 11 places; about as many per place for the 6 places of format 2.
    max_examples=230,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(place=st.sampled_from(PLACES), fragment=_fragments())
def test_any_value_in_any_place_loads_or_is_refused(
    place: tuple[str, str],
    fragment: str,
    tmp_path_factory: pytest.TempPathFactory,
    fuzz_tally: FuzzTally,
) -> None:
    folder = tmp_path_factory.mktemp("fragment")
    shutil.copytree(HOSTILE / "_base", folder, dirs_exist_ok=True)
    name, template = place
    text = template.format(fragment)
    if name == "scenes.yaml":
        scenes = (folder / name).read_text(encoding="utf-8")
        text = scenes.replace("        goto: end\n", "        goto: end\n" + text)
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    _try(folder, fuzz_tally, "YAML fragments", f"{name} with {text!r}")


# ---------------------------------------------------------------- conditions

VARIABLES = {
    "evidence": VarInfo("int"),
    "victim": VarInfo("bool"),
    "jit": VarInfo("enum", values=("none", "signed")),
    "seized": VarInfo("set", values=("phones", "cash")),
    "notes": VarInfo("int", scope="role"),
}
TOKENS = [
    *VARIABLES,
    "not",
    "and",
    "or",
    "in",
    "not in",
    "is",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "'none'",
    "'signed'",
    "'phones'",
    "'other'",
    "0",
    "1",
    "0.5",
    "1e308",
    "9" * 30,
    "true",
    "False",
    "visited('stop')",
    "has('doc')",
    "done('act')",
    "count('act')",
    "pending('act')",
    "fired('inj')",
    "phase()",
    "elapsed()",
    "hours(",
    "days(2)",
    "score()",
    "picked('a')",
    "value()",
    "lambda",
    "__import__('os')",
    "x[0]",
    "&&",
    "||",
    "!",
    "'\\0'",
    "\0",
]


@dataclass
class _State:
    """What a condition reads, as the session's state has it."""

    vars: dict[str, Any]
    role_vars: dict[str, dict[str, Any]]
    visited: dict[str, int] = field(default_factory=lambda: {"stop": 0})
    unlocked: dict[str, int] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=lambda: {"act": 2})
    fired: dict[str, int] = field(default_factory=dict)
    pending_actions: dict[str, int] = field(default_factory=dict)
    scene: str | None = "stop"
    phase: str = "checks"
    clock: int = 90


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    text=st.one_of(
        st.lists(st.sampled_from(TOKENS), max_size=24).map(" ".join),
        st.text(max_size=40),
        # Deep rather than wide: what overflowed Python's stack.
        st.builds(
            lambda pattern, n: pattern[0] * n + pattern[1] + pattern[2] * n,
            st.sampled_from(
                [
                    ("not ", "true", ""),
                    ("1+", "1", ""),
                    ("(", "1", ")"),
                    ("-", "1", ""),
                    ("hours(", "1", ")"),
                ]
            ),
            st.integers(1, 6000),
        ),
    ),
    allow_answer=st.booleans(),
    role_context=st.booleans(),
)
def test_any_condition_compiles_and_evaluates_or_is_refused(
    text: str, allow_answer: bool, role_context: bool, fuzz_tally: FuzzTally
) -> None:
    started = time.thread_time()
    try:
        compiled = compile_expression(
            text, VARIABLES, allow_answer=allow_answer, role_context=role_context
        )
    except ExpressionError as error:
        assert error.message
    else:
        state = _State(
            vars={"evidence": 2, "victim": False, "jit": "none", "seized": frozenset({"cash"})},
            role_vars={"police": {"notes": 1}},
        )
        answer = Answer(score=0.5, picked=frozenset({"a"}), value=3.0) if allow_answer else None
        compiled(state, "police" if role_context else None, answer)
    fuzz_tally.count("conditions", time.thread_time() - started)
