"""Problems found in a questionnaire, each at the sheet, row and column the author wrote it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FormError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a form. `row` is the spreadsheet's own row number (1 is the header
    row, as Excel shows it); 0 when the problem is not at one row (the whole file, a sheet)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.sheet, self.row or "", self.column) if part)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class FormError(Exception):
    """A questionnaire that cannot be used; `problems` lists every problem found at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_order)
        first = str(self.problems[0]) if self.problems else "no problems"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")


_SHEETS = {"": 0, "survey": 1, "choices": 2, "settings": 3}


def _order(problem: Problem) -> tuple[int, str, int, str, str]:
    # The order an author reads the workbook in: the file, then survey, choices, settings.
    return (
        _SHEETS.get(problem.sheet, 4),
        problem.sheet,
        problem.row,
        problem.column,
        problem.message,
    )
