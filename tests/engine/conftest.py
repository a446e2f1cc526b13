"""The fuzz tests' tally, shown in pytest's closing summary (a warning would fail the run)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class FuzzTally:
    """Inputs tried by tests/engine/test_fuzz.py, by kind, and the slowest one."""

    cases: dict[str, int] = field(default_factory=dict)
    loaded: int = 0  # scenarios that loaded (and were validated)
    refused: int = 0  # scenarios refused with diagnostics
    slowest: float = 0.0  # seconds of processor time for one input
    seconds: float = 0.0  # processor time for all of them

    def count(self, kind: str, seconds: float) -> None:
        self.cases[kind] = self.cases.get(kind, 0) + 1
        self.slowest = max(self.slowest, seconds)
        self.seconds += seconds


TALLY = pytest.StashKey[FuzzTally]()


@pytest.fixture(scope="session")  # session-wide: Hypothesis tests may use it between examples
def fuzz_tally(pytestconfig: pytest.Config) -> FuzzTally:
    return pytestconfig.stash.setdefault(TALLY, FuzzTally())


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    tally = config.stash.get(TALLY, None)
    if tally is None or not tally.cases:
        return
    kinds = ", ".join(f"{n} {kind}" for kind, n in tally.cases.items())
    terminalreporter.write_line(
        f"engine fuzz: {sum(tally.cases.values())} inputs ({kinds}); scenarios: "
        f"{tally.loaded} loaded, {tally.refused} refused with diagnostics; "
        f"{tally.seconds:.1f} s of processor time, slowest input {tally.slowest * 1000:.0f} ms"
    )
