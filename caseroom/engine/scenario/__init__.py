"""A loaded scenario: the validated model, its indexes, and its conditions compiled.

`load_scenario(path)` returns a `Scenario` or raises `ScenarioError` listing every problem
with its file, line and column: broken YAML, unknown keys, wrong types, duplicate or
unknown ids, bad expressions, effects that do not fit a variable's type.

The loaded `Scenario` (`scenario`), the `loader`, and the loader's `builder` with its
`references` and `checks`; `schema` words pydantic's errors for authors.
"""

from .loader import load_scenario
from .scenario import END as END  # the session and the graph read `goto: end`
from .scenario import Scenario

__all__ = ["Scenario", "load_scenario"]
