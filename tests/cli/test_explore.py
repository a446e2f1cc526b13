"""`caseroom explore` and the exploration part of `caseroom validate`, as an author uses them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from caseroom.cli.main import app
from tests.conftest import MINI, ROOT

runner = CliRunner()
NIGHT = str(ROOT / "scenarios" / "night-crossing")


def test_explore_json_is_the_same_byte_for_byte_in_two_runs() -> None:
    first = runner.invoke(app, ["explore", NIGHT, "--json"])
    second = runner.invoke(app, ["explore", NIGHT, "--json"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert report["exhaustive"] is True and report["stopped"] is None
    assert report["reachable_endings"] == report["endings"]
    assert "seconds" not in report and "sample" not in report


def test_explore_says_how_it_knows_it_is_complete() -> None:
    result = runner.invoke(app, ["explore", NIGHT])
    assert result.exit_code == 0, result.output
    assert "exhaustive: yes (everything that may be reached was reached)" in result.output
    assert "every_state: False" in result.output
    every = runner.invoke(app, ["explore", NIGHT, "--every-state"])
    assert "exhaustive: yes (every state explored)" in every.output
    assert "every_state: True" in every.output
    former = runner.invoke(app, ["explore", NIGHT, "--exhaustive"])  # the flag's former name
    assert former.stdout == every.stdout


def test_a_sample_adds_the_balance_of_endings_and_nothing_else(tmp_path: Path) -> None:
    plain = json.loads(runner.invoke(app, ["explore", NIGHT, "--json"]).stdout)
    sampled = json.loads(
        runner.invoke(app, ["explore", NIGHT, "--json", "--sample", "30", "--seed", "4"]).stdout
    )
    sample = sampled.pop("sample")
    assert sampled == plain  # reachability never depends on the sample
    assert sample["playthroughs"] == 30 and sample["seed"] == 4
    assert sum(sample["ending_counts"].values()) + sample["unfinished"] == 30
    text = runner.invoke(app, ["explore", NIGHT, "--sample", "30", "--seed", "4"]).output
    assert "endings of 30 random games (seed 4):" in text


def test_explore_names_what_can_never_be_reached(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "orphan.yaml").write_text(
        "scenes:\n  - id: orphan\n    phase: checks\n    title: Orphan\n"
        "    options:\n      - {id: lost, text: Lost, goto: end}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["explore", str(folder)])
    assert result.exit_code == 0, result.output
    assert "can never be reached, scenes: orphan" in result.output
    assert "can never be reached, actions: lost" in result.output


def test_a_stopped_exploration_says_where_and_what_is_left(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explore", str(MINI), "--max-moves", "20"])
    assert "exhaustive: no, stopped at its move budget of 20 moves" in result.output
    # Asked for every state and stopped: the proof still decides what the search did not.
    every = runner.invoke(app, ["explore", str(MINI), "--every-state", "--max-states", "40"])
    assert "exhaustive: yes (everything that may be reached was reached)" in every.output
    assert "the search of every state stopped at its state budget of 40 distinct" in every.output


def test_validate_prints_where_the_expert_path_leads() -> None:
    result = runner.invoke(app, ["validate", NIGHT])
    assert result.exit_code == 0, result.output
    assert (
        f"{NIGHT}: the expert path reaches 'child-safe-network-traced' (The boy is safe and the "
        "network is traced across the border) with 43 points (legal 13, protection 14, "
        "operational 8, cooperation 8)"
    ) in result.output


def test_validate_json_carries_the_expert_outcome_as_an_info_item() -> None:
    result = runner.invoke(app, ["validate", str(MINI), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    (outcome,) = [i for i in items if i["code"] == "expert-outcome"]
    assert outcome["severity"] == "info" and outcome["ending"] == "dismantled"
    assert outcome["score"] == {
        "total": 11,
        "rubric": {"legal": 1, "protection": 2, "operational": 3, "cooperation": 5},
    }
    assert outcome["file"] == "rest.yaml"
