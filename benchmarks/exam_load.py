"""Exam load benchmark: 500 candidates answering at once, one gunicorn worker killed.

A fresh PostgreSQL database (created here, dropped afterwards), migrated and loaded with
the curriculum; 500 trainees, each with an active exam attempt whose open section holds
12 items of the bank (written straight into the database: the form is what the mock
start endpoint would store, with the item versions it was shown). Hashi runs under
gunicorn with the project's gunicorn.conf.py and production settings on 127.0.0.1.

Every candidate posts answers to ``POST /exam/attempts/<id>/answers`` (the endpoint
certification uses too) at random (Poisson) moments, on average one every 10 seconds
(six times the JLPT's pace), one request at a time, changing
earlier answers as candidates do. Halfway through, one worker is killed with SIGKILL.
A request that gets no answer (its connection was reset) or a 5xx is sent again, as the
exam page does: saving is idempotent. Afterwards the database is checked: every answer
acknowledged with a 2xx is stored exactly once, with the value acknowledged last.

Candidates are signed in by minting their session cookies and CSRF tokens with the
app's own secret (as a sign-in would set them): 500 Argon2 sign-ins would take most of
the run, and signing in is not what is measured here (benchmarks/load.py measures it).

Run alone: ``.venv/bin/python -m benchmarks.exam_load`` (``--help`` for the settings).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from flask import Flask, session
from flask_login import login_user
from flask_migrate import upgrade
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from app import create_app
from app.accounts.passwords import passwords
from app.authoring import versions
from app.content import services as content
from app.content.bundle import Bundle
from app.exam.blueprint import GROUP_OF_SECTION
from app.extensions import db
from app.models import Centre, ExamAnswer, ExamAttempt, Item, Role, User
from app.models._columns import utcnow
from app.questions import registry
from benchmarks.load import hashi_environment
from benchmarks.load_client import Browser
from benchmarks.load_server import Server, served
from benchmarks.load_setup import (
    PASSWORD,
    AnswerSheet,
    app_settings,
    checked_curriculum,
    fresh_database,
    new_secret_key,
    postgres_available,
    right_and_wrong,
)

CANDIDATES = 500
P99_TARGET_MS = 200
AFTER_KILL = 5.0  # seconds after the kill reported apart (the replacement worker warms up)
RETRIES = 8
RETRY_PAUSE = 0.25  # seconds before sending an unacknowledged answer again
USER_AGENT = "hashi-exam-load"
LISTENING_MASTER = re.compile(r"Listening at: \S+ \((\d+)\)")


@dataclass
class Settings:
    candidates: int = CANDIDATES
    duration: float = 40.0  # seconds of answering
    # Mean seconds between one candidate's answers. The JLPT's pace is about one answer a
    # minute (N5: 67 questions in 90 minutes); 10 s is six times that, so 500 candidates
    # offer about 50 answers a second, the rate of 3,000 candidates sitting at once.
    answer_every: float = 10.0
    items_each: int = 12  # items in each candidate's open section
    kill: bool = True  # SIGKILL one worker at half time


@dataclass(frozen=True)
class Sitter:
    """A candidate as the client knows them: attempt, items, signed-in cookie."""

    number: int
    attempt_id: int
    items: list[str]
    cookie: str
    csrf: str


@dataclass(frozen=True)
class ExamWorkload:
    database_url: str
    sitters: list[Sitter]
    sheet: AnswerSheet
    cookie_name: str


@dataclass
class Run:
    """What the client saw: the latency of every acknowledged save, every status, and the
    value acknowledged last per (attempt, item)."""

    latencies: list[float] = field(default_factory=list)  # request that was acknowledged
    sent_at: list[float] = field(default_factory=list)  # its send time (perf_counter)
    with_retries: list[float] = field(default_factory=list)  # first send to acknowledgement
    statuses: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[tuple[int, str], Any] = field(default_factory=dict)
    sent: int = 0  # answers the candidates gave (not counting retries)
    retried: int = 0  # answers sent again at least once
    given_up: int = 0  # answers never acknowledged after every retry
    samples: dict[str, str] = field(default_factory=dict)  # a body per error status
    killed_pid: int | None = None
    killed_at: float | None = None  # seconds after the start
    started: float = 0.0  # perf_counter at the start
    client_cpu: float = 0.0  # share of one core the client itself used (same machine)
    seconds: float = 0.0

    def percentile_ms(self, values: list[float], p: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def after_kill(self, seconds: float) -> tuple[list[float], list[float]]:
        """Latencies of requests sent within ``seconds`` after the kill, and of the rest."""
        if self.killed_at is None:
            return [], self.latencies
        start = self.started + self.killed_at
        near = [start <= t < start + seconds for t in self.sent_at]
        return (
            [v for v, n in zip(self.latencies, near, strict=True) if n],
            [v for v, n in zip(self.latencies, near, strict=True) if not n],
        )

    @property
    def error_responses(self) -> int:
        """HTTP answers other than 200 (connection resets are counted apart)."""
        return sum(n for status, n in self.statuses.items() if status.isdigit() and status != "200")

    @property
    def resets(self) -> int:
        return sum(n for status, n in self.statuses.items() if not status.isdigit())


@dataclass(frozen=True)
class Check:
    """The database against what the client was told."""

    rows: int
    lost: int  # acknowledged, not stored
    stale: int  # stored with another value than the one acknowledged last
    duplicated: int  # (attempt, item) pairs stored more than once
    unacknowledged: int  # stored though never acknowledged (a reply lost with its worker)


# ---- setting up -------------------------------------------------------------------------


def exam_items(level: str, limit: int) -> list[Item]:
    """Items of the language-knowledge sections (no audio), in a stable order."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.level == level,
                Item.retired_at.is_(None),
                Item.section.in_(["vocabulary", "grammar-reading"]),
                Item.type != "listening",
            )
            .order_by(Item.id)
            .limit(limit)
        )
    )


def prepare(app: Flask, bundle: Bundle | None, settings: Settings, seed: int = 1) -> ExamWorkload:
    """Migrate, load ``bundle`` (if any), create the candidates and their active attempts,
    and mint each a signed-in session."""
    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        if bundle is not None:
            content.load(bundle)
        items = exam_items("N5", 400)
        if not items:
            raise RuntimeError("no N5 items without audio to answer")
        sheet = AnswerSheet()
        for item in items:
            qtype = registry.get(item.type)
            right, wrong = right_and_wrong(qtype, qtype.model.model_validate(item.data))
            sheet.right[item.id], sheet.wrong[item.id] = right, wrong
            sheet.types[item.id] = item.type
        centre = Centre(name="Exam load benchmark centre", city="Lahore")
        db.session.add(centre)
        db.session.flush()
        hashed = passwords().hash(PASSWORD)  # never used to sign in; an account needs one
        users = [
            User(email=f"candidate-{n:04d}@exam-load.example.org", name=f"Candidate {n}",
                 role=Role.TRAINEE, centre_id=centre.id, password_hash=hashed)
            for n in range(settings.candidates)
        ]  # fmt: skip
        db.session.add_all(users)
        db.session.flush()
        now = utcnow()
        attempts = []
        ids = [item.id for item in items]
        live = versions.live_versions(ids)
        for user in users:
            chosen = rng.sample(ids, min(settings.items_each, len(ids)))
            section = db.session.get(Item, chosen[0]).section  # type: ignore[union-attr]
            assert section in GROUP_OF_SECTION
            attempt = ExamAttempt(
                user_id=user.id, level="N5", kind="mock", seed=rng.randrange(2**31),
                form=[{"id": section, "minutes": 60,
                       "parts": [{"skill": "benchmark", "items": chosen}]}],
                item_versions={i: live[i] for i in chosen}, section_index=0,
                section_started_at=now, section_deadline=now + timedelta(minutes=60),
                section_log=[],
            )  # fmt: skip
            attempts.append(attempt)
        db.session.add_all(attempts)
        db.session.commit()
        sitters = [
            Sitter(n, attempt.id, attempt.form[0]["parts"][0]["items"], *_signed_in(app, user, n))
            for n, (user, attempt) in enumerate(zip(users, attempts, strict=True))
        ]
        cookie_name = app.config["SESSION_COOKIE_NAME"]
        db.session.remove()
        db.engine.dispose()
    return ExamWorkload(app.config["SQLALCHEMY_DATABASE_URI"], sitters, sheet, cookie_name)


def _signed_in(app: Flask, user: User, number: int) -> tuple[str, str]:
    """The session cookie and CSRF token a sign-in from this candidate's address gives."""
    address = Browser("http://unused", number).address
    # A new application context each: Flask-WTF keeps the token it made in ``g``.
    with (
        app.app_context(),
        app.test_request_context(
            "/", environ_base={"REMOTE_ADDR": address}, headers={"User-Agent": USER_AGENT}
        ),
    ):
        login_user(user)
        token = generate_csrf()
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        return serializer.dumps(dict(session)), token


# ---- the run ------------------------------------------------------------------------------


def worker_pids(server: Server) -> list[int]:
    """The master's children now (the master's pid is in its log)."""
    found = LISTENING_MASTER.search(server.log.read_text(errors="replace"))
    if found is None:
        raise RuntimeError("gunicorn's log does not say the master's pid")
    master = found.group(1)
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


async def save(browser: Browser, sitter: Sitter, item_id: str, value: Any, run: Run) -> None:
    """Send one answer until it is acknowledged (as the exam page retries), at most
    ``RETRIES`` more times."""
    path = f"/exam/attempts/{sitter.attempt_id}/answers"
    first = time.perf_counter()
    run.sent += 1
    for attempt in range(RETRIES + 1):
        if attempt:
            run.retried += attempt == 1
            await asyncio.sleep(RETRY_PAUSE)
        sent = time.perf_counter()
        try:
            response = await browser.request(
                "POST", path, json={"item_id": item_id, "answer": value}
            )
        except httpx.TransportError as error:
            run.statuses[type(error).__name__] += 1
            continue
        run.statuses[str(response.status_code)] += 1
        if response.status_code != 200:
            run.samples.setdefault(str(response.status_code), response.text[:300])
        if response.status_code == 200:
            done = time.perf_counter()
            run.latencies.append(done - sent)
            run.sent_at.append(sent)
            run.with_retries.append(done - first)
            run.acknowledged[(sitter.attempt_id, item_id)] = value
            return
        if response.status_code < 500:
            return  # refused: sending it again would be refused again
    run.given_up += 1


def signed_in_browser(url: str, sitter: Sitter, cookie_name: str) -> Browser:
    """The candidate's connection with their session. Made before the clock starts: an
    httpx client builds its TLS context when created, some milliseconds of CPU each."""
    browser = Browser(url, sitter.number)
    browser.cookies[cookie_name] = sitter.cookie
    browser.csrf = sitter.csrf
    browser.client.headers["User-Agent"] = USER_AGENT
    return browser


async def candidate(
    browser: Browser, sitter: Sitter, sheet: AnswerSheet, settings: Settings, run: Run, end: float
) -> None:
    """One candidate: an answer at random moments (a Poisson process) until ``end``."""
    rng = random.Random(sitter.number)
    await asyncio.sleep(rng.uniform(0, min(settings.answer_every, settings.duration)))
    while time.perf_counter() < end:
        item_id = rng.choice(sitter.items)
        value = (sheet.right if rng.random() < 0.6 else sheet.wrong)[item_id]
        await save(browser, sitter, item_id, value, run)
        pause = rng.expovariate(1 / settings.answer_every)
        await asyncio.sleep(min(pause, max(0.0, end - time.perf_counter())))


async def exam_load(server: Server, workload: ExamWorkload, settings: Settings) -> Run:
    run = Run(seconds=settings.duration)
    browsers = [signed_in_browser(server.url, s, workload.cookie_name) for s in workload.sitters]
    start = run.started = time.perf_counter()
    cpu = time.process_time()
    end = start + settings.duration

    async def kill_one() -> None:
        await asyncio.sleep(settings.duration / 2)
        pid = worker_pids(server)[0]
        os.kill(pid, signal.SIGKILL)
        run.killed_pid, run.killed_at = pid, time.perf_counter() - start

    tasks = [
        candidate(b, s, workload.sheet, settings, run, end)
        for b, s in zip(browsers, workload.sitters, strict=True)
    ]
    if settings.kill:
        tasks.append(kill_one())
    try:
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(b.close() for b in browsers))
    run.seconds = time.perf_counter() - start
    run.client_cpu = (time.process_time() - cpu) / run.seconds
    return run


def check(app: Flask, workload: ExamWorkload, run: Run) -> Check:
    attempt_ids = [s.attempt_id for s in workload.sitters]
    with app.app_context():
        rows = db.session.execute(
            select(ExamAnswer.attempt_id, ExamAnswer.item_id, ExamAnswer.answer).where(
                ExamAnswer.attempt_id.in_(attempt_ids)
            )
        ).all()
        duplicated = db.session.scalar(
            select(func.count()).select_from(
                select(ExamAnswer.attempt_id, ExamAnswer.item_id)
                .where(ExamAnswer.attempt_id.in_(attempt_ids))
                .group_by(ExamAnswer.attempt_id, ExamAnswer.item_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        db.session.remove()
        db.engine.dispose()
    stored = {(r.attempt_id, r.item_id): r.answer for r in rows}
    lost = sum(1 for key in run.acknowledged if key not in stored)
    stale = sum(
        1 for key, value in run.acknowledged.items() if key in stored and stored[key] != value
    )
    unacknowledged = sum(1 for key in stored if key not in run.acknowledged)
    return Check(len(rows), lost, stale, int(duplicated or 0), unacknowledged)


@dataclass(frozen=True)
class Outcome:
    run: Run
    check: Check
    worker_boots: int  # workers gunicorn started, the killed one's replacement included
    workload: ExamWorkload


def run_benchmark(
    database_url: str, bundle: Bundle | None, settings: Settings, workdir: Path, **env: str
) -> Outcome:
    """Prepare, serve, run and check."""
    secret = new_secret_key()
    app = create_app(app_settings(database_url, secret))
    workload = prepare(app, bundle, settings)
    environment = {**hashi_environment(database_url, secret), **env}
    with served("wsgi:app", environment, workdir, "exam") as server:
        run = asyncio.run(exam_load(server, workload, settings))
        boots = server.worker_boots()
    return Outcome(run, check(app, workload, run), boots, workload)


# ---- the report ---------------------------------------------------------------------------


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(outcome: Outcome, settings: Settings) -> list[str]:
    run, result, boots = outcome.run, outcome.check, outcome.worker_boots
    p99 = run.percentile_ms(run.latencies, 99)
    near, rest = run.after_kill(AFTER_KILL)
    kill = (
        f"worker {run.killed_pid} killed (SIGKILL) at {run.killed_at:.1f} s; "
        f"gunicorn booted {boots} workers in all"
        if run.killed_pid
        else "no worker killed"
    )
    safe = result.lost == 0 and result.stale == 0 and result.duplicated == 0
    verdict = "every acknowledged answer stored exactly once" if safe else "ANSWERS LOST OR WRONG"
    return [
        f"postgresql: {settings.candidates} candidates, {len(run.latencies)} answers "
        f"acknowledged in {run.seconds:.0f} s ({len(run.latencies) / run.seconds:.0f}/s); "
        f"the client's own CPU on the same cores: {run.client_cpu:.0%} of one core",
        f"  answer save: p50 {run.percentile_ms(run.latencies, 50):.1f} ms  p95 "
        f"{run.percentile_ms(run.latencies, 95):.1f} ms  p99 {p99:.1f} ms  max "
        f"{run.percentile_ms(run.latencies, 100):.1f} ms  (target p99 < {P99_TARGET_MS} ms: "
        f"{_met(p99 < P99_TARGET_MS)})",
        *(
            [
                f"  sent in the {AFTER_KILL:.0f} s after the kill ({len(near)}): p50 "
                f"{run.percentile_ms(near, 50):.1f} ms  p99 {run.percentile_ms(near, 99):.1f} ms;"
                f" the rest ({len(rest)}): p50 {run.percentile_ms(rest, 50):.1f} ms  p99 "
                f"{run.percentile_ms(rest, 99):.1f} ms"
            ]
            if run.killed_pid
            else []
        ),
        f"  including retries: p99 {run.percentile_ms(run.with_retries, 99):.1f} ms, max "
        f"{run.percentile_ms(run.with_retries, 100):.0f} ms",
        f"  error responses {run.error_responses}  (target 0: {_met(run.error_responses == 0)})"
        f"; statuses {dict(run.statuses)}",
        *(f"  a {status}: {body}" for status, body in run.samples.items()),
        f"  {kill}: {run.resets} requests cut off, {run.retried} answers sent again, "
        f"{run.given_up} never acknowledged",
        f"  database: {result.rows} answer rows; acknowledged {len(run.acknowledged)} "
        f"(attempt, item) pairs: {result.lost} lost, {result.stale} with another value, "
        f"{result.duplicated} stored twice ({verdict}); "
        f"{result.unacknowledged} stored but never acknowledged",
    ]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.exam_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--candidates", type=int, default=Settings.candidates)
    parser.add_argument("--duration", type=float, default=Settings.duration)
    parser.add_argument(
        "--answer-every", type=float, default=Settings.answer_every,
        help="mean seconds between one candidate's answers",
    )  # fmt: skip
    parser.add_argument("--no-kill", action="store_true", help="kill no worker")
    args = parser.parse_args(argv)
    settings = Settings(args.candidates, args.duration, args.answer_every, kill=not args.no_kill)
    print(
        f"Exam load: {settings.candidates} candidates answering every "
        f"{settings.answer_every:.0f} s on average for {settings.duration:.0f} s, "
        "gunicorn.conf.py settings, one worker "
        f"{'killed halfway' if settings.kill else 'never killed'}"
    )
    busy = os.getloadavg()[0]
    if busy > 1.0:
        print(f"NOTE the machine is busy before the run (load average {busy:.1f})")
    if not postgres_available():
        print("postgresql: SKIPPED, nothing answers at 127.0.0.1:5432")
        return
    bundle = checked_curriculum()
    with (
        tempfile.TemporaryDirectory(prefix="hashi-exam-load-") as tmp,
        fresh_database("postgresql", Path(tmp)) as url,
    ):
        outcome = run_benchmark(url, bundle, settings, Path(tmp))
    print("\n".join(report(outcome, settings)), flush=True)


if __name__ == "__main__":
    main()
