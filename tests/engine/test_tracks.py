"""Per-role tracks: roles of one team in different scenes at once, joined again later
(docs/scenario-format.md, "Tracks: roles in two places at once")."""

from __future__ import annotations

import copy
import json
import random
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from caseroom.engine import ScenarioError, Session, explore_scenario, load_scenario
from caseroom.engine.graph import to_mermaid
from caseroom.engine.model import json_schema
from caseroom.engine.scenario import Scenario
from caseroom.engine.validator import check_scenario, play_expert_path
from tests.engine.test_explorer_soundness import check_against_naive, naive, scenarios
from tests.engine.test_explorer_soundness import write as write_random

ROOT = Path(__file__).resolve().parents[2]
POLICE, WORKER = "police", "protection"


def _documented() -> str:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Tracks: roles in two places at once", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    return str(example)


@pytest.fixture
def example(tmp_path: Path) -> Scenario:
    (tmp_path / "scenario.yaml").write_text(_documented(), encoding="utf-8")
    return load_scenario(tmp_path)


def write(folder: Path, document: dict[str, Any]) -> Scenario:
    (folder / "scenario.yaml").write_text(json.dumps(document, indent=1), encoding="utf-8")
    return load_scenario(folder)


# A case built for the rules the example does not show: a track with scenes of its own,
# requests answered on a track, on_enter that splits, and an inject that ends the case.
CASE: dict[str, Any] = {
    "id": "tracks",
    "version": "1",
    "title": "Tracks",
    "start": "border",
    "phases": [{"id": "p1", "title": "One"}, {"id": "p2", "title": "Two"}],
    "roles": [
        {"id": "police", "title": "Police"},
        {"id": "protection", "title": "Protection worker"},
        {"id": "prosecutor", "title": "Prosecutor"},
    ],
    "authorities": [{"id": "centre", "title": "Social work centre"}],
    "variables": {"calm": {"type": "bool"}},
    "scenes": [
        {
            "id": "border",
            "phase": "p1",
            "title": "Border",
            "options": [
                {
                    "id": "send",
                    "text": "Send the worker.",
                    "roles": ["police"],
                    "effects": {"split": [{"roles": ["protection"], "to": "shelter"}]},
                    "goto": "lorry",
                }
            ],
        },
        {
            "id": "lorry",
            "phase": "p2",
            "title": "Lorry",
            "kind": "menu",
            "actions": [
                {"id": "search", "text": "Search.", "roles": ["police"]},
                {"id": "wrap-up", "text": "Wrap up.", "goto": "end"},
            ],
        },
        {
            "id": "shelter",
            "phase": "p1",
            "title": "Shelter",
            "on_enter": {"split": [{"roles": ["prosecutor"], "to": "lorry"}]},
            "options": [
                {
                    "id": "ask-centre",
                    "text": "Ask the centre for a guardian.",
                    "request": {
                        "to": "centre",
                        "delay": "2h",
                        "replies": [{"message": "A guardian comes.", "goto": "room"}],
                    },
                },
                {"id": "to-room", "text": "Go to the quiet room.", "goto": "room"},
            ],
        },
        {
            "id": "room",
            "phase": "p1",
            "title": "Quiet room",
            "options": [
                {
                    "id": "rest",
                    "text": "Let him rest.",
                    "effects": {"set": {"calm": True}, "join": ["protection"]},
                    "goto": "border",
                }
            ],
        },
    ],
    "endings": [
        {"id": "good", "title": "Good", "when": "calm", "outcome": "success"},
        {"id": "poor", "title": "Poor"},
    ],
}


def test_the_documented_example_plays_its_expert_path_and_validates_clean(
    example: Scenario,
) -> None:
    session, problems = play_expert_path(example)
    assert problems == []
    assert session.state.ending == "trusted"
    assert check_scenario(example) == []
    report = explore_scenario(example)
    assert report.complete and report.reached_endings == {"trusted", "silent"}


def test_a_split_role_sees_and_acts_in_its_own_scene_while_the_others_go_on(
    example: Scenario,
) -> None:
    session = Session(example)
    session.act(POLICE, "take-to-shelter")
    assert session.state.scene == "lorry"
    assert session.scene_for(WORKER) == "shelter" and session.scene_for(POLICE) == "lorry"
    assert [o.action for o in session.options(WORKER)] == ["let-him-rest", "question-now"]
    assert [o.action for o in session.options(POLICE)] == ["search-cab", "to-station"]
    assert session.check(POLICE, "let-him-rest").code == "not_here"
    assert session.check(WORKER, "search-cab").code == "not_here"
    assert session.locations() == [("lorry", (POLICE,)), ("shelter", (WORKER,))]


def test_at_asks_where_the_team_is_and_a_join_brings_the_role_back(example: Scenario) -> None:
    session = Session(example)
    session.act(POLICE, "take-to-shelter")
    locked = session.check(POLICE, "to-station")
    assert (locked.enabled, locked.reason) == (
        False,
        "The protection worker is still at the shelter.",
    )
    session.act(WORKER, "let-him-rest")
    assert session.state.tracks == {} and session.scene_for(WORKER) == "lorry"
    assert session.state.clock == 180  # one clock for the whole team
    assert session.check(POLICE, "to-station").enabled


def test_a_goto_on_a_track_moves_that_track_only_and_its_reply_follows_it(
    tmp_path: Path,
) -> None:
    session = Session(write(tmp_path, CASE))
    session.act(POLICE, "send")
    # The shelter's on_enter splits the prosecutor to the lorry (on entering a track,
    # a split does not apply: the prosecutor stays with the team).
    assert session.state.tracks == {WORKER: "shelter"}
    session.act(WORKER, "ask-centre")
    session.wait()
    assert session.state.clock == 120
    assert (session.state.scene, session.state.tracks) == ("lorry", {WORKER: "room"})
    assert session.state.phase == "p2"  # phase(): the team's scene's
    # The join comes first, so the same action's goto has no track left to move.
    session.act(WORKER, "rest")
    assert (session.state.scene, session.state.tracks) == ("lorry", {})
    assert "border" in session.state.visited and session.state.visited["room"] == 120


def test_an_ending_ends_every_track(tmp_path: Path) -> None:
    session = Session(write(tmp_path, CASE))
    session.act(POLICE, "send")
    session.act(POLICE, "wrap-up")
    assert (session.state.ending, session.state.tracks) == ("poor", {})
    assert session.options(WORKER) == [] and session.scene_for(WORKER) is None


def test_an_ending_reached_on_a_track_ends_the_case(tmp_path: Path) -> None:
    document = copy.deepcopy(CASE)
    document["scenes"][2]["options"][1]["goto"] = "end"
    session = Session(write(tmp_path, document))
    session.act(POLICE, "send")
    session.act(WORKER, "to-room")
    assert session.state.ending == "poor" and session.state.tracks == {}


def test_the_facilitators_jump_brings_every_track_back(tmp_path: Path) -> None:
    session = Session(write(tmp_path, CASE))
    session.act(POLICE, "send")
    session.jump("room")
    assert (session.state.scene, session.state.tracks) == ("room", {})
    assert session.scene_for(WORKER) == "room"


def test_a_log_with_tracks_replays_to_the_same_state(tmp_path: Path) -> None:
    scenario = write(tmp_path, CASE)
    session = Session(scenario)
    session.act(POLICE, "send")
    session.act(WORKER, "ask-centre")
    session.act(POLICE, "search")
    again = Session.replay(scenario, [e.to_dict() for e in session.events])
    assert again.state.key() == session.state.key()
    assert again.state.to_dict()["tracks"] == {WORKER: "shelter"}


def test_a_case_without_tracks_keeps_its_picture_of_the_state(example: Scenario) -> None:
    assert "tracks" not in Session(example).state.to_dict()


def test_the_roles_and_scenes_of_split_and_join_are_checked(tmp_path: Path) -> None:
    document = copy.deepcopy(CASE)
    document["scenes"][0]["options"][0]["effects"] = {
        "split": [{"roles": ["protection-worker"], "to": "shelterr"}],
        "join": ["polise"],
    }
    with pytest.raises(ScenarioError) as caught:
        write(tmp_path, document)
    found = [(str(d.location).split(":")[1], d.message) for d in caught.value.diagnostics]
    assert [m for _line, m in found] == [
        "unknown role 'protection-worker' (did you mean 'protection'?)",
        "unknown scene 'shelterr' (did you mean 'shelter'?)",
        "unknown role 'polise' (did you mean 'police'?)",
    ]
    assert all(line.isdigit() and int(line) > 1 for line, _m in found)


def test_a_track_that_can_never_join_is_a_warning_at_its_split(tmp_path: Path) -> None:
    document = copy.deepcopy(CASE)
    document["scenes"][3]["options"][0] = {"id": "rest", "text": "Rest.", "effects": {}}
    scenario = write(tmp_path, document)
    (warning,) = [d for d in check_scenario(scenario) if d.code == "track-never-joins"]
    assert warning.message == (
        "the track of protection to 'shelter' can never join: no 'join' can bring it back "
        "while on the track, and no ending can be reached from its scenes"
    )
    assert warning.location == scenario.source.locate(
        ("scenes", 0, "options", 0, "effects", "split", 0)
    )


def test_a_track_that_can_reach_an_ending_or_a_join_is_no_warning(tmp_path: Path) -> None:
    document = copy.deepcopy(CASE)
    document["scenes"][3]["options"][0] = {"id": "rest", "text": "Rest.", "goto": "end"}
    assert not [
        d for d in check_scenario(write(tmp_path, document)) if d.code == "track-never-joins"
    ]
    assert not [d for d in check_scenario(write(tmp_path, CASE)) if d.code == "track-never-joins"]


def test_a_join_only_where_neither_the_track_nor_the_team_can_be_is_still_a_warning(
    tmp_path: Path,
) -> None:
    document = copy.deepcopy(CASE)
    document["scenes"][3]["options"][0] = {"id": "rest", "text": "Rest.", "effects": {}}
    archive = {"id": "call-back", "text": "Call her back.", "effects": {"join": ["protection"]}}
    document["scenes"].append(
        {"id": "archive", "phase": "p2", "title": "Archive", "options": [archive]}
    )
    codes = [d.code for d in check_scenario(write(tmp_path, document))]
    assert "track-never-joins" in codes  # a join exists, but nowhere play can apply it
    # The same join in the scene the team goes to while she is away brings her back.
    document["scenes"].pop()
    document["scenes"][1]["actions"].append(archive)
    codes = [d.code for d in check_scenario(write(tmp_path, document))]
    assert "track-never-joins" not in codes


def test_a_scene_reached_only_after_the_role_joined_is_not_on_its_track(tmp_path: Path) -> None:
    document = copy.deepcopy(CASE)
    del document["scenes"][2]["on_enter"]
    again = {"roles": ["protection"], "to": "shelter"}
    document["scenes"][3]["options"][0]["goto"] = "debrief"
    document["scenes"].append(
        {
            "id": "debrief",
            "phase": "p2",
            "title": "Debrief",
            "on_enter": {"set": {"calm": False}},
            "options": [
                {"id": "again", "text": "Again.", "effects": {"split": [again]}, "goto": "lorry"}
            ],
        }
    )
    # `rest` joins the worker, so its goto moves nobody: 'debrief' is the team's, not hers.
    assert not [d for d in check_scenario(write(tmp_path, document)) if d.code == "split-again"]
    del document["scenes"][3]["options"][0]["effects"]["join"]
    (warning,) = [d for d in check_scenario(write(tmp_path, document)) if d.code == "split-again"]
    assert warning.message.startswith("splits protection again, already on the track to")


def test_a_split_in_a_scene_of_the_track_is_a_warning(tmp_path: Path) -> None:
    scenario = write(tmp_path, CASE)
    split = scenario.source.locate(("scenes", 0, "options", 0, "effects", "split", 0))
    (warning,) = [d for d in check_scenario(scenario) if d.code == "split-again"]
    assert warning.message == (
        "a track ignores the split of an on_enter, and this scene is on the track to "
        f"'shelter' (split at {split.file}:{split.line})"
    )
    assert warning.location == scenario.source.locate(("scenes", 2, "on_enter", "split"))
    document = copy.deepcopy(CASE)
    del document["scenes"][2]["on_enter"]
    document["scenes"][3]["options"][0]["effects"] = {
        "split": [{"roles": ["protection", "prosecutor"], "to": "shelter"}]
    }
    scenario = write(tmp_path, document)
    room = scenario.source.locate(("scenes", 3, "options", 0, "effects", "split"))
    (warning,) = [
        d for d in check_scenario(scenario) if d.code == "split-again" and d.location == room
    ]
    assert warning.message.startswith("splits protection again, already on the track to")


def test_the_schema_knows_split_and_join() -> None:
    schema = json_schema()
    assert set(schema["$defs"]["Split"]["required"]) == {"roles", "to"}
    assert {"split", "join"} <= set(schema["$defs"]["Effects"]["properties"])


def test_the_explorer_reaches_every_scene_of_a_track_and_matches_the_naive_search(
    tmp_path: Path,
) -> None:
    scenario = write(tmp_path, CASE)
    ref = naive(scenario)
    assert ref.complete and "room" in ref.scenes
    for exhaustive in (False, True):
        report = explore_scenario(scenario, every_state=exhaustive)
        assert report.complete
        check_against_naive(scenario, report, ref)


RANDOM = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@RANDOM
@given(document=scenarios())
def test_random_cases_with_tracks_never_crash_the_validator_explorer_or_engine(
    document: dict[str, Any],
) -> None:
    """The soundness generator writes splits and joins; whatever it writes validates,
    explores and plays (random legal moves) without a crash, and replays exactly."""
    with tempfile.TemporaryDirectory() as folder:
        scenario = write_random(Path(folder), document)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_scenario(scenario, max_moves=20_000)
        explore_scenario(scenario, max_moves=20_000)
        session = Session(scenario)
        chooser = random.Random(len(json.dumps(document)))
        for _ in range(40):
            events = session.legal_events(facilitator=True)
            if not events:
                break
            session.apply(chooser.choice(events))
            for role in scenario.roles:
                scene = session.scene_for(role)
                assert all(o.action for o in session.options(role))
                assert scene is None or scene in scenario.scenes
        again = Session.replay(scenario, [e.to_dict() for e in session.events])
        assert again.state.key() == session.state.key()


def test_a_typo_in_a_split_says_the_key_meant(tmp_path: Path) -> None:
    text = _documented().replace(
        "{roles: [protection], to: shelter}", "{roles: [protection], too: shelter}"
    )
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path)
    assert [d.message for d in caught.value.diagnostics] == [
        "missing required key 'to'",
        "unknown key 'too' (did you mean 'to'?); allowed here: roles, to",
    ]


def test_the_flow_graph_draws_where_a_track_starts(example: Scenario) -> None:
    edges = [line.strip() for line in to_mermaid(example).splitlines() if "track:" in line]
    assert len(edges) == 1
    assert edges[0].startswith("scene_border -->") and edges[0].endswith("scene_shelter")
    assert "track: Protection worker" in edges[0]


def test_vardar_corridor_sends_the_protection_worker_to_the_warm_room_and_back() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "vardar-corridor")
    session = Session(scenario)
    session.act("police-rs", "screen-and-separate")
    assert session.state.scene == "planning-meeting"
    assert session.scene_for("protection-worker-rs") == "first-contact"
    session.act("protection-worker-rs", "first-contact-safety")
    assert session.state.tracks == {} and session.state.vars["victim_trust"] == 1


def test_a_step_taken_on_a_track_is_recorded_in_the_tracks_scene(example: Scenario) -> None:
    session = Session(example)
    session.act(POLICE, "take-to-shelter")
    session.act(POLICE, "search-cab")
    session.act(WORKER, "let-him-rest")
    assert [(s.ref, s.scene) for s in session.trajectory()] == [
        ("take-to-shelter", "border"),
        ("search-cab", "lorry"),
        ("let-him-rest", "shelter"),
    ]
