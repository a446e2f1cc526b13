from pathlib import Path

from caseroom.engine import Session, load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_the_short_scenario_loads_and_starts() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "night-crossing")
    session = Session(scenario)
    assert session.state.scene == scenario.doc.start
