"""The order of effects (docs/scenario-format.md, "The order of effects"), as the engine
applies it, and the validator's `conflicting-write` warning where that order decides a
variable's value."""

from __future__ import annotations

import json
import re
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from caseroom.engine import Session, load_scenario
from caseroom.engine.diagnostics import Diagnostic
from caseroom.engine.scenario import Scenario
from caseroom.engine.scenario.writes import conflicting_writes
from caseroom.engine.validator import check_scenario
from tests.conftest import ROOT

BASE = """\
id: order
version: "1"
title: Effect order
start: office
phases:
  - {id: p, title: P}
roles:
  - {id: police, title: Police}
  - {id: prosecutor, title: Prosecutor}
authorities:
  - {id: judge, title: Judge}
variables:
  status: {type: enum, values: [open, asked, granted, charged], default: open}
  evidence: {type: int, min: 0, max: 9}
  seized: {type: set, values: [cash, phones]}
  mine: {type: int, min: 0, max: 9, scope: role}
injects:
  - id: leak
    title: Leak
    manual: true
    effects: {set: {status: asked}}  # leak-set
scenes:
  - id: office
    phase: p
    title: Office
    kind: menu
    actions:
ACTIONS
      - {id: wait-here, text: Wait., once: false}
  - id: court
    phase: p
    title: Court
    on_enter: {set: {status: charged}}  # court-set
    options:
      - {id: close, text: Close., goto: end}
endings:
  - {id: done, title: Done}
"""


def scenario(tmp_path: Path, actions: str) -> Scenario:
    text = BASE.replace("ACTIONS\n", textwrap.indent(textwrap.dedent(actions), " " * 6))
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    return load_scenario(tmp_path)


def line_of(sc: Scenario, marker: str) -> int:
    lines = (sc.root / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, line in enumerate(lines, 1) if f"# {marker}" in line]
    return found


def warnings(sc: Scenario) -> list[Diagnostic]:
    return sorted(conflicting_writes(sc), key=lambda d: d.location)


# ---- the order, as the engine applies it -------------------------------------------------


def test_within_one_block_set_comes_before_add(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: count
          text: Count.
          effects: {add: {evidence: 2}, set: {evidence: 5}}
        """,
    )
    session = Session(sc)
    session.act("police", "count")
    assert session.state.vars["evidence"] == 7  # set to 5, then 2 added, as written or not


def test_the_action_then_its_outcome_then_the_scene_it_enters(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: charge
          text: Charge.
          effects: {set: {status: asked}, add: {evidence: 1}}
          outcomes:
            - {effects: {set: {status: granted}}}
          goto: court
        - id: grant
          text: Grant.
          effects: {set: {status: asked}}
          outcomes:
            - {effects: {set: {status: granted}}}
        """,
    )
    granted = Session(sc)
    granted.act("police", "grant")
    assert granted.state.vars["status"] == "granted"  # the outcome after the action
    charged = Session(sc)
    charged.act("police", "charge")
    assert charged.state.vars["status"] == "charged"  # the scene's on_enter last


def test_an_outcome_is_chosen_before_the_action_s_effects_apply(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: count
          text: Count.
          effects: {add: {evidence: 3}}
          outcomes:
            - {when: evidence >= 3, effects: {set: {status: granted}}}
            - {effects: {set: {status: asked}}}
        """,
    )
    session = Session(sc)
    session.act("police", "count")
    assert session.state.vars == {"status": "asked", "evidence": 3, "seized": frozenset()}


def test_a_fired_inject_applies_before_whatever_follows_the_block_that_fires_it(
    tmp_path: Path,
) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: tip-off
          text: Tip off.
          effects: {set: {status: granted}, fire: [leak]}
        - id: tip-off-late
          text: Tip off later.
          effects: {fire: [leak]}
          outcomes:
            - {effects: {set: {status: granted}}}
        """,
    )
    first = Session(sc)
    first.act("police", "tip-off")
    assert first.state.vars["status"] == "asked"  # the inject after the block's own set
    second = Session(sc)
    second.act("police", "tip-off-late")
    assert second.state.vars["status"] == "granted"  # the outcome after the inject


def test_an_approval_applies_before_the_action_and_a_refusal_instead_of_it(
    tmp_path: Path,
) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: order
          text: Ask for an order.
          roles: [police]
          effects: {set: {status: granted}}
          approval:
            role: prosecutor
            approve: {effects: {set: {status: asked}, add: {evidence: 1}}}
            refuse: {effects: {add: {evidence: 2}}}
            then:
              - authority: judge
                delay: 1h
                answers:
                  - {decision: approve, effects: {add: {evidence: 4}}}
        """,
    )
    approved = Session(sc)
    approved.act("police", "order")
    approved.approve("order", "prosecutor")
    assert approved.state.vars["status"] == "asked"  # the action waits for the judge
    approved.wait()
    assert approved.state.vars["status"] == "granted" and approved.state.vars["evidence"] == 5
    refused = Session(sc)
    refused.act("police", "order")
    refused.refuse("order", "prosecutor", "no grounds")
    assert refused.state.vars["status"] == "open" and refused.state.vars["evidence"] == 2


def test_a_reply_applies_after_everything_its_request_did(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: ask-mk
          text: Ask Skopje.
          effects: {set: {status: asked}}
          request:
            to: judge
            delay: 2h
            replies:
              - {effects: {set: {status: granted}}}
        """,
    )
    session = Session(sc)
    session.act("police", "ask-mk")
    assert session.state.vars["status"] == "asked"
    session.wait()
    assert session.state.vars["status"] == "granted"


# ---- the warning ------------------------------------------------------------------------


def test_an_outcome_setting_another_value_than_its_action_is_a_conflicting_write(
    tmp_path: Path,
) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: charge
          text: Charge.
          effects: {set: {status: asked}}  # action-set
          outcomes:
            - when: evidence >= 2
              effects: {set: {status: granted}}  # outcome-set
            - effects: {set: {status: asked}}  # same value: no warning
        """,
    )
    (found,) = warnings(sc)
    assert found.code == "conflicting-write" and found.severity == "warning"
    assert found.location.line == line_of(sc, "outcome-set")
    assert found.message == (
        "conflicting writes: 'status' is set to 'granted' here, after action 'charge' set it "
        f"to 'asked' (scenario.yaml:{line_of(sc, 'action-set')}) in the same chain; the "
        "later write wins"
    )


def test_an_action_setting_another_value_than_its_approval_is_reported_at_the_action(
    tmp_path: Path,
) -> None:
    """The action takes effect after its approval: its own write is the later one."""
    sc = scenario(
        tmp_path,
        """\
        - id: order
          text: Ask for an order.
          roles: [police]
          effects: {set: {status: granted}}  # action-set
          approval:
            role: prosecutor
            approve: {effects: {set: {status: asked}}}  # approve-set
            refuse: {effects: {set: {status: charged}}}
        """,
    )
    (found,) = warnings(sc)
    assert found.location.line == line_of(sc, "action-set")
    assert "after the approval of 'order' set it to 'asked'" in found.message
    assert f"(scenario.yaml:{line_of(sc, 'approve-set')})" in found.message


def test_an_authority_s_refusal_conflicts_with_the_approval_before_it(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: order
          text: Ask for an order.
          roles: [police]
          effects: {set: {status: charged}}
          approval:
            role: prosecutor
            approve: {effects: {set: {status: granted}}}
            then:
              - authority: judge
                answers:
                  - when: evidence >= 2
                    decision: approve
                    effects: {set: {status: granted}}
                  - decision: refuse
                    effects: {set: {status: asked}}  # judge-refuses
        """,
    )
    lines = [
        (d.location.line, d.message.split(", after ")[1].split(" set it")[0]) for d in warnings(sc)
    ]
    assert (line_of(sc, "judge-refuses"), "the approval of 'order'") in lines
    # The action's own set after the approvals: one warning each.
    assert len(lines) == 3


def test_a_reply_and_a_fired_inject_conflict_with_what_set_them_off(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: ask-mk
          text: Ask Skopje.
          effects: {set: {status: granted}}
          request:
            to: judge
            delay: 2h
            replies:
              - {effects: {set: {status: charged}}}  # reply-set
        - id: tip-off
          text: Tip off.
          effects: {set: {status: granted}, fire: [leak]}
        """,
    )
    found = {
        (d.location.line, d.message.split(", after ")[1].split(" set it")[0]) for d in warnings(sc)
    }
    assert found == {
        (line_of(sc, "reply-set"), "action 'ask-mk'"),
        (line_of(sc, "leak-set"), "action 'tip-off'"),
    }


def test_the_scene_a_goto_enters_conflicts_with_the_action(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: charge
          text: Charge.
          effects: {set: {status: granted}}
          goto: court
        """,
    )
    (found,) = warnings(sc)
    assert found.location.line == line_of(sc, "court-set")
    assert "after action 'charge' set it to 'granted'" in found.message


def test_set_and_add_of_one_variable_in_one_chain_are_reported_either_way(
    tmp_path: Path,
) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: count
          text: Count.
          effects: {add: {evidence: 1}}
          outcomes:
            - {effects: {set: {evidence: 4}}}  # set-after-add
        - id: recount
          text: Recount.
          effects: {set: {evidence: 4}, include: {seized: cash}}
          outcomes:
            - {effects: {add: {evidence: 1}, set: {seized: [phones]}}}  # add-after-set
        - id: both
          text: Both at once.
          effects: {set: {evidence: 1}, add: {evidence: 1}}  # one-block
        """,
    )
    found = {(d.location.line, d.message) for d in warnings(sc)}
    assert (
        line_of(sc, "set-after-add"),
        "conflicting writes: 'evidence' is set here, after action 'count' changed it with "
        "'add' (scenario.yaml:"
        f"{line_of(sc, 'set-after-add') - 2}) in the same chain; the set undoes that change",
    ) in found
    assert any(
        line == line_of(sc, "add-after-set") and message.startswith("conflicting writes: 'add'")
        for line, message in found
    )
    assert any(
        line == line_of(sc, "add-after-set") and "'seized' is set here" in message
        for line, message in found
    )
    assert (
        line_of(sc, "one-block"),
        "conflicting writes: 'evidence' is both set and changed with 'add' in action 'both': "
        "'set' applies first, then 'add'",
    ) in found
    assert len(found) == 4


def test_writes_that_never_apply_together_are_not_reported(tmp_path: Path) -> None:
    """Two outcomes, approval and refusal, a refusal and the action it stops, two replies,
    the same value twice, and the acting role's own copy against the approving role's."""
    sc = scenario(
        tmp_path,
        """\
        - id: charge
          text: Charge.
          outcomes:
            - {when: evidence >= 2, effects: {set: {status: asked}, add: {evidence: 1}}}
            - {effects: {set: {status: charged, evidence: 2}}}
        - id: order
          text: Ask for an order.
          roles: [police]
          effects: {add: {evidence: 1}, set: {mine: 1}}
          approval:
            role: prosecutor
            approve: {effects: {set: {status: granted, mine: 3}}}
            refuse: {effects: {set: {status: open, evidence: 0}}}
        - id: ask-mk
          text: Ask Skopje.
          request:
            to: judge
            delay: 2h
            replies:
              - {when: evidence >= 2, effects: {set: {status: granted}}}
              - {effects: {set: {status: asked}}}
        - id: same
          text: Same.
          effects: {set: {status: asked, seized: [cash, phones]}}
          outcomes:
            - {effects: {set: {status: asked, seized: [phones, cash]}}}
        """,
    )
    assert warnings(sc) == []


def test_the_validator_reports_it_and_the_shipped_cases_have_none(tmp_path: Path) -> None:
    sc = scenario(
        tmp_path,
        """\
        - id: charge
          text: Charge.
          effects: {set: {status: granted}}
          goto: court
        """,
    )
    assert [d.code for d in check_scenario(sc) if d.code == "conflicting-write"] == [
        "conflicting-write"
    ]
    for name in ("night-crossing", "quiet-rooms", "vardar-corridor"):
        assert conflicting_writes(load_scenario(ROOT / "scenarios" / name)) == [], name


def test_the_documented_example_plays_in_the_documented_order(tmp_path: Path) -> None:
    """docs: "The order of effects" — its fragment as the action of a scene."""
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("## The order of effects", 1)[1].split("\n## ", 1)[0]
    (fragment,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (documented,) = re.findall(r"```\n(scenario\.yaml.*?)\n```", section, flags=re.S)
    text = f"""\
id: search
version: "1"
title: Search
start: office
phases: [{{id: p, title: P}}]
roles: [{{id: police-rs, title: Police}}, {{id: prosecutor-rs, title: Prosecutor}}]
variables:
  search: {{type: enum, values: [none, approved, ordered, done]}}
scenes:
  - id: office
    phase: p
    title: Office
    kind: menu
    actions:
{textwrap.indent(fragment, " " * 6)}
  - id: raid
    phase: p
    title: Raid
    options: [{{id: close, text: Close., goto: end}}]
endings: [{{id: over, title: Over}}]
"""
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    sc = load_scenario(tmp_path)
    session = Session(sc)
    session.act("police-rs", "ask-search")
    session.approve("ask-search", "prosecutor-rs")
    assert session.state.vars["search"] == "ordered" and session.state.scene == "raid"
    (found,) = warnings(sc)
    assert re.sub(r":\d+", ":N", str(found)) == re.sub(r":\d+", ":N", documented)
    done = text.replace(
        "    title: Raid\n", "    title: Raid\n    on_enter: {set: {search: done}}\n"
    )
    (tmp_path / "scenario.yaml").write_text(done, encoding="utf-8")
    session = Session(load_scenario(tmp_path))
    session.act("police-rs", "ask-search")
    session.approve("ask-search", "prosecutor-rs")
    assert session.state.vars["search"] == "done"


VALUE = st.sampled_from([None, "a", "b"])  # None: the block does not set 'v'


@settings(max_examples=80, deadline=None)
@given(
    approve=VALUE,
    action=VALUE,
    fired=VALUE,
    outcome=VALUE,
    entered=VALUE,
)
def test_a_warning_exactly_when_writes_of_one_play_disagree_and_the_documented_last_wins(
    approve: str | None,
    action: str | None,
    fired: str | None,
    outcome: str | None,
    entered: str | None,
) -> None:
    """Every block of this chain applies in one play, in the documented order: approval,
    action, the inject it fires, its outcome, the scene its goto enters."""

    def sets(value: str | None) -> dict[str, Any]:
        return {"effects": {"set": {"v": value}}} if value else {}

    document: dict[str, Any] = {
        "id": "prop",
        "version": "1",
        "title": "Property",
        "start": "office",
        "phases": [{"id": "p", "title": "P"}],
        "roles": [{"id": "police", "title": "Police"}, {"id": "prosecutor", "title": "Pros"}],
        "variables": {"v": {"type": "enum", "values": ["none", "a", "b"]}},
        "injects": [{"id": "leak", "title": "Leak", "manual": True, **sets(fired)}],
        "scenes": [
            {
                "id": "office",
                "phase": "p",
                "title": "Office",
                "kind": "menu",
                "actions": [
                    {
                        "id": "act",
                        "text": "Act.",
                        "roles": ["police"],
                        "effects": {"fire": ["leak"], **sets(action).get("effects", {})},
                        "approval": {"role": "prosecutor", "approve": sets(approve)},
                        "outcomes": [sets(outcome)],
                        "goto": "next",
                    }
                ],
            },
            {
                "id": "next",
                "phase": "p",
                "title": "Next",
                **({"on_enter": sets(entered)["effects"]} if entered else {}),
                "options": [{"id": "close", "text": "Close.", "goto": "end"}],
            },
        ],
        "endings": [{"id": "done", "title": "Done"}],
    }
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "scenario.yaml").write_text(json.dumps(document), encoding="utf-8")
        sc = load_scenario(folder)
        warned = [d for d in conflicting_writes(sc) if "'v'" in d.message]
    session = Session(sc)
    session.act("police", "act")
    session.approve("act", "prosecutor")
    written = [v for v in (approve, action, fired, outcome, entered) if v is not None]
    assert bool(warned) == (len(set(written)) > 1)
    assert session.state.vars["v"] == (written[-1] if written else "none")
