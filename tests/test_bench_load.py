"""The load benchmark's harness works: real gunicorn, real sign-ins, real answers.

A short run on the test database with a one-lesson curriculum: every answer the client
sent came back 201 and is in the database, right and wrong ones alike. The figures
themselves are `python -m benchmarks.load`'s business, not this test's.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app import create_app
from app.content import services as content
from app.extensions import db
from app.models import Response
from benchmarks.load import Settings, answer_load, hashi_environment
from benchmarks.load_server import served
from benchmarks.load_setup import app_settings, new_secret_key, prepare
from tests.content.test_loader import make_tree


def test_the_client_signs_in_and_every_answer_is_stored(
    app: Flask, migrated_database: str, tmp_path: Path
) -> None:
    bundle = content.check(*make_tree(tmp_path / "content"), study_sets=False)
    secret = new_secret_key()
    workload = prepare(create_app(app_settings(migrated_database, secret)), bundle, 3, 1)
    environment = {**hashi_environment(migrated_database, secret), "WEB_CONCURRENCY": "1"}
    settings = Settings(trainees=3, warmup=0.3, duration=1.5, paced=0.5)

    # The client runs in a thread of its own: the browser tests leave Playwright's event
    # loop running in this one.
    with (
        served("wsgi:app", environment, tmp_path, "hashi") as server,
        ThreadPoolExecutor(1) as pool,
    ):
        run = pool.submit(
            lambda: asyncio.run(answer_load(server.url, workload, settings, server.cpu_seconds))
        )
        answers, paced, _rate = run.result()

    assert answers.count > 0
    assert answers.server_cpu > 0  # the workers' CPU was read over the measured window
    assert paced.count > 0
    assert set(answers.statuses) == {"201"}
    assert set(paced.statuses) == {"201"}
    with app.app_context():
        stored = db.session.scalars(select(Response.correct)).all()
    assert len(stored) == workload.history + answers.created_anytime
    assert set(stored) == {True, False}  # the mix reached the checker both ways
