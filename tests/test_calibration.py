"""Item calibration (app/exam/calibration.py, `flask items calibrate`): the JML estimator
recovers known difficulties, flags misfitting items, keeps the scale where it was, reads
only finished attempts from the database, never changes a finished attempt's scores, and
is not undone by `content load`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.content import services as content_services
from app.exam import attempts, calibration
from app.extensions import db
from app.models import ExamAnswer, ExamAttempt, Item, User
from app.models.exams import ACTIVE, FINISHED, INVALIDATED
from tests.content.test_loader import ITEMS, make_tree

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def rasch_answers(rng: np.random.Generator, theta: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Right (1.0) or wrong (0.0) per person and item, drawn from the Rasch model."""
    p = 1.0 / (1.0 + np.exp(b[None, :] - theta[:, None]))
    return (rng.random(p.shape) < p).astype(float)


# ---- the estimator alone ----------------------------------------------------------------


def test_jml_recovers_known_difficulties_with_holes_in_the_design() -> None:
    rng = np.random.default_rng(7)
    b = np.linspace(-2, 2, 40)
    x = rasch_answers(rng, rng.normal(0, 1, 600), b)
    x[:300, 30:] = np.nan  # two forms sharing items 10-29
    x[300:, :10] = np.nan
    estimate = calibration.jml(x)
    error = estimate.difficulty - (b - b.mean())
    assert np.sqrt(np.mean(error**2)) < 0.15
    assert np.abs(error).max() < 0.45
    assert list(estimate.n) == [300] * 10 + [600] * 20 + [300] * 10
    assert np.nanmean(estimate.infit) == pytest.approx(1.0, abs=0.05)
    assert np.nanmean(estimate.outfit) == pytest.approx(1.0, abs=0.1)


def test_without_the_correction_jml_would_spread_the_difficulties() -> None:
    """Wright's (L - 1) / L shrinks JML's known outward bias on short tests."""
    rng = np.random.default_rng(3)
    b = np.linspace(-1.5, 1.5, 10)
    estimates = [calibration.jml(rasch_answers(rng, rng.normal(0, 1, 2000), b)) for _ in range(3)]
    spread = np.mean([np.std(e.difficulty) for e in estimates])
    assert spread == pytest.approx(np.std(b), rel=0.06)


def test_misfitting_items_are_flagged() -> None:
    rng = np.random.default_rng(11)
    theta = rng.normal(0, 1, 800)
    b = np.linspace(-1.5, 1.5, 20)
    x = rasch_answers(rng, theta, b)
    x[:, 0] = (rng.random(800) < 0.5).astype(float)  # a guess: unrelated to ability
    x[:, 1] = (theta > 0).astype(float)  # deterministic: too predictable for the model
    estimate = calibration.jml(x)
    flags = [
        calibration.misfit_flags(i, o) for i, o in zip(estimate.infit, estimate.outfit, strict=True)
    ]
    assert "infit high" in flags[0]
    assert "outfit high" in flags[0]
    assert "infit low" in flags[1]
    assert sum(1 for f in flags[2:] if f) <= 1  # Rasch items fit (one chance flag at most)


def test_extreme_persons_and_items_are_left_out() -> None:
    x = np.array([[1, 1, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 0, 0], [1, 1, 0, 1]], float)
    x = np.column_stack([x, np.ones(5)])  # everyone right: no finite difficulty
    estimate = calibration.jml(x)
    assert np.isnan(estimate.difficulty[4])
    assert np.isnan(estimate.ability[0])
    assert np.isnan(estimate.ability[3])
    assert not np.isnan(estimate.difficulty[:4]).any()
    assert estimate.n[4] == 5


def test_too_little_data_estimates_nothing() -> None:
    estimate = calibration.jml(np.array([[1.0, 0.0]]))
    assert np.isnan(estimate.difficulty).all()


def test_the_anchor_keeps_the_mean_of_the_calibrated_items() -> None:
    new = np.array([-1.0, 0.0, 1.0, 2.0])
    previous = [0.5, 1.5, None, 0.0]
    calibrated = np.array([True, True, False, False])
    shift = calibration.anchor_shift(new, previous, calibrated)
    assert (new + shift)[calibrated].mean() == pytest.approx(1.0)  # (0.5 + 1.5) / 2
    # None calibrated yet: all items at their authored values, None counting as 0.
    first = calibration.anchor_shift(new, previous, np.zeros(4, dtype=bool))
    assert (new + first).mean() == pytest.approx(0.5)


# ---- from the database ------------------------------------------------------------------


def add_items(b: np.ndarray, *, authored: list[float | None] | None = None) -> list[str]:
    ids = []
    for n, value in enumerate(b):
        item_id = f"cal-{n:03d}"
        section = "vocabulary" if n % 2 else "grammar-reading"
        db.session.add(
            Item(
                id=item_id, type="choice", level="N5", section=section, use="exam", form=None,
                lesson_id=None, data={"id": item_id, "true_b": float(value)},
                difficulty=None if authored is None else authored[n],
                source_path="question_bank/N5/exam/calibration.yaml", position=n + 1,
                content_hash=f"{n:064d}",
            )
        )  # fmt: skip
        ids.append(item_id)
    db.session.flush()
    return ids


def form_of(item_ids: list[str]) -> list[dict]:
    vocabulary = [i for n, i in enumerate(item_ids) if int(i[-3:]) % 2]
    grammar = [i for i in item_ids if i not in vocabulary]
    return [
        {"id": "vocabulary", "minutes": 20, "parts": [{"skill": "x", "items": vocabulary}]},
        {"id": "grammar-reading", "minutes": 40, "parts": [{"skill": "y", "items": grammar}]},
        {"id": "listening", "minutes": 30, "parts": [{"skill": "task", "items": []}]},
    ]


def add_attempt(user_id: int, item_ids: list[str], right: np.ndarray, status: str) -> None:
    """A stored attempt: a right answer is a row marked correct; half the wrong ones are
    rows marked wrong, the other half left unanswered (scoring counts both as wrong)."""
    attempt = ExamAttempt(
        user_id=user_id, level="N5", kind="certification", status=status, seed=0,
        form=form_of(item_ids), section_index=2, section_log=[], finished_at=NOW,
        scores={"total": 0}, passed=False,
    )  # fmt: skip
    db.session.add(attempt)
    db.session.flush()
    for n, (item_id, value) in enumerate(zip(item_ids, right, strict=True)):
        if value or n % 2:
            section = "vocabulary" if int(item_id[-3:]) % 2 else "grammar-reading"
            db.session.add(
                ExamAnswer(
                    attempt_id=attempt.id, item_id=item_id, section=section, answer="x",
                    correct=bool(value),
                )
            )  # fmt: skip


@pytest.fixture
def calibration_data(app: Flask, make_user: Callable[..., User]) -> np.ndarray:
    """300 finished attempts at 40 items of known difficulty (two overlapping forms of 30),
    plus invalidated and active attempts that calibration must ignore."""
    users = [make_user() for _ in range(4)]
    rng = np.random.default_rng(2026)
    b = rng.normal(0, 1, 40)
    b -= b.mean()
    x = rasch_answers(rng, rng.normal(0, 1, 300), b)
    with app.app_context():
        ids = add_items(b)
        for person in range(300):
            columns = range(30) if person % 2 else range(10, 40)
            add_attempt(
                users[person % 3].id, [ids[c] for c in columns], x[person, list(columns)], FINISHED
            )
        for _ in range(40):  # all right on the hardest items: would pull them down
            add_attempt(users[0].id, ids, np.ones(40), INVALIDATED)
        add_attempt(users[3].id, ids, np.ones(40), ACTIVE)
        db.session.commit()
    return b


def test_collect_reads_finished_attempts_per_score_group(
    app: Flask, calibration_data: np.ndarray
) -> None:
    with app.app_context():
        data = calibration.collect()
    assert set(data) == {("N5", "certification", "knowledge-reading")}
    matrix = data[("N5", "certification", "knowledge-reading")].matrix
    assert matrix.shape == (300, 40)
    assert (~np.isnan(matrix)).sum() == 300 * 30


def test_calibration_recovers_known_difficulties_from_stored_attempts(
    app: Flask, calibration_data: np.ndarray
) -> None:
    with app.app_context():
        report = calibration.calibrate(now=NOW)
        db.session.commit()
        items = db.session.scalars(select(Item).order_by(Item.id)).all()
        estimated = np.array([item.calibrated_difficulty for item in items])
        assert {item.calibrated_n for item in items} == {150, 300}
        assert {item.calibrated_at for item in items} == {NOW}
        assert [item.difficulty for item in items] == [None] * 40  # the authored value stays
    truth = calibration_data
    # No item was calibrated before, and none has an authored difficulty (None counts as
    # 0): the new scale is anchored at mean 0, where the true values are.
    assert estimated.mean() == pytest.approx(0.0, abs=1e-3)
    assert np.sqrt(np.mean((estimated - truth) ** 2)) < 0.25
    assert np.abs(estimated - truth).max() < 0.7
    assert np.corrcoef(estimated, truth)[0, 1] > 0.95
    assert report.updated == 40
    assert report.attempts == 300


def test_a_second_calibration_keeps_the_scale_and_low_counts_keep_their_value(
    app: Flask, calibration_data: np.ndarray
) -> None:
    with app.app_context():
        calibration.calibrate(now=NOW)
        db.session.flush()
        before = {i.id: i.calibrated_difficulty for i in db.session.scalars(select(Item))}
        # Move the calibrated scale by +1: a recalibration must keep its mean there.
        for item in db.session.scalars(select(Item)):
            item.calibrated_difficulty += 1.0
        later = NOW + timedelta(days=30)
        report = calibration.calibrate(now=later, min_responses=200)
        after = {i.id: i for i in db.session.scalars(select(Item))}
    updated = [r.item_id for r in report.items if r.updated]
    kept = [r.item_id for r in report.items if not r.updated]
    assert len(updated) == 20  # the items on both forms: 300 answers each
    assert len(kept) == 20  # 150 answers each: fewer than 200
    for item_id in kept:
        assert after[item_id].calibrated_difficulty == pytest.approx(before[item_id] + 1.0)
        assert after[item_id].calibrated_at == NOW
    mean_before = np.mean([before[i] + 1.0 for i in updated])
    mean_after = np.mean([after[i].calibrated_difficulty for i in updated])
    assert mean_after == pytest.approx(mean_before, abs=1e-3)
    assert {after[i].calibrated_at for i in updated} == {later}


def test_a_dry_run_changes_nothing(app: Flask, calibration_data: np.ndarray) -> None:
    with app.app_context():
        report = calibration.calibrate(now=NOW, dry_run=True)
        db.session.commit()
        assert report.updated == 40
        assert all(r.new is not None for r in report.items)
        stored = db.session.scalars(select(Item.calibrated_difficulty)).all()
    assert stored == [None] * 40


def test_the_cli_reports_and_writes(
    app: Flask, runner: FlaskCliRunner, calibration_data: np.ndarray
) -> None:
    dry = runner.invoke(args=["items", "calibrate", "--dry-run", "--level", "N5"])
    assert dry.exit_code == 0, dry.output
    assert "300 finished attempts; 40 items answered: 40 would be updated" in dry.output
    assert "Dry run: nothing was changed." in dry.output
    assert "cal-000" in dry.output
    with app.app_context():
        assert db.session.scalar(select(Item.calibrated_difficulty).limit(1)) is None
    done = runner.invoke(args=["items", "calibrate", "--min-responses", "200"])
    assert done.exit_code == 0, done.output
    assert "20 updated, 20 kept" in done.output
    with app.app_context():
        assert len(db.session.scalars(select(Item).where(Item.calibrated_n == 300)).all()) == 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--min-responses", "0"], "0 is not in the range x>=2"),
        (["--min-responses", "many"], "'many' is not a valid integer"),
        (["--level", "N3"], "'N3' is not one of 'N5', 'N4'"),
    ],
)
def test_bad_options_are_refused(runner: FlaskCliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(args=["items", "calibrate", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_nothing_to_calibrate(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["items", "calibrate"])
    assert result.exit_code == 0, result.output
    assert "0 finished attempts; 0 items answered" in result.output


# ---- finished attempts keep their scores; scoring uses the calibrated value -------------


def test_calibration_never_changes_a_finished_attempts_scores(
    app: Flask, make_user: Callable[..., User], calibration_data: np.ndarray
) -> None:
    user = make_user()
    with app.app_context():
        ids = [f"cal-{n:03d}" for n in range(10)]
        attempt = ExamAttempt(
            user_id=user.id, level="N5", kind="certification", status=ACTIVE, seed=0,
            form=form_of(ids), section_index=2, section_log=[], section_started_at=NOW,
            section_deadline=NOW + timedelta(minutes=30),
        )  # fmt: skip
        db.session.add(attempt)
        db.session.flush()
        for item_id in ids[:6]:
            section = "vocabulary" if int(item_id[-3:]) % 2 else "grammar-reading"
            db.session.add(
                ExamAnswer(
                    attempt_id=attempt.id, item_id=item_id, section=section, answer="x",
                    correct=True,
                )
            )  # fmt: skip
        # The real service scores it, with every difficulty at 0 (None) as authored.
        attempts.submit_section(db.session.get(User, user.id), attempt.id, 2, NOW)
        db.session.commit()
        attempt_id, scores, passed = attempt.id, attempt.scores, attempt.passed
        assert attempt.status == FINISHED

        calibration.calibrate(now=NOW + timedelta(days=1))
        db.session.commit()
        db.session.expire_all()
        again = db.session.get(ExamAttempt, attempt_id)
        assert again.scores == scores
        assert again.passed == passed
        # The calibrated values are what the next scoring will use.
        b = db.session.scalar(select(Item.scale_difficulty).where(Item.id == "cal-000"))
        assert b == db.session.get(Item, "cal-000").calibrated_difficulty
        assert b is not None
        assert b != 0.0


# ---- content load and calibration keep out of each other's way ---------------------------


def test_content_load_does_not_overwrite_a_calibrated_difficulty(
    app: Flask, tmp_path: Path
) -> None:
    authored = ITEMS.replace("  answer: は\n", "  answer: は\n  difficulty: 0.5\n")
    lessons, bank = make_tree(tmp_path / "one", items=authored)
    yaml_file = bank / "N5" / "grammar" / "wa-desu.yaml"
    with app.app_context():
        content_services.load(content_services.check(lessons, bank, study_sets=False))
        item = db.session.get(Item, "n5-wa-desu-001")
        assert item.scale_difficulty == 0.5
        item.calibrated_difficulty, item.calibrated_n, item.calibrated_at = 1.25, 80, NOW
        db.session.commit()
        assert yaml_file.read_text(encoding="utf-8") == authored  # the files are not edited

        changed = authored.replace("difficulty: 0.5", "difficulty: 0.75")
        lessons, bank = make_tree(tmp_path / "two", items=changed)
        content_services.load(content_services.check(lessons, bank, study_sets=False))
        db.session.commit()
        db.session.expire_all()
        item = db.session.get(Item, "n5-wa-desu-001")
        assert item.difficulty == 0.75  # the authored value follows the files
        assert item.calibrated_difficulty == 1.25  # the calibrated one is kept
        assert item.calibrated_n == 80
        assert item.scale_difficulty == 1.25  # and preferred
        other = db.session.get(Item, "n5-wa-desu-002")
        assert other.scale_difficulty is None  # neither: scoring counts it as 0
