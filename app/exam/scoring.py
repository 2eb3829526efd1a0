"""Scoring: Rasch (1PL) ability per score group, JLPT scaled scores and the pass rule.

Pure functions, no database. An item answered right scores 1, anything else 0 (an
unanswered item counts as wrong, as on the JLPT: skipping cannot raise a score).

Ability is the EAP (expected a posteriori) estimate under a standard normal prior,
computed on a fixed quadrature grid: unlike maximum likelihood it is finite for all-right
and all-wrong answer sheets, and a short form is pulled towards the average as much as
its few answers warrant.

The transformation to scaled scores is fixed and the same for N5 and N4 (docs/exam.md):

    scaled = clamp(round(max / 2 + max / 6 * theta), 0, max)

with max 120 for language knowledge and reading and 60 for listening: half marks at the
ability that gets half of average-difficulty items right (theta 0), the range spanning
theta -3 to +3. The JLPT section minimums (38 and 19) then both fall at theta = -1.1 and
N4's pass mark (90 of 180) at theta 0; N5's (80) at theta = -1/3, the easier standard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.exam.blueprint import KNOWLEDGE_READING, LISTENING

GRID = tuple(-6 + i * 0.05 for i in range(241))  # theta from -6 to 6
MAXIMUM = {KNOWLEDGE_READING: 120, LISTENING: 60}
SECTION_MINIMUM = {KNOWLEDGE_READING: 38, LISTENING: 19}
PASS_TOTAL = {"N5": 80, "N4": 90}


@dataclass(frozen=True)
class Ability:
    theta: float
    sd: float  # posterior standard deviation: how far the estimate may be off


@dataclass(frozen=True)
class Outcome:
    """The scaled scores of one attempt and whether it passes."""

    scaled: dict[str, int]  # score group -> scaled score
    total: int
    passed: bool
    abilities: dict[str, Ability]


def p_right(theta: float, difficulty: float) -> float:
    """The Rasch model: the chance a person of ability theta gets the item right."""
    return 1.0 / (1.0 + math.exp(difficulty - theta))


def eap(responses: Iterable[tuple[float | None, bool]], *, prior_sd: float = 1.0) -> Ability:
    """EAP ability from (item difficulty, right?) pairs; a difficulty of None counts as 0."""
    answers = [(float(b or 0.0), bool(right)) for b, right in responses]
    log_post = []
    for theta in GRID:
        value = -0.5 * (theta / prior_sd) ** 2
        for b, right in answers:
            p = p_right(theta, b)
            value += math.log(p if right else 1.0 - p)
        log_post.append(value)
    top = max(log_post)
    weights = [math.exp(v - top) for v in log_post]
    total = math.fsum(weights)
    mean = math.fsum(w * t for w, t in zip(weights, GRID, strict=True)) / total
    var = math.fsum(w * (t - mean) ** 2 for w, t in zip(weights, GRID, strict=True)) / total
    return Ability(mean, math.sqrt(var))


def scaled_score(theta: float, group: str) -> int:
    """The fixed transformation of the module docstring, rounded half up."""
    top = MAXIMUM[group]
    return max(0, min(top, math.floor(top / 2 + top / 6 * theta + 0.5)))


def passes(level: str, scaled: dict[str, int]) -> bool:
    """The JLPT rule: the total reaches the level's pass mark and no group is below its
    minimum."""
    total = sum(scaled.values())
    return total >= PASS_TOTAL[level] and all(
        scaled[group] >= minimum for group, minimum in SECTION_MINIMUM.items()
    )


def score(level: str, responses: dict[str, Sequence[tuple[float | None, bool]]]) -> Outcome:
    """Scaled scores per group from each group's (difficulty, right?) responses."""
    abilities = {group: eap(responses.get(group, ())) for group in MAXIMUM}
    scaled = {group: scaled_score(abilities[group].theta, group) for group in MAXIMUM}
    return Outcome(scaled, sum(scaled.values()), passes(level, scaled), abilities)
