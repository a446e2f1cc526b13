"""Questionnaires as XLSForm, in pure Python (no Django): parse, check, evaluate, score.

The surveys app stores and serves them; needs assessments, tests, evaluations and
self-assessments are all questionnaires of this one kind.
"""

__all__: list[str] = []
