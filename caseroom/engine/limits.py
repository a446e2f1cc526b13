"""Every bound on what a scenario folder may cost to read, check and explore, in one place.

A scenario comes from an author's laptop or an upload, so reading it must never hang, exhaust
memory or crash, whatever the files hold. Each limit is far above what a real scenario needs
(the largest shipped one, `scenarios/vardar-corridor`, is given for comparison) and each is
reported by name with the file it was hit in. docs/scenario-format.md lists them for authors.
"""

from __future__ import annotations

__all__ = [
    "CLOCK_YEARS",
    "EXPLORE_MAX_SECONDS",
    "EXPLORE_MAX_STATES",
    "EXPLORE_PLAY_MOVES",
    "EXPLORE_SEARCH_MOVES",
    "MAX_DEPTH",
    "MAX_DURATION_MINUTES",
    "MAX_EXPRESSION_CHARS",
    "MAX_EXPRESSION_DEPTH",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_FOLDER_BYTES",
    "MAX_ID_CHARS",
    "MAX_INJECTS",
    "MAX_INPUT_ITEMS",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "MAX_NUMBER",
    "MAX_TITLE_CHARS",
    "MAX_TRANSLATIONS",
    "MAX_TRANSLATION_BYTES",
    "MAX_TRANSLATION_FILE_BYTES",
    "MAX_VERSION_CHARS",
]

# ---- reading YAML (yamlsource/)
# PyYAML's pure-Python scanner took 6.7 s and 240 MB per MB of YAML; with libyaml's events
# the cost is a fraction of that, and these sizes keep the worst case near a second.
MAX_FILE_BYTES = 256 * 1024  # one YAML file; the largest shipped file is 32 KB
MAX_FOLDER_BYTES = 1024 * 1024  # all YAML files of a folder together; vardar-corridor: 191 KB
MAX_FILES = 200  # YAML files in a folder (translations included); vardar-corridor: 16
# Values after aliases are expanded, counted across the folder: a 330-byte "billion laughs"
# file expands to 10^9 values, so the count stops it long before memory runs out.
MAX_NODES = 100_000  # vardar-corridor: 6,200
MAX_DEPTH = 40  # nesting of mappings and lists; the format itself needs 11
# Whole numbers anywhere: larger ones are a mistake (and Python refuses to read an integer of
# more than 4,300 digits). Also the range of int variables, points and answers.
MAX_NUMBER = 10**9
MAX_INT_DIGITS = 18  # a whole number in YAML (64-bit), whatever it is used for

# ---- translations (translations/): gettext .po files, read by polib (pure Python, about
# 0.15 s per MB here). A .po file holds the source beside each translation: vardar-corridor's
# 118,000 characters make about 400 KB per Cyrillic language, night-crossing's 33,000 about
# 110 KB.
MAX_TRANSLATION_FILE_BYTES = 1024 * 1024  # one translations/<lang>.po or <lang>.yaml
MAX_TRANSLATION_BYTES = 8 * 1024 * 1024  # all translation files of a folder together
MAX_TRANSLATIONS = 40  # languages (translation files) of one scenario

# ---- the model (model.py): the database columns that store these (scenarios/models.py)
MAX_ID_CHARS = 80  # ScenarioVersion.slug
MAX_VERSION_CHARS = 40  # ScenarioVersion.version
MAX_TITLE_CHARS = 200  # ScenarioVersion.title
MAX_INPUT_ITEMS = 100  # items of one input: scoring an order compares every pair
# Injects of a scenario: after every event the session tests those still to come, and
# conditions that fire in a cascade are tested again after each one (quadratic).
# 5,000 injects due at once made one validation take 20 s. The shipped scenarios have 9.
MAX_INJECTS = 500
MAX_DURATION_MINUTES = 3660 * 1440  # ten years of case time in one cost, delay or `at`
CLOCK_YEARS = (1900, 2200)  # clock.start: a real date, far from datetime's year 9999 overflow

# ---- conditions (expressions.py)
MAX_EXPRESSION_CHARS = 2000  # the longest shipped condition has 127
# Nesting of operators and calls: Python's parser overflows its stack on 5,000 `not`s or a
# 20,000-term sum, and each level costs a closure call per evaluation.
MAX_EXPRESSION_DEPTH = 32

# ---- exploration (explorer/): a "move" is one option checked or one event played.
# Wide scenes multiply moves: with 300 global actions a state costs 600 moves. A move costs
# 15-35 µs, so the move budget keeps exploration to a few seconds. What play finds within it
# usually meets the upper bound at once (vardar-corridor: 53,000 moves; night-crossing: 644;
# 300 global actions: 0.1 s); the search of every state is the last resort (night-crossing:
# 2,843 states, 23,000 moves).
EXPLORE_SEARCH_MOVES = 150_000
# Distinct states of the search; each costs about 1 KB (its key and its link to its parent).
EXPLORE_MAX_STATES = 200_000
EXPLORE_PLAY_MOVES = 100_000  # `explore --sample`: vardar-corridor's 300 games need 163,000
# A last resort, whatever a move costs: exploration stops after this much processor time of
# its thread (not wall-clock time, so a busy machine finds what an idle one finds), and the
# one result that can differ between machines says so. vardar-corridor needs about 1 s.
EXPLORE_MAX_SECONDS = 20.0
