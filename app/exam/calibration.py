"""Item calibration: Rasch (1PL) difficulties re-estimated from the answers of finished
exam attempts, with fit statistics and misfit flags (`flask --app wsgi items calibrate`).

Why a small estimator of our own: the one maintained-looking Python IRT package, girth
(0.8.0), has had no release since 2021, brings scipy, and neither anchors a scale nor
takes the holes of a design where each candidate sees a different form. Joint maximum
likelihood (JML) with numpy does, in a few dozen lines that are tested against simulated
answers with known difficulties (tests/test_calibration.py).

The data: every finished attempt (never an active or invalidated one) is one response
vector per score group (language knowledge and reading; listening), since scoring gives
each group its own ability. An item on the attempt's form without an answer counts as
wrong, as scoring counts it. Mock and certification attempts are calibrated apart (their
items, practice and exam, never meet on one form, so one scale cannot link them), and
so are N5 and N4.

The estimate: JML with Newton steps, persons and items with all-right or all-wrong
vectors left out (their estimates are infinite), then Wright's bias correction: item
difficulties times (L - 1) / L, L the mean number of items a person answered.

The scale stays where it was: JML fixes only differences between items, so the new
values are shifted so that the mean difficulty of the items already calibrated stays
what it was (anchoring on their previous calibrated values). On the first run, with no
item calibrated yet, the anchor is the items' authored difficulties (None counts as 0,
as scoring counts it). Only items with at least ``min_responses`` answers get a new value
and count in the anchor; the others keep theirs (they still help estimate abilities).

Fit, per item, from the residuals against the estimated abilities: outfit mean square
(the mean squared standardised residual: sensitive to surprises far from the item's
difficulty, such as lucky guesses) and infit (information-weighted: sensitive to odd
patterns near it). Both are 1 when the data fit the model. An item is flagged when
either falls outside 0.7 to 1.3, the usual range for multiple-choice tests: above 1.3
it measures something else or is noisy (ambiguous key, guessing), below 0.7 it is too
predictable (it duplicates another item or gives away its answer).

Calibration writes ``Item.calibrated_difficulty`` (and ``calibrated_n``,
``calibrated_at``), never the authored ``difficulty`` nor the content files, so a later
`content load` does not overwrite it. It never touches an attempt: a finished attempt
keeps the scores it was given (they are stored with it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import select

from app.exam.blueprint import GROUP_OF_SECTION
from app.extensions import db
from app.models import ExamAnswer, ExamAttempt, Item
from app.models.exams import FINISHED

MIN_RESPONSES = 30
FIT_LOW, FIT_HIGH = 0.7, 1.3
MAX_ITERATIONS = 500
TOLERANCE = 1e-5
MAX_STEP = 1.0  # logits: Newton steps are clipped so a poor start cannot overshoot


@dataclass(frozen=True)
class Responses:
    """Right/wrong answers of persons (rows) to items (columns); NaN: not on the form."""

    item_ids: list[str]
    matrix: np.ndarray  # float, 1.0 right, 0.0 wrong, nan not asked


@dataclass(frozen=True)
class Estimate:
    """A JML solution: item difficulties (mean 0 over the estimated items) and person
    abilities; NaN for the items and persons that could not be estimated."""

    difficulty: np.ndarray
    ability: np.ndarray
    infit: np.ndarray
    outfit: np.ndarray
    n: np.ndarray  # answers per item (all persons, extreme ones included)
    iterations: int


@dataclass(frozen=True)
class ItemReport:
    item_id: str
    level: str
    kind: str
    group: str
    old: float | None  # the difficulty scoring used before (calibrated, else authored)
    new: float | None  # None: not estimable (everyone right, or everyone wrong)
    n: int
    infit: float | None
    outfit: float | None
    updated: bool  # whether the new value is (or, in a dry run, would be) written
    flags: tuple[str, ...] = ()


@dataclass
class CalibrationReport:
    items: list[ItemReport] = field(default_factory=list)
    attempts: int = 0
    min_responses: int = MIN_RESPONSES
    dry_run: bool = False

    @property
    def updated(self) -> int:
        return sum(1 for r in self.items if r.updated)

    @property
    def kept(self) -> int:
        return len(self.items) - self.updated

    @property
    def misfitting(self) -> int:
        return sum(1 for r in self.items if r.flags)


# ---- the estimator (pure numpy) ---------------------------------------------------------


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _estimable(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the persons and items whose JML estimates are finite: drop all-right and
    all-wrong rows and columns until none is left (dropping one can make another extreme)."""
    asked = ~np.isnan(x)
    right = np.nan_to_num(x)
    persons = asked.any(axis=1)
    items = asked.any(axis=0)
    while True:
        a = asked & persons[:, None] & items[None, :]
        r = right * a
        p_n, p_r = a.sum(axis=1), r.sum(axis=1)
        i_n, i_r = a.sum(axis=0), r.sum(axis=0)
        new_persons = persons & (p_r > 0) & (p_r < p_n)
        new_items = items & (i_r > 0) & (i_r < i_n)
        if (new_persons == persons).all() and (new_items == items).all():
            return persons, items
        persons, items = new_persons, new_items


def jml(x: np.ndarray) -> Estimate:
    """Rasch difficulties and abilities by joint maximum likelihood, with Wright's
    (L - 1) / L correction of the difficulties; see the module docstring."""
    x = np.asarray(x, dtype=float)
    asked_all = ~np.isnan(x)
    n_all = asked_all.sum(axis=0)
    persons, items = _estimable(x)
    b = np.full(x.shape[1], np.nan)
    theta = np.full(x.shape[0], np.nan)
    nan_items = np.full(x.shape[1], np.nan)
    if persons.sum() < 2 or items.sum() < 2:
        return Estimate(b, theta, nan_items, nan_items.copy(), n_all, 0)
    sub = x[np.ix_(persons, items)]
    asked = ~np.isnan(sub)
    right = np.nan_to_num(sub)
    person_right, person_n = right.sum(axis=1), asked.sum(axis=1)
    item_right, item_n = right.sum(axis=0), asked.sum(axis=0)
    t = np.log(person_right / (person_n - person_right))
    d = -np.log(item_right / (item_n - item_right))
    d -= d.mean()
    iterations = 0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        p = _logistic(t[:, None] - d[None, :]) * asked
        info = p * (1 - p)
        step_t = np.clip((person_right - p.sum(axis=1)) / info.sum(axis=1), -MAX_STEP, MAX_STEP)
        t += step_t
        p = _logistic(t[:, None] - d[None, :]) * asked
        info = p * (1 - p)
        step_d = np.clip((p.sum(axis=0) - item_right) / info.sum(axis=0), -MAX_STEP, MAX_STEP)
        d += step_d
        d -= d.mean()  # JML fixes only differences: keep the items centred
        if max(np.abs(step_t).max(), np.abs(step_d).max()) < TOLERANCE:
            break
    # Fit against the solution itself, before the correction of the difficulties.
    p = _logistic(t[:, None] - d[None, :])
    variance = p * (1 - p)
    residual = np.where(asked, right - p, 0.0)
    z2 = np.where(asked, residual**2 / variance, 0.0)
    outfit = z2.sum(axis=0) / item_n
    infit = (residual**2).sum(axis=0) / np.where(asked, variance, 0.0).sum(axis=0)
    length = person_n.mean()
    b[items], theta[persons] = d * (length - 1) / length, t
    infit_all, outfit_all = nan_items.copy(), nan_items.copy()
    infit_all[items], outfit_all[items] = infit, outfit
    return Estimate(b, theta, infit_all, outfit_all, n_all, iterations)


def anchor_shift(
    new: np.ndarray, previous: Sequence[float | None], calibrated: np.ndarray
) -> float:
    """What to add to ``new`` so the mean of the anchor items stays where it was: the items
    already calibrated when there are any, else all of them at their authored values
    (None counting as 0). ``new`` holds only items that will be written."""
    old = np.array([0.0 if v is None else v for v in previous])
    anchor = calibrated if calibrated.any() else np.ones(len(new), dtype=bool)
    if not anchor.any():
        return 0.0
    return float(old[anchor].mean() - new[anchor].mean())


def misfit_flags(infit: float | None, outfit: float | None) -> tuple[str, ...]:
    flags = []
    for name, value in (("infit", infit), ("outfit", outfit)):
        if value is None:
            continue
        if value > FIT_HIGH:
            flags.append(f"{name} high")
        elif value < FIT_LOW:
            flags.append(f"{name} low")
    return tuple(flags)


# ---- the database -----------------------------------------------------------------------


def collect(level: str | None = None) -> dict[tuple[str, str, str], Responses]:
    """The response matrices of finished attempts, per (level, kind, score group)."""
    query = select(ExamAttempt).where(ExamAttempt.status == FINISHED)
    if level is not None:
        query = query.where(ExamAttempt.level == level)
    attempts = db.session.scalars(query.order_by(ExamAttempt.id)).all()
    right: dict[int, set[str]] = defaultdict(set)
    ids = [a.id for a in attempts]
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = db.session.execute(
            select(ExamAnswer.attempt_id, ExamAnswer.item_id).where(
                ExamAnswer.attempt_id.in_(ids[start : start + 500]), ExamAnswer.correct
            )
        )
        for attempt_id, item_id in rows:
            right[attempt_id].add(item_id)
    vectors: dict[tuple[str, str, str], list[dict[str, float]]] = defaultdict(list)
    for attempt in attempts:
        per_group: dict[str, dict[str, float]] = defaultdict(dict)
        for section in attempt.form:
            group = GROUP_OF_SECTION[section["id"]]
            for part in section["parts"]:
                for item_id in part["items"]:
                    per_group[group][item_id] = float(item_id in right[attempt.id])
        for group, answers in per_group.items():
            vectors[(attempt.level, attempt.kind, group)].append(answers)
    return {key: _matrix(rows) for key, rows in vectors.items()}


def _matrix(rows: Iterable[dict[str, float]]) -> Responses:
    rows = list(rows)
    item_ids = sorted({item_id for row in rows for item_id in row})
    column = {item_id: n for n, item_id in enumerate(item_ids)}
    matrix = np.full((len(rows), len(item_ids)), np.nan)
    for r, row in enumerate(rows):
        for item_id, value in row.items():
            matrix[r, column[item_id]] = value
    return Responses(item_ids, matrix)


def calibrate(
    *,
    level: str | None = None,
    min_responses: int = MIN_RESPONSES,
    dry_run: bool = False,
    now: datetime,
) -> CalibrationReport:
    """Estimate, report and (unless ``dry_run``) write calibrated difficulties. Flushes;
    the caller commits."""
    report = CalibrationReport(min_responses=min_responses, dry_run=dry_run)
    report.attempts = len(
        db.session.scalars(
            select(ExamAttempt.id).where(
                ExamAttempt.status == FINISHED,
                *([ExamAttempt.level == level] if level is not None else []),
            )
        ).all()
    )
    for (lvl, kind, group), data in sorted(collect(level).items()):
        items = {
            item.id: item
            for item in db.session.scalars(select(Item).where(Item.id.in_(data.item_ids)))
        }
        estimate = jml(data.matrix)
        writable = np.array(
            [
                not np.isnan(estimate.difficulty[k]) and estimate.n[k] >= min_responses
                for k in range(len(data.item_ids))
            ],
            dtype=bool,
        )
        previous = [items[i].scale_difficulty for i in data.item_ids]
        calibrated = np.array([items[i].calibrated_difficulty is not None for i in data.item_ids])
        shift = anchor_shift(
            estimate.difficulty[writable],
            [v for v, w in zip(previous, writable, strict=True) if w],
            calibrated[writable],
        )
        for k, item_id in enumerate(data.item_ids):
            item = items[item_id]
            new = estimate.difficulty[k]
            infit = None if np.isnan(estimate.infit[k]) else round(float(estimate.infit[k]), 3)
            outfit = None if np.isnan(estimate.outfit[k]) else round(float(estimate.outfit[k]), 3)
            value = None if np.isnan(new) else round(float(new + shift), 4)
            report.items.append(
                ItemReport(
                    item_id=item_id,
                    level=lvl,
                    kind=kind,
                    group=group,
                    old=previous[k],
                    new=value,
                    n=int(estimate.n[k]),
                    infit=infit,
                    outfit=outfit,
                    updated=bool(writable[k]),
                    flags=misfit_flags(infit, outfit),
                )
            )
            if writable[k] and not dry_run:
                item.calibrated_difficulty = value
                item.calibrated_n = int(estimate.n[k])
                item.calibrated_at = now
    if not dry_run:
        db.session.flush()
    return report
