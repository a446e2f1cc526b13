"""The debrief's replay reads variables by the author's labels (variables.yaml `label` and
`value_labels`), in the reader's language, and by their names as words where there are none."""

from __future__ import annotations

from caseroom.debrief.reports import _value, _variable
from caseroom.engine import load_scenario
from tests.conftest import ROOT


def test_the_replay_reads_the_authors_labels_in_the_readers_language() -> None:
    """Vardar corridor labels its variables; the replay's words come from there."""
    scenario = load_scenario(ROOT / "scenarios" / "vardar-corridor")
    assert _variable("victim_status", scenario) == "Status of the presumed victim"
    assert _value("indicators", scenario, "victim_status") == "indicators spotted"
    assert _value("unscreened", scenario, "victim_status") == "unscreened"  # no label: as written
    assert _value(["lorry", "escort-car"], scenario, "seized") == "lorry, escort car"
    assert _variable("victim", None) == "Victim"  # a case without labels: the name as words
