"""The scenario engine: pure Python, no Django.

Load and check a scenario folder, play it as a team (event-sourced), explore it.

>>> from caseroom.engine import load_scenario, Session
>>> scenario = load_scenario("scenarios/night-crossing")      # doctest: +SKIP
>>> session = Session(scenario)                               # doctest: +SKIP
>>> [o.action for o in session.options("border-police-mk") if o.enabled]  # doctest: +SKIP
"""

from .answers import AnswerError, normalise_answer, score_answer
from .debrief import (
    GLOBAL_POINT,
    Consequences,
    DebriefStep,
    DecisionPoint,
    ExpertIndex,
    ExpertMove,
    FlowData,
    FlowLink,
    FlowNode,
    MisconceptionRank,
    SkippedStep,
    TeamInput,
    TeamSummary,
    VariableChange,
    WhatIf,
    WhatIfMove,
    annotate,
    compare_teams,
    decision_distribution,
    decision_point,
    expert_choices,
    flows,
    misconception_ranking,
    replay_teams,
    team_digests,
    what_if,
)
from .diagnostics import Diagnostic, Location, ScenarioError, Severity
from .digest import DIGEST_VERSION, TeamDigest, summarise
from .explorer import ExploreReport, explore_scenario
from .expressions import Answer, ExpressionError, compile_expression
from .scenario import Scenario, load_scenario
from .session import (
    GRADE_VALUE,
    Event,
    FeedItem,
    IllegalAction,
    Move,
    Option,
    Pending,
    ReplayError,
    Result,
    Session,
    State,
    Step,
)
from .validator import play_expert_path, validate_scenario

__all__ = [
    "DIGEST_VERSION",
    "GLOBAL_POINT",
    "GRADE_VALUE",
    "Answer",
    "AnswerError",
    "Consequences",
    "DebriefStep",
    "DecisionPoint",
    "Diagnostic",
    "Event",
    "ExpertIndex",
    "ExpertMove",
    "ExploreReport",
    "ExpressionError",
    "FeedItem",
    "FlowData",
    "FlowLink",
    "FlowNode",
    "IllegalAction",
    "Location",
    "MisconceptionRank",
    "Move",
    "Option",
    "Pending",
    "ReplayError",
    "Result",
    "Scenario",
    "ScenarioError",
    "Session",
    "Severity",
    "SkippedStep",
    "State",
    "Step",
    "TeamDigest",
    "TeamInput",
    "TeamSummary",
    "VariableChange",
    "WhatIf",
    "WhatIfMove",
    "annotate",
    "compare_teams",
    "compile_expression",
    "decision_distribution",
    "decision_point",
    "expert_choices",
    "explore_scenario",
    "flows",
    "load_scenario",
    "misconception_ranking",
    "normalise_answer",
    "play_expert_path",
    "replay_teams",
    "score_answer",
    "summarise",
    "team_digests",
    "validate_scenario",
    "what_if",
]
