"""Questionnaires as XLSForm, in pure Python (no Django): parse, check, evaluate, score.

The surveys app stores and serves them; needs assessments, tests, evaluations and
self-assessments are all questionnaires of this one kind.

>>> from caseroom.xlsform import read_form, check_answers, score
>>> form = read_form(open("test.xlsx", "rb").read(), "test.xlsx")    # doctest: +SKIP
>>> check_answers(form, {"age": "x"})                                # doctest: +SKIP
{'age': Complaint(code='not_a_whole_number', message='Enter a whole number.', authored=False)}
"""

from . import limits
from .answers import (
    Answer,
    Complaint,
    QuestionScore,
    Review,
    Score,
    check_answers,
    clean_answers,
    filtered_choices,
    relevant_questions,
    review_answers,
    score,
    xpath_value,
)
from .expressions import Context, Expression, ExpressionError, fill_references, parse_expression
from .model import (
    APPEARANCES,
    CUSTOM_COLUMNS,
    QUESTION_TYPES,
    SELECT_TYPES,
    Choice,
    Form,
    Group,
    Language,
    Question,
    Text,
)
from .problems import FormError, Problem
from .reader import read_form, read_form_markdown

__all__ = [
    "APPEARANCES",
    "CUSTOM_COLUMNS",
    "QUESTION_TYPES",
    "SELECT_TYPES",
    "Answer",
    "Choice",
    "Complaint",
    "Context",
    "Expression",
    "ExpressionError",
    "Form",
    "FormError",
    "Group",
    "Language",
    "Problem",
    "Question",
    "QuestionScore",
    "Review",
    "Score",
    "Text",
    "check_answers",
    "clean_answers",
    "fill_references",
    "filtered_choices",
    "limits",
    "parse_expression",
    "read_form",
    "read_form_markdown",
    "relevant_questions",
    "review_answers",
    "score",
    "xpath_value",
]
