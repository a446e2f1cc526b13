"""The scenario engine: pure Python, no Django.

Load and check a scenario folder, play it as a team (event-sourced), explore it.

>>> from caseroom.engine import load_scenario, Session
>>> scenario = load_scenario("scenarios/night-crossing")      # doctest: +SKIP
>>> session = Session(scenario)                               # doctest: +SKIP
>>> [o.action for o in session.options("border-police-mk") if o.enabled]  # doctest: +SKIP
"""

from .answers import AnswerError, normalise_answer, score_answer
from .diagnostics import Diagnostic, Location, ScenarioError, Severity
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
    "GRADE_VALUE",
    "Answer",
    "AnswerError",
    "Diagnostic",
    "Event",
    "ExploreReport",
    "ExpressionError",
    "FeedItem",
    "IllegalAction",
    "Location",
    "Move",
    "Option",
    "Pending",
    "ReplayError",
    "Result",
    "Scenario",
    "ScenarioError",
    "Session",
    "Severity",
    "State",
    "Step",
    "compile_expression",
    "explore_scenario",
    "load_scenario",
    "normalise_answer",
    "play_expert_path",
    "score_answer",
    "validate_scenario",
]
