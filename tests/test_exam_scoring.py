"""Rasch EAP ability, the fixed scaled-score transformation and the JLPT pass rule,
against values worked out by hand (see docs/exam.md)."""

from __future__ import annotations

import math

import pytest

from app.exam.scoring import (
    KNOWLEDGE_READING,
    LISTENING,
    eap,
    p_right,
    passes,
    scaled_score,
    score,
)


def test_the_rasch_model() -> None:
    assert p_right(0.0, 0.0) == 0.5
    assert p_right(1.0, 0.0) == pytest.approx(1 / (1 + math.exp(-1)))  # 0.7311
    assert p_right(0.0, 1.0) == pytest.approx(0.2689, abs=1e-4)


def test_no_answers_give_the_prior() -> None:
    ability = eap([])
    assert ability.theta == pytest.approx(0.0, abs=1e-9)
    assert ability.sd == pytest.approx(1.0, abs=1e-4)


def test_one_right_answer_at_difficulty_zero() -> None:
    """By Stein's lemma the posterior mean after one right answer at b = 0 is
    E[theta * 2 sigma(theta)] = 2 E[sigma (1 - sigma)] = 2 * 0.206621 = 0.413242
    (the expectation summed separately on a 200,000-point grid)."""
    assert eap([(0.0, True)]).theta == pytest.approx(0.413242, abs=1e-4)
    assert eap([(0.0, False)]).theta == pytest.approx(-0.413242, abs=1e-4)


@pytest.mark.parametrize(("right", "theta"), [(6, 1.358929), (22, 2.285143)])
def test_all_right_at_difficulty_zero(right: int, theta: float) -> None:
    """Posterior means integrated separately (100,000-point midpoint rule on [-8, 8])."""
    assert eap([(0.0, True)] * right).theta == pytest.approx(theta, abs=1e-4)


def test_symmetric_answer_sheets() -> None:
    assert eap([(0.0, True), (0.0, False)]).theta == pytest.approx(0.0, abs=1e-9)
    right, wrong = eap([(0.0, True)] * 10), eap([(0.0, False)] * 10)
    assert right.theta == pytest.approx(-wrong.theta)
    assert 1.0 < right.theta < 4.0  # finite for an all-right sheet, unlike the MLE


def test_with_a_flat_prior_and_many_answers_eap_nears_the_maximum_likelihood() -> None:
    """150 right of 200 at b = 0.5: the MLE solves p = 0.75, theta = 0.5 + ln 3 = 1.5986,
    with standard error 1 / sqrt(200 * 0.75 * 0.25) = 0.1633."""
    ability = eap([(0.5, True)] * 150 + [(0.5, False)] * 50, prior_sd=100)
    assert ability.theta == pytest.approx(0.5 + math.log(3), abs=0.01)
    assert ability.sd == pytest.approx(0.1633, abs=0.003)


def test_harder_items_answered_right_mean_more_ability() -> None:
    easy = eap([(-1.0, True)] * 5 + [(-1.0, False)] * 5)
    hard = eap([(1.0, True)] * 5 + [(1.0, False)] * 5)
    assert hard.theta > easy.theta
    assert eap([(None, True), (None, False)]).theta == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    ("theta", "group", "expected"),
    [
        (0.0, KNOWLEDGE_READING, 60),  # 120 / 2
        (1.0, KNOWLEDGE_READING, 80),  # 60 + 120 / 6
        (-1.1, KNOWLEDGE_READING, 38),  # the section minimum
        (3.0, KNOWLEDGE_READING, 120),
        (4.5, KNOWLEDGE_READING, 120),  # clamped
        (-3.5, KNOWLEDGE_READING, 0),
        (0.0, LISTENING, 30),
        (-1.1, LISTENING, 19),  # the section minimum
        (0.25, LISTENING, 33),  # 32.5 rounds half up
        (-0.25, LISTENING, 28),  # 27.5 rounds half up
        (6.0, LISTENING, 60),
    ],
)
def test_the_scaled_score_transformation(theta: float, group: str, expected: int) -> None:
    assert scaled_score(theta, group) == expected


@pytest.mark.parametrize(
    ("level", "knowledge", "listening", "passed"),
    [
        ("N5", 50, 30, True),  # total 80: the N5 pass mark
        ("N5", 49, 30, False),  # total 79
        ("N5", 37, 60, False),  # total 97 but language knowledge and reading below 38
        ("N5", 38, 42, True),  # both minimums met exactly, total 80
        ("N5", 120, 18, False),  # listening just below 19
        ("N5", 61, 19, True),
        ("N4", 60, 30, True),  # total 90: the N4 pass mark
        ("N4", 60, 29, False),  # total 89
        ("N4", 37, 60, False),  # total 97 but below the 38 minimum
    ],
)
def test_the_pass_rule(level: str, knowledge: int, listening: int, passed: bool) -> None:
    assert passes(level, {KNOWLEDGE_READING: knowledge, LISTENING: listening}) is passed


def test_score_puts_it_together() -> None:
    outcome = score(
        "N5",
        {
            KNOWLEDGE_READING: [(0.0, True), (0.0, False)],  # theta 0 -> 60
            LISTENING: [(0.0, True)],  # theta 0.4132 -> 30 + 4.13 -> 34
        },
    )
    assert outcome.scaled == {KNOWLEDGE_READING: 60, LISTENING: 34}
    assert outcome.total == 94
    assert outcome.passed is True
    assert score("N4", {KNOWLEDGE_READING: [(0.0, False)] * 20, LISTENING: []}).passed is False
