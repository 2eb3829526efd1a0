"""Where the time of one answer (and of one lesson page) goes: cProfile over real
requests through the test client, on a SQLite database prepared as the load benchmark
prepares it, with the production settings, in one process and one thread.

Run: ``.venv/bin/python -m benchmarks.load_profile [--answers 300] [--top 25]``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import tempfile
import time
import uuid
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import create_app
from app.extensions import db
from benchmarks.load_pages import sample_lessons, signed_in_client
from benchmarks.load_setup import (
    Workload,
    app_settings,
    checked_curriculum,
    new_secret_key,
    prepare,
)

META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def practice_queue(client: FlaskClient, workload: Workload) -> tuple[str, list[tuple[int, str]]]:
    plan = workload.lessons[0]
    page = client.get(f"/learn/{plan[0]}/practice").get_data(as_text=True)
    token = META_TOKEN.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the practice page")
    queue: list[tuple[int, str]] = []
    for lesson in plan:
        started = client.post(
            f"/learn/practice/lessons/{lesson}", headers={"X-CSRFToken": token.group(1)}
        )
        body = started.get_json()
        queue += [(body["session_id"], item["id"]) for item in body["items"]]
    return token.group(1), queue


class WriteHold:
    """How long each request keeps the database's write lock: from its first INSERT or
    UPDATE to its COMMIT. On SQLite every other writer waits (and polls) meanwhile."""

    def __init__(self, engine: Engine) -> None:
        self.first_write: float | None = None
        self.held_ms: list[float] = []
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if self.first_write is None and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE"):
            self.first_write = time.perf_counter()

    def _commit(self, _conn: object) -> None:
        if self.first_write is not None:
            self.held_ms.append((time.perf_counter() - self.first_write) * 1000)
        self.first_write = None


def profile_answers(client: FlaskClient, workload: Workload, answers: int) -> cProfile.Profile:
    token, queue = practice_queue(client, workload)
    profiler = cProfile.Profile()
    for n in range(answers):
        session_id, item_id = queue[n % len(queue)]
        sheet = workload.sheet.right if n % 5 < 3 else workload.sheet.wrong
        payload = {"item_id": item_id, "answer": sheet[item_id], "key": uuid.uuid4().hex}
        profiler.enable()
        response = client.post(
            f"/learn/practice/{session_id}/answers", json=payload, headers={"X-CSRFToken": token}
        )
        profiler.disable()
        if response.status_code != 201:
            raise RuntimeError(f"answer answered {response.status_code}")
    return profiler


def profile_lessons(client: FlaskClient, lessons: list[str], rounds: int) -> cProfile.Profile:
    for lesson in lessons:
        client.get(f"/learn/{lesson}")  # the first render of each fills per-process caches
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for lesson in lessons:
            client.get(f"/learn/{lesson}")
    profiler.disable()
    return profiler


def top(profiler: cProfile.Profile, requests: int, limit: int, by: str = "cumulative") -> str:
    """The functions with the most cumulative (or own) time, in ms per request."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    column = 3 if by == "cumulative" else 2
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][column])  # type: ignore[attr-defined]
    lines = [f"  {total / requests * 1000:.2f} ms per request in all; by {by} time:"]
    for (path, line, name), (_cc, calls, own, cumulative, _callers) in rows[:limit]:
        where = path.split("site-packages/")[-1].split("/work/main/")[-1]
        lines.append(
            f"  {cumulative / requests * 1000:8.2f} ms  own {own / requests * 1000:6.2f} ms"
            f"  {calls / requests:7.1f} calls  {where}:{line} {name}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_profile")
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="renders of each lesson")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--by", choices=("cumulative", "own"), default="cumulative")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hashi-profile-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'hashi.sqlite3'}"
        app = create_app(app_settings(url, new_secret_key()))
        workload = prepare(app, checked_curriculum(), trainees=1, lessons_each=6)
        client = signed_in_client(app, workload.emails[0], workload.password)
        with app.app_context():
            hold = WriteHold(db.engine)
        start = time.perf_counter()
        answers = profile_answers(client, workload, args.answers)
        print(f"Answers: {args.answers} in {time.perf_counter() - start:.1f} s (profiled)")
        held = sorted(hold.held_ms[-args.answers :])
        print(
            f"  write lock held per answer (first INSERT/UPDATE to COMMIT, profiled): "
            f"p50 {held[len(held) // 2]:.2f} ms, p95 {held[int(len(held) * 0.95)]:.2f} ms"
        )
        print(top(answers, args.answers, args.top, args.by))
        lessons = sample_lessons(app)
        pages = profile_lessons(client, lessons, args.rounds)
        print(f"Lesson pages: {len(lessons)} lessons x {args.rounds}")
        print(top(pages, len(lessons) * args.rounds, args.top, args.by))


if __name__ == "__main__":
    main()
