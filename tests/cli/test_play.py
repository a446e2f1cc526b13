from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from caseroom.cli.main import app
from caseroom.cli.play import MENU_PROMPT, PLAY_SEED, Entry, menu_entries, run_play
from caseroom.engine import Scenario, Session, load_scenario
from caseroom.engine.model import ExpertStep
from caseroom.engine.shuffle import shown_items

ROOT = Path(__file__).resolve().parents[2]
NIGHT_CROSSING = ROOT / "scenarios" / "night-crossing"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(NIGHT_CROSSING)


def _console() -> Console:
    return Console(record=True, width=100, force_terminal=False, color_system=None)


def _entry_for(scenario: Scenario, step: ExpertStep, entries: list[Entry]) -> Entry:
    for entry in entries:
        if entry.number is None:
            continue
        if step.wait and entry.kind == "wait":
            return entry
        if step.approve and entry.kind == "approve" and entry.action == step.approve:
            return entry
        if step.refuse and entry.kind == "refuse" and entry.action == step.refuse:
            return entry
        # An action open to anyone has one entry, taken by the first role that may act.
        open_to_anyone = step.do is not None and scenario.actions[step.do].roles is None
        if (
            step.do
            and entry.kind == "act"
            and entry.action == step.do
            and (step.role in (None, entry.role) or open_to_anyone)
        ):
            return entry
    raise AssertionError(f"no menu entry for {step}: {entries}")


def _answer_lines(scenario: Scenario, step: ExpertStep) -> list[str]:
    """What a player types for the step's answer, item ids turned into item numbers."""
    if step.do is None or step.answer is None:
        return []
    spec = scenario.actions[step.do].input
    assert spec is not None
    if isinstance(step.answer, list):
        # Numbered as the terminal lists them: in the player's shuffled order.
        ids = [item.id for item in shown_items(scenario.actions[step.do], PLAY_SEED)]
        return [",".join(str(ids.index(i) + 1) for i in step.answer)]
    return [str(step.answer)]


def _expert_player(session: Session, roles: list[str]) -> Callable[[str], str]:
    """Answers the menu by following the expert path, looking the numbers up in the session."""
    steps = list(session.scenario.doc.expert_path)
    queued: list[str] = []

    def ask(prompt: str) -> str:
        if queued:
            return queued.pop(0)
        assert prompt == MENU_PROMPT, prompt
        if not steps:
            raise EOFError
        step = steps.pop(0)
        entry = _entry_for(session.scenario, step, menu_entries(session, roles))
        queued.extend(_answer_lines(session.scenario, step))
        return str(entry.number)

    return ask


def test_following_the_expert_path_by_menu_numbers_reaches_the_success_ending(
    scenario: Scenario,
) -> None:
    console = _console()
    session = Session(scenario)
    roles = list(scenario.roles)
    result = run_play(scenario, None, console, ask=_expert_player(session, roles), session=session)
    assert result is session
    assert session.ended
    output = console.export_text()
    ending = scenario.endings[session.outcome or ""]
    assert session.outcome == scenario.doc.endings[0].id
    assert ending.title in output
    assert "Trajectory" in output
    assert "Learning objectives" in output
    assert "Traceback" not in output


def test_the_intro_shows_title_and_every_briefing_when_playing_all_roles(
    scenario: Scenario,
) -> None:
    console = _console()
    run_play(scenario, None, console, ask=lambda _prompt: "q")
    output = console.export_text()
    assert scenario.doc.title in output
    for role in scenario.roles.values():
        assert role.title in output


def test_playing_one_role_shows_only_its_briefing_and_its_actions(scenario: Scenario) -> None:
    console = _console()
    session = run_play(scenario, "prosecutor-mk", console, ask=lambda _prompt: "q")
    output = console.export_text()
    assert "Briefing: Public prosecutor on duty" in output
    assert "Briefing: Border police shift commander" not in output
    entries = menu_entries(session, ["prosecutor-mk"])
    assert all(e.number is None for e in entries if e.kind == "act") or not entries


def test_end_of_input_mid_game_exits_cleanly(scenario: Scenario) -> None:
    console = _console()
    answers = iter(["1"])  # the first option of the first scene, then the input ends

    def ask(_prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    session = run_play(scenario, None, console, ask=ask)
    assert not session.ended
    assert len(session.events) == 1
    output = console.export_text()
    assert "You leave the case" in output
    assert "Traceback" not in output


def test_ctrl_c_quits_like_end_of_input(scenario: Scenario) -> None:
    def ask(_prompt: str) -> str:
        raise KeyboardInterrupt

    session = run_play(scenario, None, _console(), ask=ask)
    assert not session.ended


def test_unknown_input_and_bad_answers_are_explained_and_play_goes_on(scenario: Scenario) -> None:
    console = _console()
    session = Session(scenario)
    session.act("border-police-mk", "secure-and-separate")
    roles = list(scenario.roles)
    seize = next(e for e in menu_entries(session, roles) if e.action == "seize-phone")
    answers = iter(["zzz", "99", str(seize.number), "q"])
    run_play(scenario, None, console, ask=lambda _prompt: next(answers), session=session)
    output = console.export_text()
    assert "is not on the menu" in output
    assert "Waiting for approval" in output
    assert session.state.pending and session.state.pending[0].action == "seize-phone"


def test_refusing_offers_the_suggested_reasons_and_records_the_chosen_one(
    scenario: Scenario,
) -> None:
    console = _console()
    session = Session(scenario)
    session.act("border-police-mk", "secure-and-separate")
    session.act("border-police-mk", "seize-phone")
    roles = list(scenario.roles)
    refuse = next(e for e in menu_entries(session, roles) if e.kind == "refuse")
    answers = iter([str(refuse.number), "1", "q"])
    run_play(scenario, None, console, ask=lambda _prompt: next(answers), session=session)
    approval = scenario.actions["seize-phone"].approval
    assert approval is not None
    refusal = [s for s in session.trajectory() if s.kind == "refuse"]
    assert refusal and refusal[0].reason == approval.reasons[0]
    assert f"Reason: {approval.reasons[0]}" in console.export_text()


def test_documents_can_be_listed_and_opened_with_their_table(scenario: Scenario) -> None:
    console = _console()
    session = Session(scenario)
    session.act("border-police-mk", "secure-and-separate")
    session.act("border-police-mk", "seize-phone")
    session.approve("seize-phone", "prosecutor-mk")
    docs = session.visible_documents("border-police-mk")
    number = docs.index("doc-phone-messages") + 1
    answers = iter(["d", str(number), "q"])
    run_play(scenario, None, console, ask=lambda _prompt: next(answers), session=session)
    output = console.export_text()
    assert scenario.documents["doc-phone-messages"].title in output
    assert "Says 19 if asked" in output  # a table cell


def test_a_wrong_numeric_answer_is_asked_again(scenario: Scenario) -> None:
    console = _console()
    session = Session(scenario)
    session.act("border-police-mk", "secure-and-separate")
    session.act("border-police-mk", "seize-phone")
    session.approve("seize-phone", "prosecutor-mk")
    count = next(e for e in menu_entries(session, list(scenario.roles)) if e.action == "count-fees")
    answers = iter([str(count.number), "ten thousand", "10800", "q"])
    run_play(scenario, None, console, ask=lambda _prompt: next(answers), session=session)
    assert "is not a number" in console.export_text()
    assert session.state.taken.get("count-fees") == 1


def test_menu_numbers_are_stable_and_greyed_out_actions_have_no_number(scenario: Scenario) -> None:
    session = Session(scenario)
    session.act("border-police-mk", "secure-and-separate")
    roles = list(scenario.roles)
    first = menu_entries(session, roles)
    assert first == menu_entries(session, roles)
    numbers = [e.number for e in first if e.number is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    count_fees = [e for e in first if e.action == "count-fees"]
    assert count_fees and all(e.number is None and e.reason for e in count_fees)


def test_the_graph_command_prints_mermaid() -> None:
    result = CliRunner().invoke(app, ["graph", str(NIGHT_CROSSING), "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("flowchart TD")


def test_the_play_command_quits_cleanly_at_end_of_input() -> None:
    result = CliRunner().invoke(app, ["play", str(NIGHT_CROSSING)], input="")
    assert result.exit_code == 0, result.output
    assert "Night crossing" in result.output


def test_the_play_command_shuffles_as_the_seed_given(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds: list[str] = []

    def record(*args: object, seed: str, **kwargs: object) -> None:
        seeds.append(seed)

    monkeypatch.setattr("caseroom.cli.play.run_play", record)
    for extra in (["--seed", "team-7"], []):
        result = CliRunner().invoke(app, ["play", str(NIGHT_CROSSING), *extra], input="")
        assert result.exit_code == 0, result.output

    assert seeds == ["team-7", PLAY_SEED]  # a web team's order, else the terminal's own
