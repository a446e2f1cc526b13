"""The debrief's computational core: annotated trajectories, "what if" continuations along
the expert path, and cross-team aggregates, all derived from event logs (no Django).

One module each: `expert` (the expert path indexed), `trajectories` (`annotate`), `whatif`
and `aggregates`; `records` holds the result records' common base.

>>> steps = annotate(scenario, session.events)                    # doctest: +SKIP
>>> [s.ref for s in steps if s.on_expert_path is False]          # doctest: +SKIP
>>> what_if(scenario, session.events, steps[3].event).ending       # doctest: +SKIP
>>> teams = replay_teams(scenario, [("Team A", events_a), ("Team B", events_b)])  # doctest: +SKIP
>>> decision_distribution(scenario, teams)["stop"].counts          # doctest: +SKIP
"""

from .aggregates import (
    DecisionPoint,
    FlowData,
    FlowLink,
    FlowNode,
    MisconceptionRank,
    TeamInput,
    TeamSummary,
    compare_teams,
    decision_distribution,
    flows,
    misconception_ranking,
    replay_teams,
    team_digests,
)
from .expert import GLOBAL_POINT, ExpertIndex, ExpertMove, decision_point, expert_choices
from .trajectories import Consequences, DebriefStep, VariableChange, annotate
from .whatif import SkippedStep, WhatIf, WhatIfMove, what_if

__all__ = [
    "GLOBAL_POINT",
    "Consequences",
    "DebriefStep",
    "DecisionPoint",
    "ExpertIndex",
    "ExpertMove",
    "FlowData",
    "FlowLink",
    "FlowNode",
    "MisconceptionRank",
    "SkippedStep",
    "TeamInput",
    "TeamSummary",
    "VariableChange",
    "WhatIf",
    "WhatIfMove",
    "annotate",
    "compare_teams",
    "decision_distribution",
    "decision_point",
    "expert_choices",
    "flows",
    "misconception_ranking",
    "replay_teams",
    "team_digests",
    "what_if",
]
