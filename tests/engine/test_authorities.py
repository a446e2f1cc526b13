"""Authorities nobody plays: scripted decisions in chains of approvals (police, prosecutor
played, then an investigating judge and a foreign court scripted), and requests to them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from caseroom.engine import ScenarioError, Session, explore_scenario, load_scenario
from caseroom.engine.model import json_schema
from caseroom.engine.strings import catalogue
from caseroom.engine.validator import check_scenario

CHAIN: dict[str, Any] = {
    "id": "chain",
    "version": "1",
    "title": "Chain",
    "start": "office",
    "phases": [{"id": "p", "title": "P"}],
    "roles": [{"id": "police", "title": "Police"}, {"id": "prosecutor", "title": "Prosecutor"}],
    "authorities": [
        {"id": "judge", "title": "Investigating judge", "country": "RS", "agency": "court"},
        {"id": "court-mk", "title": "Basic Court Skopje", "country": "MK"},
    ],
    "variables": {"evidence": {"type": "int", "min": 0, "max": 5}},
    "documents": [
        {"id": "doc-order", "title": "Order"},
        {"id": "doc-mk", "title": "Records from Skopje"},
        {"id": "doc-letter", "title": "Letter"},
    ],
    "scenes": [
        {
            "id": "office",
            "phase": "p",
            "title": "Office",
            "kind": "menu",
            "actions": [
                {"id": "gather", "text": "Gather.", "effects": {"add": {"evidence": 2}}},
                {
                    "id": "intercepts",
                    "text": "Ask for intercepts.",
                    "roles": ["police"],
                    "effects": {"add": {"evidence": 1}},
                    "approval": {
                        "role": "prosecutor",
                        "reasons": ["No grounds"],
                        "approve": {"grade": "exemplary"},
                        "then": [
                            {
                                "authority": "judge",
                                "delay": "1d",
                                "prompt": "The prosecutor proposes an order.",
                                "answers": [
                                    {
                                        "when": "evidence >= 2",
                                        "decision": "approve",
                                        "effects": {"unlock": ["doc-order"]},
                                    },
                                    {
                                        "decision": "refuse",
                                        "reason": "Grounds of suspicion not documented",
                                        "grade": "poor",
                                        "feedback": "Document the grounds first.",
                                    },
                                ],
                            },
                            {
                                "authority": "court-mk",
                                "delay": "2d",
                                "answers": [
                                    {"decision": "approve", "effects": {"unlock": ["doc-mk"]}}
                                ],
                            },
                        ],
                    },
                },
                {
                    "id": "write-court",
                    "text": "Write to the court in Skopje.",
                    "request": {
                        "to": "court-mk",
                        "delay": "3d",
                        "replies": [{"message": "Noted.", "effects": {"unlock": ["doc-letter"]}}],
                    },
                },
                {"id": "close", "text": "Close.", "goto": "end"},
            ],
        }
    ],
    "endings": [
        {"id": "records", "title": "Records", "when": "has('doc-mk')"},
        {"id": "nothing", "title": "Nothing"},
    ],
}


def load(tmp_path: Path, document: dict[str, Any] | None = None) -> Any:
    folder = tmp_path / f"s{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    text = json.dumps(document or CHAIN, indent=1)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    return load_scenario(folder)


def test_a_chain_goes_on_to_each_authority_after_its_delay(tmp_path: Path) -> None:
    session = Session(load(tmp_path))
    session.act("police", "gather")
    session.act("police", "intercepts")
    session.approve("intercepts", "prosecutor")
    (pending,) = session.state.pending
    assert (pending.kind, pending.to, pending.due, pending.step) == ("decision", "judge", 1440, 1)
    assert session.check("police", "intercepts").code == "pending"
    session.wait()
    (pending,) = session.state.pending
    assert (pending.to, pending.due) == ("court-mk", 1440 + 2880)
    assert "doc-order" in session.state.unlocked and "intercepts" not in session.state.taken
    session.wait()
    assert session.state.pending == [] and session.state.pending_actions == {}
    assert session.state.taken["intercepts"] == 1 and session.state.vars["evidence"] == 3
    assert [(s.kind, s.role, s.at) for s in session.state.steps[-4:]] == [
        ("approve", "prosecutor", 0),
        ("approve", "judge", 1440),
        ("approve", "court-mk", 4320),
        ("act", "police", 4320),
    ]
    session.act("police", "close")
    assert session.outcome == "records"


def test_a_scripted_refusal_stops_the_chain_with_its_reason(tmp_path: Path) -> None:
    session = Session(load(tmp_path))
    session.act("police", "intercepts")
    session.approve("intercepts", "prosecutor")
    session.wait()
    refusal = [f for f in session.state.feed if f.kind == "refusal"][-1]
    assert (refusal.role, refusal.reason) == ("judge", "Grounds of suspicion not documented")
    assert session.state.pending == [] and "intercepts" not in session.state.taken
    step = session.state.steps[-1]
    assert (step.kind, step.role, step.grade) == ("refuse", "judge", "poor")
    assert step.feedback == "action.intercepts.approval.then.0.answers.1.feedback"
    assert session.check("police", "intercepts").enabled  # it may be asked again


def test_a_played_refusal_never_reaches_the_authority(tmp_path: Path) -> None:
    session = Session(load(tmp_path))
    session.act("police", "intercepts")
    session.refuse("intercepts", "prosecutor", "No grounds")
    assert session.state.pending == [] and not session.can_wait()


def test_a_request_may_go_to_an_authority(tmp_path: Path) -> None:
    session = Session(load(tmp_path))
    session.act("police", "write-court")
    session.wait()
    assert session.state.clock == 4320 and "doc-letter" in session.state.unlocked


def test_chains_replay_exactly(tmp_path: Path) -> None:
    scenario = load(tmp_path)
    session = Session(scenario)
    session.act("police", "gather")
    session.act("police", "intercepts")
    session.approve("intercepts", "prosecutor")
    session.wait()
    replayed = Session.replay(scenario, [e.to_dict() for e in session.events])
    assert replayed.state.to_dict() == session.state.to_dict()


def test_authority_texts_are_keyed_as_roles_and_reasons_are_translatable(tmp_path: Path) -> None:
    strings = catalogue(load(tmp_path))
    assert strings["role.judge.title"] == "Investigating judge"
    assert strings["action.intercepts.approval.then.0.prompt"].startswith("The prosecutor")
    key = "action.intercepts.approval.then.0.answers.1.reason"
    assert strings[key] == "Grounds of suspicion not documented"


def test_the_explorer_proves_both_endings_and_the_bound_follows_the_chain(
    tmp_path: Path,
) -> None:
    scenario = load(tmp_path)
    for exhaustive in (False, True):
        report = explore_scenario(scenario, every_state=exhaustive)
        assert report.complete and report.reached_endings == {"records", "nothing"}
    assert [str(d) for d in check_scenario(scenario) if d.code != "no-locked-reason"] == []


def test_an_answer_that_cannot_come_is_proven_unreachable(tmp_path: Path) -> None:
    document = copy.deepcopy(CHAIN)
    judge = document["scenes"][0]["actions"][1]["approval"]["then"][0]
    judge["answers"][0]["when"] = "evidence >= 6"  # above the variable's max
    judge["answers"][0]["effects"] = {"unlock": ["doc-order"]}
    found = [str(d) for d in check_scenario(load(tmp_path, document))]
    assert any("document 'doc-order' can never be reached" in f for f in found)
    assert any("ending 'records' can never be reached" in f for f in found)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("then", 0, "authority", "jduge"), "unknown authority 'jduge' (did you mean 'judge'?)"),
        (("then", 0, "authority", "prosecutor"), "'prosecutor' is a role, an authority is"),
        (("then", 1, "delay", "3661d"), "a duration is at most 3660d"),
        (("then", 1, "answers", []), "'answers' needs at least one item"),
    ],
)
def test_chain_mistakes_are_errors_at_their_line(
    tmp_path: Path, change: tuple[str, int, str, Any], message: str
) -> None:
    document = copy.deepcopy(CHAIN)
    key, index, field, value = change
    document["scenes"][0]["actions"][1]["approval"][key][index][field] = value
    with pytest.raises(ScenarioError) as caught:
        load(tmp_path, document)
    problems = [str(d) for d in caught.value.diagnostics]
    assert any(message in p and p.startswith("scenario.yaml:") for p in problems), problems


def test_chain_warnings(tmp_path: Path) -> None:
    document = copy.deepcopy(CHAIN)
    then = document["scenes"][0]["actions"][1]["approval"]["then"]
    then[1]["answers"][0]["when"] = "evidence >= 1"
    then[0]["answers"][0]["goto"] = "office"
    codes = sorted(d.code for d in load(tmp_path, document).warnings)
    assert codes == ["approve-goto", "no-default"]


def test_the_schema_knows_authorities_and_chains() -> None:
    schema = json_schema()
    assert "authorities" in schema["properties"]
    assert "then" in schema["$defs"]["Approval"]["properties"]
    assert schema["$defs"]["Decision"]["properties"]["decision"]["enum"] == ["approve", "refuse"]


def test_one_authority_may_decide_twice_in_a_chain(tmp_path: Path) -> None:
    """Each step is its own pending decision (`Pending.step`), also in the state's key."""
    document = copy.deepcopy(CHAIN)
    then = document["scenes"][0]["actions"][1]["approval"]["then"]
    then[1]["authority"] = "judge"
    session = Session(load(tmp_path, document))
    session.act("police", "gather")
    session.act("police", "intercepts")
    session.approve("intercepts", "prosecutor")
    first = session.state.key()
    session.wait()
    assert [(p.to, p.step) for p in session.state.pending] == [("judge", 2)]
    assert session.state.key() != first
    session.wait()
    assert [s.role for s in session.state.steps if s.kind == "approve"] == [
        "prosecutor",
        "judge",
        "judge",
    ]


def test_a_case_that_ends_on_the_way_asks_no_authority(tmp_path: Path) -> None:
    document = copy.deepcopy(CHAIN)
    document["injects"] = [{"id": "leak", "title": "Leak", "end": "nothing"}]
    approval = document["scenes"][0]["actions"][1]["approval"]
    approval["approve"]["effects"] = {"fire": ["leak"]}
    session = Session(load(tmp_path, document))
    session.act("police", "intercepts")
    session.approve("intercepts", "prosecutor")
    assert session.outcome == "nothing" and session.state.pending == []
