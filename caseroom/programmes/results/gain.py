"""Learning gain between a pre-test and a post-test: Hake's normalised gain, pure Python.

Hake (1998) defines the gain as the share of the possible improvement that was achieved:
g = (post − pre) / (max − pre). Nothing is clamped: a learner who scored lower after the
course has a negative gain, and that is what the report must show. A learner who already had
the full score has no room to gain, so their g is undefined (None), not 0 or 1.

For a class there are two customary figures and they differ, so both are returned, labelled:
Hake's own "average normalised gain" ⟨g⟩ = (mean post − mean pre) / (max − mean pre), and the
mean of the individual gains (which leaves out the learners whose g is undefined).

>>> hake_gain(40, 70, 100)
0.5
>>> group_gain([(40, 70), (60, 80)], 100).class_gain
0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GroupGain", "group_gain", "hake_gain"]


def hake_gain(pre: float, post: float, max_score: float) -> float | None:
    """The normalised gain of one learner; None when `pre` is already the maximum.

    Raises ValueError for a maximum that is not positive (a bug in the caller's test).
    """
    if max_score <= 0:
        raise ValueError(f"max_score must be positive, got {max_score}")
    if pre >= max_score:
        return None
    return (post - pre) / (max_score - pre)


@dataclass(frozen=True)
class GroupGain:
    """A class's gain, both ways; None where there is nothing to compute."""

    learners: int  # pairs of pre and post scores given
    mean_pre: float | None
    mean_post: float | None
    # Hake's average normalised gain of the class, from the class means.
    class_gain: float | None
    # The mean of the learners' own gains, over `with_gain` learners (those with room to gain).
    mean_individual_gain: float | None
    with_gain: int


def group_gain(scores: Sequence[tuple[float, float]], max_score: float) -> GroupGain:
    """Both gains of a class from its (pre, post) pairs."""
    if max_score <= 0:
        raise ValueError(f"max_score must be positive, got {max_score}")
    if not scores:
        return GroupGain(0, None, None, None, None, 0)
    mean_pre = sum(pre for pre, _ in scores) / len(scores)
    mean_post = sum(post for _, post in scores) / len(scores)
    individual = [g for pre, post in scores if (g := hake_gain(pre, post, max_score)) is not None]
    return GroupGain(
        learners=len(scores),
        mean_pre=mean_pre,
        mean_post=mean_post,
        class_gain=hake_gain(mean_pre, mean_post, max_score),
        mean_individual_gain=sum(individual) / len(individual) if individual else None,
        with_gain=len(individual),
    )
