"""Answers to an action's input: checked against the input's type, then scored 0…1; and a
few representative ones for the explorer and random play."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .expressions import Answer
from .model import Action, Input

__all__ = ["AnswerError", "normalise_answer", "sample_answers", "score_answer"]

MAX_TEXT = 10_000


class AnswerError(ValueError):
    pass


def normalise_answer(spec: Input, raw: Any) -> Any:
    """The answer in its canonical JSON form, or AnswerError saying what is wrong."""
    if spec.type in ("multi", "order"):
        if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
            raise AnswerError(f"a {spec.type} answer is a list of item ids")
        known = [i.id for i in spec.items]
        unknown = [x for x in raw if x not in known]
        if unknown:
            raise AnswerError(f"unknown items: {', '.join(unknown)} (items: {', '.join(known)})")
        if len(set(raw)) != len(raw):
            raise AnswerError("an item is listed twice")
        if spec.type == "order":
            if len(raw) != len(known):
                raise AnswerError("an order answer lists every item once")
            return list(raw)
        return sorted(raw, key=known.index)
    if spec.type == "numeric":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            try:
                raw = float(str(raw).replace(",", "").replace(" ", ""))
            except ValueError:
                raise AnswerError(f"{raw!r} is not a number") from None
        value = float(raw)
        if not math.isfinite(value):
            raise AnswerError("the number must be finite")
        if spec.min is not None and value < spec.min:
            raise AnswerError(f"the number must be at least {spec.min:g}")
        if spec.max is not None and value > spec.max:
            raise AnswerError(f"the number must be at most {spec.max:g}")
        return value
    if not isinstance(raw, str) or not raw.strip():
        raise AnswerError("the answer is empty")
    if len(raw) > MAX_TEXT:
        raise AnswerError(f"the answer is longer than {MAX_TEXT} characters")
    return raw.strip()


def score_answer(spec: Input, answer: Any) -> Answer:
    """Score a normalised answer; free text has no score until the facilitator grades it."""
    if spec.type == "multi":
        picked = frozenset(answer)
        correct = set(spec.correct)
        right = len(picked & correct)
        wrong = len(picked - correct)
        score = max(0.0, (right - wrong) / len(correct)) if correct else 0.0
        return Answer(score=round(score, 4), picked=picked)
    if spec.type == "order":
        position = {ident: i for i, ident in enumerate(answer)}
        expected = spec.correct
        pairs = [(a, b) for i, a in enumerate(expected) for b in expected[i + 1 :]]
        good = sum(1 for a, b in pairs if position[a] < position[b])
        return Answer(score=round(good / len(pairs), 4) if pairs else 1.0, picked=frozenset(answer))
    if spec.type == "numeric":
        assert spec.answer is not None and spec.tolerance is not None
        error = abs(float(answer) - spec.answer)
        score = 1.0 if error <= spec.tolerance else 0.5 if error <= 2 * spec.tolerance else 0.0
        return Answer(score=score, value=float(answer))
    return Answer()


def sample_answers(action: Action) -> Sequence[Any]:
    """A few representative answers to an input, for the explorer and random play."""
    spec = action.input
    if spec is None:
        return [None]
    ids = [i.id for i in spec.items]
    if spec.type == "multi":
        wrong = [i for i in ids if i not in spec.correct]
        candidates = [
            list(spec.correct),
            [],
            ids,
            wrong,
            spec.correct[: max(1, len(spec.correct) // 2)],
        ]
        unique: list[Any] = []
        for candidate in candidates:
            ordered = sorted(set(candidate), key=ids.index)
            if ordered not in unique:
                unique.append(ordered)
        return unique
    if spec.type == "order":
        return [list(spec.correct), list(reversed(spec.correct))]
    if spec.type == "numeric":
        assert spec.answer is not None and spec.tolerance is not None
        samples = [
            spec.answer,
            spec.answer + 1.5 * spec.tolerance,
            spec.answer * 3 + 10 * spec.tolerance,
        ]
        return [
            min(
                max(v, spec.min if spec.min is not None else v),
                spec.max if spec.max is not None else v,
            )
            for v in samples
        ]
    return ["(free-text answer)"]
