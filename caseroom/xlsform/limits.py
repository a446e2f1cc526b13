"""Every bound on what reading and checking a questionnaire may cost, in one place.

A questionnaire is uploaded by a trainer or programme manager, so reading it must refuse a
hostile file quickly and never hang or exhaust memory, whatever the bytes hold. Each limit is
far above what a real form needs (the shipped fixtures and a 200-question needs assessment are
given for comparison) and each message names the limit.
"""

from __future__ import annotations

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_CHOICES",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_EXPRESSION_CHARS",
    "MAX_EXPRESSION_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_GROUP_DEPTH",
    "MAX_LABEL_CHARS",
    "MAX_LANGUAGES",
    "MAX_NAME_CHARS",
    "MAX_NUMBER",
    "MAX_POINTS",
    "MAX_QUESTIONS",
    "MAX_ROWS",
    "MAX_SHEETS",
    "MAX_TEXT_ANSWER_CHARS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_ENTRIES",
]

# ---- the file (sheets.py). An .xlsx is a zip of XML: checked entry by entry before openpyxl
# opens it, because openpyxl trusts the archive and would inflate a zip bomb into memory.
MAX_FILE_BYTES = 2 * 1024 * 1024  # a 200-question form with three languages is about 40 KB
# Everything inside the zip, inflated: openpyxl's read-only parser handles about 10 MB of
# sheet XML per second here, so this keeps the worst case near half a second.
MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
MAX_ZIP_ENTRIES = 200  # Excel writes 10-15 entries; LibreOffice about 20
# XML compresses 5-20 times; a bomb compresses a thousand times and more. Only entries larger
# than 64 KB inflated are judged by ratio: small files of repeated text compress well too.
MAX_COMPRESSION_RATIO = 100
MAX_SHEETS = 20
MAX_ROWS = 3000  # rows of one sheet, blank rows between them included
MAX_COLUMNS = 100  # columns of one sheet
MAX_CELL_CHARS = 10_000  # any cell; labels and expressions have tighter limits below

# ---- the form (reader.py)
MAX_QUESTIONS = 1000  # survey rows that are questions, notes or groups
MAX_CHOICES = 500  # choices of one list: a longer list is not a question people can answer
MAX_GROUP_DEPTH = 8  # nesting of begin group / end group; real forms use 2 or 3
MAX_LABEL_CHARS = 5000  # a label or hint in one language
MAX_LANGUAGES = 12  # label::<language> columns; the app is offered in four
MAX_NAME_CHARS = 64  # a question or choice name: it is a key of every stored answer
MAX_POINTS = 1000  # the `points` column of a scored question

# ---- expressions (expressions.py): relevant, constraint, required
MAX_EXPRESSION_CHARS = 1000  # pyxform accepts 100,000-character expressions
# Nesting of operators, parentheses and calls: the parser and evaluator recurse once per level.
MAX_EXPRESSION_DEPTH = 32

# ---- answers (answers.py)
MAX_TEXT_ANSWER_CHARS = 10_000  # one text answer
MAX_NUMBER = 10**12  # integer and decimal answers, in absolute value
