"""Global actions offered in several scenes or for a range of phases without copying them:
`scenes: [..]`, `phases: [..]` and `phases: {from: a, to: c}` (docs/scenario-format.md,
"Where a global action is offered")."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseroom.engine import ScenarioError, Session, explore_scenario, load_scenario
from caseroom.engine.graph import to_dot
from caseroom.engine.model import json_schema
from caseroom.engine.scenario import Scenario
from caseroom.engine.validator import check_scenario
from tests.conftest import ROOT

CASE: dict[str, Any] = {
    "id": "scope",
    "version": "1",
    "title": "Scope",
    "start": "tip",
    "phases": [
        {"id": "checks", "title": "Checks"},
        {"id": "financial", "title": "Financial"},
        {"id": "court", "title": "Court"},
    ],
    "roles": [{"id": "police", "title": "Police"}],
    "documents": [{"id": "doc-mla", "title": "MLA request"}],
    "scenes": [
        {
            "id": "tip",
            "phase": "checks",
            "title": "Tip",
            "options": [{"id": "to-money", "text": "On.", "goto": "money"}],
        },
        {
            "id": "money",
            "phase": "financial",
            "title": "Money",
            "kind": "menu",
            "actions": [{"id": "to-assets", "text": "On.", "goto": "assets"}],
        },
        {
            "id": "assets",
            "phase": "financial",
            "title": "Assets",
            "options": [{"id": "to-court", "text": "On.", "goto": "hearing"}],
        },
        {
            "id": "hearing",
            "phase": "court",
            "title": "Hearing",
            "options": [{"id": "close", "text": "Close.", "goto": "end"}],
        },
    ],
    "actions": [
        {"id": "everywhere", "text": "Everywhere.", "once": False},
        {"id": "listed", "text": "Listed.", "once": False, "phases": ["checks", "court"]},
        {
            "id": "parallel",
            "text": "Parallel financial investigation.",
            "once": False,
            "phases": {"from": "financial"},
        },
        {
            "id": "early",
            "text": "Early.",
            "once": False,
            "phases": {"from": "checks", "to": "financial"},
        },
        {
            "id": "mla",
            "text": "Supplementary MLA request.",
            "scenes": ["assets", "hearing"],
            "effects": {"unlock": ["doc-mla"]},
        },
    ],
    "endings": [{"id": "done", "title": "Done"}],
}


def write(folder: Path, document: dict[str, Any]) -> Scenario:
    (folder / "scenario.yaml").write_text(json.dumps(document, indent=1), encoding="utf-8")
    return load_scenario(folder)


def errors(folder: Path, document: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        write(folder, document)
    return [d.message for d in caught.value.diagnostics]


def offered_on_the_way(sc: Scenario) -> dict[str, list[str]]:
    """The global actions offered in each scene, as the team walks tip → hearing."""
    session = Session(sc)
    found: dict[str, list[str]] = {}
    for step in ("to-money", "to-assets", "to-court", None):
        scene = session.state.scene
        assert scene is not None
        found[scene] = [
            o.action for o in session.options("police") if o.action in sc.globals_in(scene)
        ]
        if step is not None:
            session.act("police", step)
    return found


def test_a_global_action_is_offered_in_its_scenes_its_phases_or_its_range_of_phases(
    tmp_path: Path,
) -> None:
    assert offered_on_the_way(write(tmp_path, CASE)) == {
        "tip": ["everywhere", "listed", "early"],
        "money": ["everywhere", "parallel", "early"],
        "assets": ["everywhere", "parallel", "early", "mla"],
        "hearing": ["everywhere", "listed", "parallel", "mla"],
    }


def test_an_action_offered_in_one_scene_only_cannot_be_taken_elsewhere(tmp_path: Path) -> None:
    session = Session(write(tmp_path, CASE))
    assert session.check("police", "mla").code == "not_here"
    session.act("police", "to-money")
    session.act("police", "to-assets")
    session.act("police", "mla")
    assert "doc-mla" in session.state.unlocked


def test_the_explorer_reaches_a_scene_restricted_action_only_where_it_is_offered(
    tmp_path: Path,
) -> None:
    """The document only `mla` unlocks is reached; with `mla` offered only in a scene no
    play reaches, the explorer proves both unreachable."""
    (tmp_path / "reached").mkdir()
    report = explore_scenario(write(tmp_path / "reached", CASE))
    assert report.complete and "mla" in report.taken_actions
    assert "doc-mla" in report.unlocked_documents
    stranded = copy.deepcopy(CASE)
    stranded["scenes"].append(
        {
            "id": "nowhere",
            "phase": "court",
            "title": "Nowhere",
            "options": [{"id": "leave", "text": "Leave.", "goto": "end"}],
        }
    )
    stranded["actions"][-1]["scenes"] = ["nowhere"]
    (tmp_path / "stranded").mkdir()
    report = explore_scenario(write(tmp_path / "stranded", stranded))
    assert report.complete and "mla" not in report.offered()
    unreachable = report.proven_unreachable()
    assert "mla" in unreachable["actions"] and "doc-mla" in unreachable["documents"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"scenes": ["asets"]}, "unknown scene 'asets' (did you mean 'assets'?)"),
        (
            {"phases": {"from": "finanical"}},
            "unknown phase 'finanical' (did you mean 'financial'?)",
        ),
        (
            {"phases": {"from": "checks", "to": "cort"}},
            "unknown phase 'cort' (did you mean 'court'?)",
        ),
        (
            {"phases": {"from": "court", "to": "checks"}},
            "phase 'checks' comes before 'court' in 'phases': a range goes from an earlier "
            "phase to a later one",
        ),
        (
            {"phases": ["court"], "scenes": ["hearing"]},
            "give either 'scenes' or 'phases', not both: each scene belongs to one phase",
        ),
        (
            {"phases": {"from": "checks", "too": "court"}},
            "unknown key 'too' (did you mean 'to'?); allowed here: from, to",
        ),
        ({"phases": {"to": "court"}}, "missing required key 'from'"),
    ],
)
def test_where_a_global_action_is_offered_is_checked(
    tmp_path: Path, where: dict[str, Any], message: str
) -> None:
    document = copy.deepcopy(CASE)
    document["actions"][0].update(where)
    assert errors(tmp_path, document) == [message]


def test_scenes_and_phases_apply_to_global_actions_only(tmp_path: Path) -> None:
    document = copy.deepcopy(CASE)
    document["scenes"][0]["options"][0]["scenes"] = ["tip"]
    assert errors(tmp_path, document) == ["'scenes' applies to global actions only"]


def test_the_schema_knows_scenes_and_ranges_of_phases() -> None:
    schema = json_schema()
    action = schema["$defs"]["Action"]["properties"]
    assert "scenes" in action
    assert schema["$defs"]["PhaseRange"]["required"] == ["from"]
    assert set(schema["$defs"]["PhaseRange"]["properties"]) == {"from", "to"}


def test_the_documented_example_loads_and_offers_its_actions_where_it_says(
    tmp_path: Path,
) -> None:
    """docs: "Where a global action is offered" — its fragment as the case's global actions."""
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Where a global action is offered", 1)[1].split("\n#", 1)[0]
    (fragment,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    text = json.dumps({k: v for k, v in CASE.items() if k != "actions"}, indent=1)
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "global.yaml").write_text(fragment, encoding="utf-8")
    sc = load_scenario(tmp_path)
    assert {scene: list(sc.globals_in(scene)) for scene in sc.scenes} == {
        "tip": [],
        "money": ["trace-proceeds"],
        "assets": ["trace-proceeds", "supplementary-mla"],
        "hearing": ["trace-proceeds", "supplementary-mla"],
    }
    assert [d for d in check_scenario(sc) if d.severity == "error"] == []


def test_the_flow_graph_says_where_a_restricted_global_action_is_offered(tmp_path: Path) -> None:
    dot = to_dot(write(tmp_path, CASE))
    assert "in: Checks, Court" in dot  # listed phases
    assert "in: Financial … Court" in dot  # a range without 'to': up to the last phase
    assert "in: Checks … Financial" in dot
    assert "in: Assets, Hearing" in dot  # scenes


PHASES = ["checks", "financial", "court"]
SCENE_PHASE = {"tip": "checks", "money": "financial", "assets": "financial", "hearing": "court"}
SOME_ID = st.sampled_from([*PHASES, *SCENE_PHASE, "nowhere"])


@settings(max_examples=60, deadline=None)
@given(
    phases=st.none()
    | st.lists(SOME_ID, max_size=3)
    | st.fixed_dictionaries({"from": SOME_ID}, optional={"to": SOME_ID}),
    scenes=st.none() | st.lists(SOME_ID, max_size=3),
)
def test_any_phases_or_scenes_load_with_diagnostics_or_offer_as_defined(
    phases: Any, scenes: Any
) -> None:
    """Random `phases` and `scenes` (ids of the wrong kind or of nothing, ranges either way):
    refused with diagnostics, or offered exactly where the definition says, and validated
    without a crash."""
    document = copy.deepcopy(CASE)
    where = {k: v for k, v in (("phases", phases), ("scenes", scenes)) if v is not None}
    document["actions"] = [{"id": "g", "text": "G.", "once": False, **where}]
    with tempfile.TemporaryDirectory() as folder:
        try:
            sc = write(Path(folder), document)
        except ScenarioError as error:
            assert error.diagnostics
            return
        check_scenario(sc)

    def offered(scene: str) -> bool:
        phase = SCENE_PHASE[scene]
        if scenes is not None and scene not in scenes:
            return False
        if isinstance(phases, dict):
            last = PHASES.index(phases.get("to", "court"))
            return PHASES.index(phases["from"]) <= PHASES.index(phase) <= last
        return phases is None or phase in phases

    assert {s for s in SCENE_PHASE if sc.globals_in(s)} == {s for s in SCENE_PHASE if offered(s)}
