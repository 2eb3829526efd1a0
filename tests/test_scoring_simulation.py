"""The scoring simulation of issue 7: 2,000 simulated candidates with known abilities sit
full JLPT forms (the real blueprints, assembled by app.exam.forms from generated pools of
known difficulty) and are scored by app.exam.scoring.

Abilities are drawn from the standard normal, the population scoring's prior assumes; a
candidate has one ability for both score groups. The truth is what scoring's own scale
says of the true ability: scaled_score(theta) per group and the JLPT pass rule.

Speed: under the Rasch model an answer sheet's likelihood depends on theta only through
the number of right answers (the raw score is sufficient), so every sheet of a form with
the same raw score has the same EAP. The simulation therefore calls scoring.eap once per
raw score and group, checked against scoring.score on whole answer sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from app.exam import scoring
from app.exam.blueprint import GROUP_OF_SECTION, JLPT, Blueprint
from app.exam.forms import Candidate, Form, assemble

CANDIDATES = 2000
GROUPS = tuple(scoring.MAXIMUM)


def generated_pool(
    blueprint: Blueprint, centre: float, rng: np.random.Generator
) -> list[Candidate]:
    """Four items per place, each tagged for its question type, difficulty ~ N(centre, 0.8)."""
    pool = []
    for section in blueprint.sections:
        for part in section.parts:
            for n in range(4 * part.count):
                pool.append(
                    Candidate(
                        id=f"{section.id}-{part.skill}-{n:03d}",
                        section=section.id,
                        type="choice",
                        tags=frozenset({part.tags[0]}),
                        difficulty=float(rng.normal(centre, 0.8)),
                    )
                )
    return pool


@dataclass(frozen=True)
class SimForm:
    form: Form
    b: dict[str, np.ndarray]  # score group -> difficulties of its items on the form


def sim_form(level: str, centre: float, seed: int) -> SimForm:
    blueprint = JLPT[level]
    pool = generated_pool(blueprint, centre, np.random.default_rng(seed))
    form = assemble(blueprint, pool, seed=seed)
    assert not form.short
    assert len(form.item_ids()) == blueprint.count  # the real counts: N5 67, N4 94
    difficulty = {c.id: c.difficulty for c in pool}
    b: dict[str, list[float]] = {group: [] for group in GROUPS}
    for section in form.sections:
        for part in section["parts"]:
            b[GROUP_OF_SECTION[section["id"]]] += [difficulty[i] for i in part["items"]]
    return SimForm(form, {group: np.array(values) for group, values in b.items()})


def eap_by_raw_score(b: np.ndarray) -> np.ndarray:
    """scoring.eap for each raw score 0..len(b) (any sheet with that many right)."""
    return np.array(
        [scoring.eap([(v, k < r) for k, v in enumerate(b)]).theta for r in range(len(b) + 1)]
    )


@dataclass(frozen=True)
class Sitting:
    theta_hat: dict[str, np.ndarray]
    scaled: dict[str, np.ndarray]
    total: np.ndarray
    passed: np.ndarray
    raw: dict[str, np.ndarray]
    sheets: dict[str, np.ndarray]  # group -> right (bool) per candidate and item


def sit(level: str, form: SimForm, theta: np.ndarray, rng: np.random.Generator) -> Sitting:
    theta_hat, scaled, raw, sheets = {}, {}, {}, {}
    for group in GROUPS:
        b = form.b[group]
        p = 1.0 / (1.0 + np.exp(b[None, :] - theta[:, None]))
        sheets[group] = rng.random(p.shape) < p
        raw[group] = sheets[group].sum(axis=1)
        theta_hat[group] = eap_by_raw_score(b)[raw[group]]
        table = np.array([scoring.scaled_score(t, group) for t in eap_by_raw_score(b)])
        scaled[group] = table[raw[group]]
    passed = np.array(
        [scoring.passes(level, {g: int(scaled[g][n]) for g in GROUPS}) for n in range(len(theta))]
    )
    return Sitting(theta_hat, scaled, sum(scaled.values()), passed, raw, sheets)


def true_pass(level: str, theta: np.ndarray) -> np.ndarray:
    return np.array(
        [scoring.passes(level, {g: scoring.scaled_score(t, g) for g in GROUPS}) for t in theta]
    )


@dataclass(frozen=True)
class Simulation:
    level: str
    theta: np.ndarray
    forms: tuple[SimForm, SimForm]  # an easy form and a hard one
    sittings: tuple[Sitting, Sitting]  # the same candidates on each


@pytest.fixture(scope="module", params=["N5", "N4"])
def simulation(request: pytest.FixtureRequest) -> Simulation:
    level = request.param
    rng = np.random.default_rng(20261126 + len(level) + int(level[1]))
    theta = rng.normal(0.0, 1.0, CANDIDATES)
    forms = (sim_form(level, -0.6, 1), sim_form(level, 0.6, 2))
    sittings = tuple(sit(level, form, theta, rng) for form in forms)
    return Simulation(level, theta, forms, sittings)  # type: ignore[arg-type]


def test_the_raw_score_shortcut_is_what_scoring_gives(simulation: Simulation) -> None:
    """scoring.score on whole answer sheets equals the per-raw-score table used above."""
    form, sitting = simulation.forms[0], simulation.sittings[0]
    for n in range(0, CANDIDATES, 97):
        responses = {
            g: list(zip(form.b[g].tolist(), sitting.sheets[g][n].tolist(), strict=True))
            for g in GROUPS
        }
        outcome = scoring.score(simulation.level, responses)
        for g in GROUPS:
            assert outcome.abilities[g].theta == pytest.approx(sitting.theta_hat[g][n], abs=1e-9)
            assert outcome.scaled[g] == sitting.scaled[g][n]
        assert outcome.passed == sitting.passed[n]


def test_estimated_ability_correlates_with_the_truth(simulation: Simulation) -> None:
    for sitting in simulation.sittings:
        composite = (sitting.total - 90) / 30  # the total on the theta scale
        assert np.corrcoef(composite, simulation.theta)[0, 1] >= 0.9
        knowledge = sitting.theta_hat[scoring.KNOWLEDGE_READING]
        assert np.corrcoef(knowledge, simulation.theta)[0, 1] >= 0.9
        # Listening alone has 24 (N5) or 28 (N4) items: its reliability, about 0.8, puts
        # its correlation with the truth near sqrt(0.8) = 0.9, whatever the estimator.
        listening = sitting.theta_hat[scoring.LISTENING]
        assert np.corrcoef(listening, simulation.theta)[0, 1] >= 0.85


def test_forms_of_different_difficulty_give_the_same_mean_scaled_score(
    simulation: Simulation,
) -> None:
    easy, hard = simulation.sittings
    b_easy = np.concatenate(list(simulation.forms[0].b.values()))
    b_hard = np.concatenate(list(simulation.forms[1].b.values()))
    assert b_hard.mean() - b_easy.mean() > 1.0  # the forms really differ...
    raw_easy = sum(easy.raw.values()).mean()
    raw_hard = sum(hard.raw.values()).mean()
    assert raw_easy - raw_hard > 0.15 * len(b_easy)  # ...and raw counts show it
    assert abs(easy.total.mean() - hard.total.mean()) < 3  # scaled scores do not


def best_possible_agreement(simulation: Simulation, index: int) -> float:
    """Pass/fail agreement of the Bayes rule: the posterior of one theta from every answer
    on the form under the true population, pass when P(truly passes | answers) > 0.5.
    No scoring of these answers can classify better on average."""
    grid = np.linspace(-6, 6, 1201)
    passing = true_pass(simulation.level, grid)
    form, sitting = simulation.forms[index], simulation.sittings[index]
    b = np.concatenate([form.b[g] for g in GROUPS])
    x = np.concatenate([sitting.sheets[g] for g in GROUPS], axis=1).astype(float)
    p = 1.0 / (1.0 + np.exp(b[None, :] - grid[:, None]))
    log_post = x @ np.log(p).T + (1 - x) @ np.log(1 - p).T - 0.5 * grid**2
    weights = np.exp(log_post - log_post.max(axis=1, keepdims=True))
    p_pass = (weights * passing).sum(axis=1) / weights.sum(axis=1)
    return float(((p_pass > 0.5) == true_pass(simulation.level, simulation.theta)).mean())


def test_pass_fail_is_as_right_as_the_answers_allow(simulation: Simulation) -> None:
    truth = true_pass(simulation.level, simulation.theta)
    for index, sitting in enumerate(simulation.sittings):
        agreement = (sitting.passed == truth).mean()
        best = best_possible_agreement(simulation, index)
        assert agreement >= 0.9
        assert agreement >= best - 0.015, (agreement, best)


@pytest.mark.xfail(
    strict=True,
    reason="information bound, not scoring: with abilities ~ N(0, 1) many candidates sit "
    "near the pass mark, and even the Bayes rule on all of a full form's answers agrees "
    "with the truth for only about 92-93% (docs/exam.md, the simulation)",
)
def test_pass_fail_agrees_with_the_truth_for_95_percent(simulation: Simulation) -> None:
    truth = true_pass(simulation.level, simulation.theta)
    for sitting in simulation.sittings:
        assert (sitting.passed == truth).mean() >= 0.95
