"""Engine speed on the demo case, each figure next to a baseline measured in the same run.

Prints one line per figure, then one JSON object with all of them as the last line.
Targets (issue 2): ≥ 20,000 actions/s, replay of a 200-event log < 10 ms, explore < 5 s.

    python benchmarks/engine.py [SCENARIO]
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from caseroom.engine import Event, Session, explore_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]


def random_log(session: Session, rng: random.Random, length: int, linger: bool) -> list[Event]:
    """A legal log of up to `length` events.

    With `linger`, play stays in each scene as long as it can (asking again after a
    refusal, waiting, repeatable actions), as a slow team in a long exercise does, so that
    the log grows long before an ending.
    """
    for _ in range(length):
        options = session.legal_events()
        if not options:
            break
        rng.shuffle(options)
        chosen = options[0]
        if linger:

            def rank(event: Event) -> tuple[bool, bool, bool]:
                probe = session.state.copy(history=False)
                session.transition(probe, event, len(session.events), record=False)
                # A prosecutor who keeps refusing, and police who keep asking again.
                loops = event.type == "refuse" or (
                    event.type == "act"
                    and session.scenario.actions[event.ref or ""].approval is not None
                )
                return (probe.ended, probe.scene != session.state.scene, not loops)

            chosen = min(options, key=rank)
        session.apply(chosen)
    return session.events


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def dict_updates_per_second(n: int = 1_000_000) -> float:
    data: dict[str, int] = {}
    started = time.perf_counter()
    for i in range(n):
        data["k"] = i
    return per_second(n, time.perf_counter() - started)


def main(path: Path) -> dict[str, Any]:
    scenario = load_scenario(path)
    rng = random.Random(7)
    logs = [random_log(Session(scenario), rng, 120, linger=False) for _ in range(150)]
    total = sum(len(log) for log in logs)

    baseline_updates = dict_updates_per_second()
    started = time.perf_counter()
    for log in logs:
        session = Session(scenario)
        for event in log:
            session.apply(event)
    apply_seconds = time.perf_counter() - started
    actions_per_s = per_second(total, apply_seconds)

    # Any prefix of a legal log is a legal log: take exactly 200 events.
    long_log = random_log(Session(scenario), random.Random(11), 200, linger=True)[:200]
    serialised = [e.to_dict() for e in long_log]
    runs = 50
    started = time.perf_counter()
    for _ in range(runs):
        Session.replay(scenario, serialised)
    replay_ms = (time.perf_counter() - started) / runs * 1000
    started = time.perf_counter()
    for _ in range(runs):
        json.loads(json.dumps(serialised))
    json_ms = (time.perf_counter() - started) / runs * 1000

    started = time.perf_counter()
    report = explore_scenario(scenario)
    explore_s = time.perf_counter() - started
    # Baseline for explore: the same number of state copies and key hashes, without rules.
    state = Session(scenario).state
    started = time.perf_counter()
    for _ in range(report.states_explored):
        hash(state.copy(history=False).key())
    copy_hash_s = time.perf_counter() - started

    figures = {
        "scenario": scenario.id,
        "events_applied": total,
        "actions_per_s": round(actions_per_s),
        "baseline_dict_updates_per_s": round(baseline_updates),
        "dict_updates_per_action": round(baseline_updates / actions_per_s, 1),
        "replay_events": len(long_log),
        "replay_ms": round(replay_ms, 3),
        "baseline_json_roundtrip_ms": round(json_ms, 3),
        "replay_vs_json_roundtrip": round(replay_ms / json_ms, 1) if json_ms else None,
        "explore_s": round(explore_s, 3),
        "explore_states": report.states_explored,
        "explore_paths": report.paths_sampled,
        "explore_exhaustive": report.exhaustive,
        "baseline_copy_and_hash_s": round(copy_hash_s, 3),
        "explore_vs_copy_and_hash": round(explore_s / copy_hash_s, 1) if copy_hash_s else None,
        "targets_met": {
            "actions_per_s>=20000": actions_per_s >= 20_000,
            "replay_200_ms<10": replay_ms < 10 and len(long_log) >= 200,
            "explore_s<5": explore_s < 5,
        },
    }
    print(
        f"apply:   {figures['actions_per_s']:>10,} actions/s  "
        f"(baseline {figures['baseline_dict_updates_per_s']:,} dict updates/s; "
        f"{figures['dict_updates_per_action']}× the cost of one update)"
    )
    print(
        f"replay:  {figures['replay_ms']:>10} ms for {len(long_log)} events  "
        f"(baseline JSON round-trip {figures['baseline_json_roundtrip_ms']} ms; "
        f"{figures['replay_vs_json_roundtrip']}×)"
    )
    print(
        f"explore: {figures['explore_s']:>10} s for {report.states_explored} states + "
        f"{report.paths_sampled} playthroughs  "
        f"(baseline copy+hash {figures['baseline_copy_and_hash_s']} s; "
        f"{figures['explore_vs_copy_and_hash']}×)"
    )
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "scenarios" / "vardar-corridor")
