"""The order a form's answers are worked out in, and the circles that make one impossible.

A question's value (its answer, or a calculation's result) can be known only once its
relevance is, and its relevance (with its groups') reads other questions; a calculation reads
others too. So questions are taken in dependency order, ties in the order of the survey
sheet, as ODK does: a reference to a later question reads that question's value once its own
relevance is settled. A circle (a calculation reading itself through others, a group whose
relevance reads a question inside it) has no such order: ODK refuses the form, and so does
the reader (`cycles`), naming every row of the circle.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Group, Question

__all__ = ["cycles", "dependencies", "evaluation_order"]


def dependencies(questions: Sequence[Question], groups: Mapping[str, Group]) -> dict[str, set[str]]:
    """For each question, the questions whose values its own value needs."""
    names = {q.name for q in questions}
    found: dict[str, set[str]] = {}
    for question in questions:
        needs: set[str] = set()
        for expression in (question.relevant, question.calculation):
            if expression is not None:
                needs |= expression.refs
        for group_name in question.groups:
            group = groups.get(group_name)
            if group is not None and group.relevant is not None:
                needs |= group.relevant.refs
        found[question.name] = needs & names
    return found


def _sorted(
    questions: Sequence[Question], needs: dict[str, set[str]]
) -> tuple[list[Question], list[Question]]:
    """(those in order, those left in or behind a circle) by Kahn's algorithm."""
    index = {q.name: i for i, q in enumerate(questions)}
    waiting = {name: len(deps) for name, deps in needs.items()}
    readers: dict[str, list[str]] = {}
    for name, deps in needs.items():
        for dep in deps:
            readers.setdefault(dep, []).append(name)
    ready = [index[name] for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    done: list[Question] = []
    while ready:
        question = questions[heapq.heappop(ready)]
        done.append(question)
        for reader in readers.get(question.name, ()):
            waiting[reader] -= 1
            if waiting[reader] == 0:
                heapq.heappush(ready, index[reader])
    placed = {q.name for q in done}
    return done, [q for q in questions if q.name not in placed]


def evaluation_order(
    questions: Sequence[Question], groups: Mapping[str, Group]
) -> tuple[Question, ...]:
    """Every question, each after those it needs; questions in a circle (only in a form
    stored before circles were refused) follow in the order of the survey sheet."""
    done, left = _sorted(questions, dependencies(questions, groups))
    return tuple(done + left)


def cycles(
    questions: Sequence[Question], groups: Mapping[str, Group], limit: int = 10
) -> list[list[Question]]:
    """The circles among the questions, each as the questions in reading order, the first
    repeated at the end (at most `limit`: one is enough to mend at a time)."""
    needs = dependencies(questions, groups)
    _done, left = _sorted(questions, needs)
    by_name = {q.name: q for q in questions}
    remaining = {q.name for q in left}
    found: list[list[Question]] = []
    seen: set[str] = set()
    for start in left:
        if start.name in seen or len(found) >= limit:
            continue
        # Every question left needs another one left, so following needs finds a circle.
        path: list[str] = []
        position: dict[str, int] = {}
        name = start.name
        while name not in position and name not in seen:
            position[name] = len(path)
            path.append(name)
            name = min(needs[name] & remaining, key=lambda n: by_name[n].row)
        seen.update(path)
        if name in position:
            circle = path[position[name] :]
            found.append([by_name[n] for n in (*circle, circle[0])])
    return found
