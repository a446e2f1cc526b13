"""Large but legal scenarios: within the limits, loading and validating stay a matter of seconds.

Each case was quadratic (or worse) somewhere before: searching for cycles from every scene,
listing every id for each unknown reference, a set of relevant actions per scene.
"""

from __future__ import annotations

import random
import shutil
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from caseroom.engine import Scenario, ScenarioError, load_scenario
from caseroom.engine.explorer import _reenterable, _Relevance
from tests.engine.test_hostile import HOSTILE


def folder_with(tmp_path: Path, files: dict[str, str], scenario: str | None = None) -> Path:
    folder = tmp_path / "big"
    shutil.copytree(HOSTILE / "_base", folder)
    if scenario is not None:
        (folder / "scenario.yaml").write_text(scenario, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def chain(tmp_path: Path, scenes: int, *, back: bool = False) -> Scenario:
    """Scenes s0 → s1 → … → the end, in files of 1,000 scenes; `back` adds a global action
    that returns to s0, so that every scene can be entered again."""
    base = (HOSTILE / "_base" / "scenario.yaml").read_text(encoding="utf-8")
    lines = [
        f"  - {{id: s{i}, phase: only, title: S{i}, options: [{{id: go{i}, text: Go, "
        f"goto: {f's{i + 1}' if i < scenes - 1 else 'end'}}}]}}\n"
        for i in range(scenes)
    ]
    files = {
        f"scenes-{k}.yaml": "scenes:\n" + "".join(lines[k * 1000 : (k + 1) * 1000])
        for k in range((scenes + 999) // 1000)
    }
    files["scenes.yaml"] = "endings:\n  - {id: done, title: Done}\n"
    if back:
        files["scenes.yaml"] += "actions:\n  - {id: back, text: Back, goto: s0, once: false}\n"
    folder = folder_with(tmp_path, files, base.replace("start: first", "start: s0"))
    return load_scenario(folder)


@pytest.fixture(scope="module")
def long_chain(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return chain(tmp_path_factory.mktemp("chain"), 3000, back=True)


def test_cycles_among_three_thousand_scenes_are_found_at_once(long_chain: Scenario) -> None:
    scenario = long_chain
    started = time.thread_time()
    reentered = _reenterable(scenario)
    assert time.thread_time() - started < 1  # was 14 s: a search from every scene
    assert reentered == set(scenario.scenes)


def test_the_relevance_of_actions_is_not_kept_per_scene(long_chain: Scenario) -> None:
    tracemalloc.start()
    try:
        _Relevance(long_chain)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # was 460 MB: every action of the chain for each scene


def _brute_force(scenario: Any) -> set[str]:
    """The definition: a scene that some path of gotos leads back to, or an inject's goto."""
    edges: dict[str, set[str]] = {s: set() for s in scenario.scenes}
    for action_id, action in scenario.actions.items():
        home = scenario.action_scene[action_id]
        if action.goto in scenario.scenes:
            for source in [home] if home is not None else list(scenario.scenes):
                edges[source].add(action.goto)
    found = {i.goto for i in scenario.injects.values() if i.goto}
    for start in scenario.scenes:
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node == start:
                found.add(start)
                break
            if node not in seen:
                seen.add(node)
                stack.extend(edges[node])
    return found


def test_re_entered_scenes_are_those_on_a_cycle() -> None:
    for seed in range(300):
        _check_random_graph(seed)


def _check_random_graph(seed: int) -> None:
    rng = random.Random(seed)
    scenes = {f"s{i}": None for i in range(rng.randint(1, 10))}
    homes = [*scenes, *[None] * (seed % 3)]
    actions: dict[str, Any] = {}
    action_scene: dict[str, str | None] = {}
    for index in range(rng.randint(0, 15)):
        goto = rng.choice([*scenes, None, "end"])
        actions[f"a{index}"] = SimpleNamespace(goto=goto, outcomes=[], approval=None, request=None)
        action_scene[f"a{index}"] = rng.choice(homes)
    injects = {
        f"i{k}": SimpleNamespace(goto=rng.choice([*scenes, None])) for k in range(rng.randint(0, 2))
    }
    scenario = SimpleNamespace(
        scenes=scenes, actions=actions, action_scene=action_scene, injects=injects
    )
    assert _reenterable(scenario) == _brute_force(scenario), seed  # type: ignore[arg-type]


def test_thousands_of_unknown_references_are_reported_quickly(tmp_path: Path) -> None:
    actions = "actions:\n" + "".join(
        f"  - {{id: act-{i}, text: A, goto: scene-{i}}}\n" for i in range(4000)
    )
    folder = folder_with(tmp_path, {"actions.yaml": actions})
    started = time.thread_time()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert time.thread_time() - started < 2.5  # was 2.6 s listing every id for each reference
    found = [str(d) for d in caught.value.diagnostics]
    assert len(found) == 4000
    assert found[0] == "actions.yaml:2:26: unknown scene 'scene-0'"


def test_more_injects_than_the_limit_are_refused(tmp_path: Path) -> None:
    injects = "injects:\n" + "".join(f"  - {{id: i{i}, title: I, at: 0}}\n" for i in range(501))
    folder = folder_with(tmp_path, {"injects.yaml": injects})
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert [str(d) for d in caught.value.diagnostics] == [
        "injects.yaml:1:1: 'injects' has too many items: at most 500"
    ]
