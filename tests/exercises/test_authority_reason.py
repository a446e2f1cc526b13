"""A refusal scripted for an authority nobody plays reaches the feed in the reader's language
(the log keeps the source text, as it keeps what a person typed)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.utils import translation

from caseroom.engine import Session, load_scenario
from caseroom.engine.scenario import Scenario
from caseroom.exercises.feed import feed_views, reason_of
from tests.conftest import MINI

CHAIN = """\
          then:
            - authority: judge-rs
              delay: 2h
              prompt: The prosecutor moves for surveillance.
              answers:
                - when: evidence >= 5
                  decision: approve
                - decision: refuse
                  reason: Grounds not documented
"""


def mini_with_a_judge(tmp_path: Path) -> Scenario:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    scenes = folder / "scenes.yaml"
    text = scenes.read_text(encoding="utf-8")
    marker = "          refuse: {grade: poor, feedback: Refused.}\n"
    scenes.write_text(text.replace(marker, marker + CHAIN, 1), encoding="utf-8")
    scenario = folder / "scenario.yaml"
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace(
            "variables:\n",
            "authorities:\n  - {id: judge-rs, title: Investigating judge, country: RS}\n"
            "variables:\n",
            1,
        ),
        encoding="utf-8",
    )
    key = "action.surveil.approval.then.0.answers.1.reason"
    (folder / "translations" / "sr.yaml").unlink()
    (folder / "translations" / "sr.po").write_text(
        f'msgctxt "{key}"\nmsgid "Grounds not documented"\nmsgstr "Osnovi nisu dokumentovani"\n',
        encoding="utf-8",
    )
    return load_scenario(folder)


def refused_by_the_judge(scenario: Scenario) -> Session:
    session = Session(scenario)
    session.act("police-rs", "treat-as-victim")
    session.act("police-rs", "surveil")
    session.approve("surveil", "prosecutor-rs")
    session.wait()
    return session


def test_the_judges_scripted_reason_is_shown_in_the_readers_language(tmp_path: Path) -> None:
    scenario = mini_with_a_judge(tmp_path)
    session = refused_by_the_judge(scenario)
    (refusal,) = [item for item in session.state.feed if item.kind == "refusal"]
    assert refusal.reason == "Grounds not documented"  # the log: the source text

    with translation.override("sr"):
        shown = reason_of(scenario, refusal)
        feed = feed_views(session, scenario, ["police-rs"])

    assert shown == "Osnovi nisu dokumentovani"
    assert any(view.reason == "Osnovi nisu dokumentovani" for view in feed)


def test_a_reason_a_person_wrote_is_shown_as_written(tmp_path: Path) -> None:
    scenario = mini_with_a_judge(tmp_path)
    session = Session(scenario)
    session.act("police-rs", "treat-as-victim")
    session.act("police-rs", "surveil")
    session.refuse("surveil", "prosecutor-rs", "Grounds not documented")
    (refusal,) = [item for item in session.state.feed if item.kind == "refusal"]

    with translation.override("sr"):
        assert reason_of(scenario, refusal) == "Grounds not documented"  # a person's words


def test_the_terminal_says_whose_decision_the_team_waits_for(tmp_path: Path) -> None:
    from rich.console import Console

    from caseroom.cli.render import render_feed_item

    scenario = mini_with_a_judge(tmp_path)
    session = Session(scenario)
    session.act("police-rs", "treat-as-victim")
    session.act("police-rs", "surveil")
    session.approve("surveil", "prosecutor-rs")
    console = Console(width=100, record=True)
    for item in session.state.feed:
        if item.kind == "approval":
            console.print(render_feed_item(scenario, item, None))
    shown = console.export_text()

    assert "Waiting for approval: Prosecutor (Serbia)" in shown  # the played step
    assert "Waiting for approval: Investigating judge" in shown  # then the judge
    assert "judge-rs" not in shown
