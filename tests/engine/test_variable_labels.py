"""Variables may carry how people read them (`label`, `value_labels`): translatable strings
that the debrief's replay shows instead of the author's identifiers."""

from __future__ import annotations

from pathlib import Path

from caseroom.engine import load_scenario
from caseroom.engine.strings import catalogue

from .test_loader import BASE, SCENES, problems, write

LABELLED = BASE.replace(
    "  evidence: {type: int, min: 0, max: 3}\n",
    "  evidence: {type: int, min: 0, max: 3, label: Evidence against the network}\n"
    "  jit:\n"
    "    type: enum\n"
    "    values: [none, signed]\n"
    "    default: none\n"
    "    label: Joint investigation team\n"
    "    value_labels: {signed: agreement signed}\n",
)


def test_labels_are_strings_to_translate_under_stable_keys(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, {"scenario.yaml": LABELLED, "scenes.yaml": SCENES}))
    strings = catalogue(scenario)
    assert strings["variable.evidence.label"] == "Evidence against the network"
    assert strings["variable.jit.label"] == "Joint investigation team"
    assert strings["variable.jit.value_labels.signed"] == "agreement signed"
    assert "variable.jit.value_labels.none" not in strings  # shown as written


def test_a_label_for_a_value_that_is_not_declared_is_named(tmp_path: Path) -> None:
    wrong = LABELLED.replace("{signed: agreement signed}", "{sined: agreement signed}")
    found = problems(write(tmp_path, {"scenario.yaml": wrong, "scenes.yaml": SCENES}))
    assert len(found) == 1
    assert found[0].startswith("scenario.yaml:")
    assert "value_labels names 'sined', which is not one of the values (none, signed)" in found[0]
