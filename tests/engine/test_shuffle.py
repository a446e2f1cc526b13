"""Answer items in an order of each team's own: a pure function of seed and action, on by
default for multi and order inputs, off where the author writes `shuffle: false`."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from caseroom.engine import load_scenario
from caseroom.engine.model import Action, Input, InputItem, json_schema
from caseroom.engine.shuffle import item_order, shown_items
from tests.conftest import ROOT

from .test_loader import BASE, write

IDS = [f"item-{n}" for n in range(8)]


def action(kind: str = "order", **more: object) -> Action:
    items = [InputItem(id=i, text=i.upper()) for i in IDS]
    spec = Input(type=kind, items=items, correct=IDS if kind == "order" else IDS[:2], **more)
    return Action(id="rank", text="Rank", input=spec)


def test_the_order_is_the_same_for_a_team_every_time_and_differs_between_teams() -> None:
    first = shown_items(action(), "team-1")
    assert first == shown_items(action(), "team-1")
    orders = {tuple(i.id for i in shown_items(action(), f"team-{n}")) for n in range(20)}
    assert len(orders) > 15  # 8 items: 40,320 orders, so twenty teams nearly never repeat one


def test_the_order_does_not_depend_on_how_the_items_were_listed_or_on_python() -> None:
    # A SHA-256 of seed, action and item places each item: fixed across Python versions.
    assert item_order(["a", "b", "c", "d"], "team-7", "rank") == item_order(
        ["d", "c", "b", "a"], "team-7", "rank"
    )
    assert item_order(["a", "b", "c", "d"], "team-7", "rank") == ("b", "d", "a", "c")


def test_each_input_of_a_team_has_its_own_order() -> None:
    orders = {item_order(IDS, "team-1", f"action-{n}") for n in range(10)}
    assert len(orders) > 5


def test_shuffle_false_a_numeric_input_or_no_seed_keep_the_written_order() -> None:
    assert [i.id for i in shown_items(action(shuffle=False), "team-1")] == IDS
    assert [i.id for i in shown_items(action(), None)] == IDS
    numeric = Action(
        id="n", text="N", input=Input(type="numeric", answer=1, tolerance=0, shuffle=True)
    )
    assert shown_items(numeric, "team-1") == ()
    assert shown_items(Action(id="x", text="X"), "team-1") == ()


def test_multi_inputs_are_shuffled_by_default_too() -> None:
    orders = {tuple(i.id for i in shown_items(action("multi"), f"team-{n}")) for n in range(5)}
    assert len(orders) > 1


def test_the_json_schema_offers_shuffle_on_by_default() -> None:
    field = json_schema()["$defs"]["Input"]["properties"]["shuffle"]
    assert field["type"] == "boolean" and field["default"] is True


def test_shuffle_on_an_input_without_items_is_a_warning_at_its_line(tmp_path: Path) -> None:
    scenes = """\
    scenes:
      - id: first
        phase: only
        title: First
        options:
          - id: estimate
            text: Estimate
            input: {type: numeric, answer: 3, tolerance: 1, shuffle: false}
            goto: end
    endings:
      - {id: done, title: Done}
    """
    scenario = load_scenario(write(tmp_path, {"scenario.yaml": BASE, "scenes.yaml": scenes}))
    assert [str(w) for w in scenario.warnings if w.code == "input"] == [
        "scenes.yaml:8:57: warning: 'shuffle' applies to multi and order inputs; a numeric "
        "input has no items to shuffle"
    ]


def test_the_documented_example_keeps_its_scale_and_shuffles_its_choices(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = doc.split("### Shuffled answer items", 1)[1].split("\n### ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    (tmp_path / "scenario.yaml").write_text(example, encoding="utf-8")
    scenario = load_scenario(tmp_path)
    scale = shown_items(scenario.actions["rate-risk"], "team-1")
    assert [i.id for i in scale] == ["low", "medium", "high"]
    seen = {
        tuple(i.id for i in shown_items(scenario.actions["list-indicators"], f"t{n}"))
        for n in range(12)
    }
    assert len(seen) > 1


@given(
    st.lists(st.text(min_size=1, max_size=12), max_size=30, unique=True),
    st.text(max_size=40),
    st.text(max_size=40),
)
def test_any_items_and_seed_give_a_permutation_of_the_items(
    items: list[str], seed: str, action_id: str
) -> None:
    order = item_order(items, seed, action_id)
    assert sorted(order) == sorted(items)
    assert order == item_order(list(reversed(items)), seed, action_id)
