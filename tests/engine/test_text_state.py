"""Texts that read the state (`{{ clock }}`, `{{ var.found }}`, `{{ count('x') }}`): checked by
the validator with their position, read at the moment each text arrived, escaped so that a
value never adds Markdown or HTML, and never failing a page."""

from __future__ import annotations

import json
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseroom.engine import ScenarioError, Session, State, load_scenario
from caseroom.engine.expressions import VarInfo
from caseroom.engine.scenario import Scenario
from caseroom.engine.strings import text
from caseroom.engine.textmoments import text_moments
from caseroom.engine.textstate import (
    MAX_VALUE_CHARS,
    check_texts,
    compile_text,
    escape_markdown,
    render_text,
)
from caseroom.engine.translations import Fallback
from caseroom.engine.validator import check_scenario
from caseroom.lib.markdown import plain_text, render_markdown
from tests.conftest import ROOT

from .test_loader import BASE, write
from .test_translations import copy_mini, entry, findings, write_po

VARIABLES = BASE.replace(
    "variables:\n",
    "variables:\n"
    "  status:\n"
    "    type: enum\n"
    "    values: [unscreened, spotted]\n"
    "    value_labels: {spotted: indicators spotted}\n"
    "  found: {type: set, values: [passport, ledger, phone], value_labels: {ledger: the ledger}}\n"
    "  alerted: {type: bool}\n"
    "  mood: {type: int, scope: role}\n",
)
SCENES = """\
scenes:
  - id: first
    phase: only
    title: First
    text: "{TEXT}"
    options:
      - id: search
        text: Search the van
        cost: 2h 30m
        once: false
        feedback: "At {{ time }} you hold {{ var.evidence }} pieces: {{ var.found }}."
        effects: {add: {evidence: 1}, include: {found: [ledger, passport]}, set: {status: spotted}}
      - id: go
        text: Go
        goto: end
endings:
  - {id: done, title: Done, narrative: "Closed on {{ date }} with {{ var.evidence }}."}
"""


def scenario_with(tmp_path: Path, text: str, variables: str = VARIABLES) -> Scenario:
    scenes = SCENES.replace("{TEXT}", text.replace('"', '\\"'))
    return load_scenario(write(tmp_path, {"scenario.yaml": variables, "scenes.yaml": scenes}))


def found(scenario: Scenario) -> list[str]:
    return [str(d) for d in check_texts(scenario)]


def test_a_scene_text_reads_the_clock_the_day_the_phase_and_variables_with_their_labels(
    tmp_path: Path,
) -> None:
    scenario = scenario_with(
        tmp_path,
        "{{ clock }} · {{ date }} · {{ time }} · day {{ day }} · {{ elapsed }} · {{ phase }} · "
        "{{ var.status }} · {{ var.found }} · {{ count('search') * 10 }}",
    )
    session = Session(scenario)
    session.act("police", "search")
    session.act("police", "search")
    shown = plain_text(render_text(scenario, scenario.scenes["first"].text, session.state))
    assert shown == (
        "2026-03-02 13:00 · 2026-03-02 · 13:00 · day 1 · 5h · Only phase · "
        "indicators spotted · passport, the ledger · 20"
    )


def test_feedback_reads_the_state_right_after_its_action_and_never_changes(
    tmp_path: Path,
) -> None:
    scenario = scenario_with(tmp_path, "Now")
    session = Session(scenario)
    session.act("police", "search")
    session.act("police", "search")
    moments = text_moments(session)
    feedback = [i for i, f in enumerate(session.state.feed) if f.kind == "feedback"]
    text = scenario.actions["search"].feedback or ""
    first, second = (plain_text(render_text(scenario, text, moments.feed[i])) for i in feedback)
    assert first == "At 10:30 you hold 1 pieces: passport, the ledger."
    assert second == "At 13:00 you hold 2 pieces: passport, the ledger."
    assert sorted(moments.steps) == [0, 1]


def test_moments_asked_again_as_the_log_grows_are_those_of_a_fresh_replay(
    tmp_path: Path,
) -> None:
    scenario = scenario_with(tmp_path, "Now")
    session = Session(scenario)
    session.act("police", "search")
    early = text_moments(session)  # a page rendered after the first event
    session.act("police", "search")

    later, fresh = text_moments(session), text_moments(Session(scenario, session.events))

    assert sorted(early.feed) != sorted(later.feed)  # the second feedback arrived since
    assert {i: s.key() for i, s in later.feed.items()} == {
        i: s.key() for i, s in fresh.feed.items()
    }
    assert sorted(later.steps) == sorted(fresh.steps) == [0, 1]


def test_a_scenario_without_placeholders_replays_nothing_for_its_texts(tmp_path: Path) -> None:
    plain = SCENES.replace(
        '"At {{ time }} you hold {{ var.evidence }} pieces: {{ var.found }}."', "Ok"
    )
    plain = plain.replace('"Closed on {{ date }} with {{ var.evidence }}."', "Closed")
    scenario = load_scenario(
        write(tmp_path, {"scenario.yaml": VARIABLES, "scenes.yaml": plain.replace("{TEXT}", "x")})
    )
    session = Session(scenario)
    session.act("police", "search")
    moments = text_moments(session)
    assert (dict(moments.feed), dict(moments.steps), dict(moments.documents)) == ({}, {}, {})
    assert render_text(scenario, "no state here", session.state) == "no state here"


def test_every_unreadable_placeholder_is_an_error_at_the_text_that_holds_it(
    tmp_path: Path,
) -> None:
    scenario = scenario_with(
        tmp_path,
        "{{ var.evidense }} {{ var.alerted }} {{ var.mood }} {{ evidence }} {{ clok }} "
        "{{ has('doc') }} {{ var.evidence.x }} {{ }} {{ __import__('os') }} {{ open",
    )
    problems = found(scenario)
    assert all(p.startswith("scenes.yaml:5:5: ") for p in problems), problems
    messages = [p.removeprefix("scenes.yaml:5:5: ") for p in problems]
    assert messages == [
        "in {{ var.evidense }}: unknown variable 'evidense' (did you mean 'evidence'?) "
        "(variables: alerted, evidence, found, mood, status)",
        "in {{ var.alerted }}: 'alerted' is true or false, which has no words in every "
        "language: show an enum with value_labels instead",
        "in {{ var.mood }}: 'mood' has scope: role, and a text is read by the whole team: "
        "show a team variable",
        "in {{ evidence }}: to show the variable 'evidence', write {{ var.evidence }}",
        "in {{ clok }}: unknown name 'clok' (did you mean 'clock'?): a placeholder shows "
        "clock, date, time, day, elapsed, phase, var.<variable> or a number such as "
        "count('some-action')",
        "in {{ has('doc') }}: 'has('doc')' is bool, a placeholder shows numbers",
        "in {{ var.evidence.x }}: 'var.evidence.x' is not a variable: write var.<name>, "
        "e.g. var.evidence",
        "in {{ }}: the placeholder is empty",
        "in {{ __import__('os') }}: unknown helper '__import__' (helpers: visited, at, has, done, "
        "count, pending, fired, picked, phase, elapsed, hours, days, score, value)",
        "'{{' without its '}}' on the same line",
    ]


def test_an_id_named_by_a_helper_in_a_placeholder_must_exist(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, "{{ count('serch') }} {{ count('search') }}")
    assert found(scenario) == [
        "scenes.yaml:5:5: in {{ count('serch') }}: unknown action 'serch' (did you mean 'search'?)"
    ]


def test_placeholders_stand_only_where_a_team_state_is_known(tmp_path: Path) -> None:
    scenes = SCENES.replace("text: Search the van", "text: Search at {{ clock }}")
    scenario = load_scenario(
        write(
            tmp_path,
            {"scenario.yaml": VARIABLES, "scenes.yaml": scenes.replace("{TEXT}", "x")},
        )
    )
    assert found(scenario) == [
        "scenes.yaml:8:9: a placeholder in 'text': placeholders are read only in texts "
        "shown to a team at a moment of its play (a scene's text, a document's body, an "
        "inject's or reply's message, feedback, debrief, an ending's narrative, a briefing)"
    ]


def test_the_validator_reports_placeholder_errors_and_nothing_for_good_ones(
    tmp_path: Path,
) -> None:
    good = scenario_with(tmp_path / "good", "{{ clock }} {{ var.found }}")
    assert [d for d in check_scenario(good) if d.code == "placeholder"] == []
    bad = scenario_with(tmp_path / "bad", "{{ var.nothing }}")
    codes = [(d.code, d.severity.value) for d in check_scenario(bad) if d.code == "placeholder"]
    assert codes == [("placeholder", "error")]


def test_a_value_can_never_add_markdown_or_html(tmp_path: Path) -> None:
    hostile = VARIABLES.replace(
        "value_labels: {spotted: indicators spotted}",
        "value_labels: {spotted: '<script>alert(1)</script> **bold** [x](javascript:y) &amp;'}",
    )
    scenario = scenario_with(tmp_path, "Status: {{ var.status }}", hostile)
    session = Session(scenario)
    session.act("police", "search")
    html = render_markdown(render_text(scenario, scenario.scenes["first"].text, session.state))
    assert html == (
        "<p>Status: &lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:y) "
        "&amp;amp;</p>\n"
    )


def test_a_text_shown_in_the_source_language_keeps_its_language(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, "x")
    shown = render_text(scenario, Fallback("At {{ time }}", "en"), Session(scenario).state)
    assert isinstance(shown, Fallback) and shown.lang == "en" and shown == "At 08\\:00"


def test_a_placeholder_that_cannot_be_read_at_play_is_shown_as_written(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, "x")
    state = Session(scenario).state
    assert render_text(scenario, "{{ var.nothing }} and {{ time }}", state) == (
        "{{ var.nothing }} and 08\\:00"
    )
    huge = "{{ " + " * ".join(["999999999"] * 25) + " }}"
    assert render_text(scenario, huge, state).endswith("…")  # bounded, not 225 digits
    assert len(render_text(scenario, huge, state)) <= 2 * MAX_VALUE_CHARS


def test_escaping_keeps_words_and_digits() -> None:
    assert escape_markdown("2 a-b") == "2 a\\-b"
    assert render_markdown(escape_markdown("*[a](b)* <i> `c` \\ _d_")) == (
        "<p>*[a](b)* &lt;i&gt; `c` \\ _d_</p>\n"
    )


def test_the_documented_example_loads_and_reads_its_state(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Text that reads the state", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (tmp_path / "scenario.yaml").write_text(example, encoding="utf-8")
    scenario = load_scenario(tmp_path)
    assert [str(d) for d in check_scenario(scenario) if d.code == "placeholder"] == []
    session = Session(scenario)
    session.act("police", "count-workers")
    moments = text_moments(session)
    index = next(i for i, f in enumerate(session.state.feed) if f.kind == "feedback")
    feedback = scenario.actions["count-workers"].feedback or ""
    assert plain_text(render_text(scenario, feedback, moments.feed[index])) == (
        "At 2026-03-02 10:00 you count 12 workers; the site is now: sealed off."
    )


VARS = {"evidence": VarInfo("int"), "status": VarInfo("enum", values=("a", "b"))}


@lru_cache(maxsize=1)
def played() -> tuple[Scenario, State]:
    """One loaded scenario and state for every random text (loading costs more than a text)."""
    scenario = scenario_with(Path(tempfile.mkdtemp()), "x")
    session = Session(scenario)
    session.act("police", "search")
    return scenario, session.state


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(
                [
                    "{{",
                    "}}",
                    "{{ clock }}",
                    "{{ var.",
                    "var.status",
                    "var.found",
                    "count('search')",
                    "(",
                    "'",
                    ".",
                    "\n",
                ]
            ),
        ),
        max_size=12,
    ).map("".join)
)
def test_random_texts_never_crash_the_check_or_the_renderer(text: str) -> None:
    template = compile_text(text, VARS)
    assert all(isinstance(e, str) for e in template.errors)
    scenario, state = played()
    shown = render_text(scenario, text, state)
    assert isinstance(shown, str)
    render_markdown(shown)


def test_a_variable_shown_only_in_a_text_is_not_called_unused(tmp_path: Path) -> None:
    scenario = scenario_with(tmp_path, "{{ var.found }} {{ count('search') + evidence }}")
    unused = [d.message for d in check_scenario(scenario) if d.code == "unused-variable"]
    assert "variable 'found' is never read by any condition" not in unused
    assert "variable 'status' is never read by any condition" in unused


def test_a_translation_keeps_the_placeholders_or_the_source_is_shown(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    edit = folder / "scenes.yaml"
    source = edit.read_text(encoding="utf-8")
    edit.write_text(source.replace("people is stopped.", "people is stopped at {{ time }}."))
    kept = "Kombi sa **devet** ljudi je zaustavljen u {{ time }}."
    write_po(
        folder,
        "sr",
        entry("scene.stop.text", "A van with **nine** people is stopped at {{ time }}.", kept),
    )
    scenario = load_scenario(folder)
    state = Session(scenario).state
    shown = render_text(scenario, text(scenario, "scene.stop.text", "sr"), state, "sr")
    assert plain_text(shown) == "Kombi sa devet ljudi je zaustavljen u 08:00."
    dropped = kept.replace(" u {{ time }}", "")
    write_po(
        folder,
        "sr",
        entry("scene.stop.text", "A van with **nine** people is stopped at {{ time }}.", dropped),
    )
    scenario = load_scenario(folder)
    assert isinstance(text(scenario, "scene.stop.text", "sr"), Fallback)
    assert "placeholders differ from the source (missing: {{ time }}" in findings(folder)[0]


PIECES = st.sampled_from(
    [
        "{{",
        "}}",
        " ",
        "{{ clock }}",
        "var.",
        "found",
        "status",
        "count('search')",
        "has('x')",
        "evidence",
        "+",
        "*",
        "(",
        ")",
        "'",
        ".",
        "**",
        "<b>",
        "[a](b)",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=14).map("".join))
def test_random_placeholders_in_a_scenario_never_crash_the_validator_or_a_page(text: str) -> None:
    root = Path(tempfile.mkdtemp())
    scenes = SCENES.replace('"{TEXT}"', json.dumps(text))
    write(root, {"scenario.yaml": VARIABLES, "scenes.yaml": scenes})
    try:
        scenario = load_scenario(root)
    except ScenarioError:
        return  # text YAML cannot hold (a NUL, a lone surrogate): refused with diagnostics
    found = check_texts(scenario)
    assert all(d.code == "placeholder" for d in found)
    session = Session(scenario)
    session.act("police", "search")
    shown = render_text(scenario, scenario.scenes["first"].text, session.state)
    render_markdown(shown)
    if not found:  # a text the validator accepts shows no placeholder unread
        assert "{{" not in shown
