"""Read a scenario folder's YAML files into one merged mapping that remembers positions.

Every value keeps the file, line and column where it was written, so that a problem found
later (a schema error, an unknown id, a bad expression) can be reported where the author
has to fix it.

The files may come from anyone (an upload, a careless copy), so reading is bounded
(`limits.py`: bytes, values after alias expansion, nesting) and strict: YAML 1.2 core rules
(`NO` is Norway, not false), no tags, no merge keys, no symbolic links out of the folder.
A file that breaks a rule is reported once, at the line and column of the problem, and
nothing more is read from it.

`parse` reads one YAML text, `file` one file, `folder` the whole folder.
"""

from .folder import LIST_SECTIONS, READ_CODES, Source, read_folder, walk_files
from .parse import Path_ as Path_  # the scenario modules address positions with it

__all__ = ["LIST_SECTIONS", "READ_CODES", "Source", "read_folder", "walk_files"]
