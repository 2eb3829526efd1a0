"""The exam load benchmark's harness works: real gunicorn, real exam attempts, a worker
killed with SIGKILL mid-run, and the database checked against every acknowledgement.

A short run on the test database with the two-item sample content: the figures are
`python -m benchmarks.exam_load`'s business; this test checks that the harness counts
right, that nothing acknowledged is lost when a worker dies, and that it would notice.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask
from sqlalchemy import delete, select

from app.content import services as content
from app.extensions import db
from app.models import ExamAnswer
from benchmarks.exam_load import Check, Settings, check, run_benchmark
from tests.content.test_loader import make_tree


def test_every_acknowledged_answer_survives_a_killed_worker(
    app: Flask, migrated_database: str, tmp_path: Path
) -> None:
    bundle = content.check(*make_tree(tmp_path / "content"), study_sets=False)
    settings = Settings(candidates=6, duration=4.0, answer_every=0.1, items_each=2, kill=True)
    # In a thread of its own: the browser tests leave Playwright's event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        outcome = pool.submit(
            run_benchmark, migrated_database, bundle, settings, tmp_path, WEB_CONCURRENCY="2"
        ).result()
    run, result = outcome.run, outcome.check

    assert run.killed_pid is not None
    assert outcome.worker_boots >= 3  # two at start, one to replace the killed worker
    assert len(run.latencies) > 20
    assert run.error_responses == 0
    assert run.given_up == 0
    assert result == Check(
        rows=len(run.acknowledged), lost=0, stale=0, duplicated=0, unacknowledged=0
    )
    with app.app_context():
        stored = db.session.execute(select(ExamAnswer.attempt_id, ExamAnswer.item_id)).all()
        assert {tuple(row) for row in stored} == set(run.acknowledged)

        # The check notices a lost answer: delete one and look again.
        attempt_id, item_id = next(iter(run.acknowledged))
        db.session.execute(
            delete(ExamAnswer).where(
                ExamAnswer.attempt_id == attempt_id, ExamAnswer.item_id == item_id
            )
        )
        db.session.commit()
    assert check(app, outcome.workload, run).lost == 1
