"""Hake's normalised gain, for one learner and for a class (both customary figures)."""

from __future__ import annotations

import pytest

from caseroom.programmes.results.gain import group_gain, hake_gain


def test_the_gain_is_the_share_of_the_possible_improvement_achieved() -> None:
    assert hake_gain(40, 70, 100) == pytest.approx(0.5)
    assert hake_gain(0, 10, 10) == pytest.approx(1.0)
    assert hake_gain(5, 5, 10) == 0


def test_a_loss_is_a_negative_gain_and_is_not_clamped() -> None:
    assert hake_gain(50, 25, 100) == pytest.approx(-0.5)
    assert hake_gain(90, 0, 100) == pytest.approx(-9.0)


def test_a_learner_who_starts_at_the_maximum_has_no_gain_at_all() -> None:
    assert hake_gain(100, 100, 100) is None
    assert hake_gain(100, 80, 100) is None


def test_a_maximum_that_is_not_positive_is_a_bug() -> None:
    with pytest.raises(ValueError, match="max_score"):
        hake_gain(0, 0, 0)


def test_the_class_gain_and_the_mean_of_individual_gains_differ_and_both_are_given() -> None:
    # A: 20 → 60 (g = 0.5), B: 80 → 90 (g = 0.5), C: 0 → 0 (g = 0); mean of g = 1/3.
    result = group_gain([(20, 60), (80, 90), (0, 0)], 100)
    assert result.learners == 3
    assert result.mean_pre == pytest.approx(100 / 3)
    assert result.mean_post == pytest.approx(50)
    # (50 − 33.33) / (100 − 33.33) = 16.67 / 66.67 = 0.25
    assert result.class_gain == pytest.approx(0.25)
    assert result.mean_individual_gain == pytest.approx(1 / 3)
    assert result.with_gain == 3


def test_learners_already_at_the_maximum_are_left_out_of_the_mean_of_individual_gains() -> None:
    result = group_gain([(100, 100), (40, 70)], 100)
    assert result.with_gain == 1
    assert result.mean_individual_gain == pytest.approx(0.5)
    # Class means 70 → 85: (85 − 70) / 30 = 0.5
    assert result.class_gain == pytest.approx(0.5)


def test_a_class_that_all_starts_at_the_maximum_has_no_gain() -> None:
    result = group_gain([(10, 10), (10, 9)], 10)
    assert result.class_gain is None
    assert result.mean_individual_gain is None
    assert result.with_gain == 0


def test_an_empty_class_has_no_figures() -> None:
    result = group_gain([], 100)
    assert (result.learners, result.class_gain, result.mean_individual_gain) == (0, None, None)
