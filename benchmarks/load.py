"""Load benchmark of answer submission, with its ceiling, on SQLite and on PostgreSQL.

For each kind of database: a fresh database, migrated and loaded with the curriculum and
50 trainees; Hashi under gunicorn with the project's gunicorn.conf.py and production
settings; 50 trainees signing in at once and posting answers back to back (a mix of every
practice item type, typed sentences included, right and wrong, each with a key of its own).
Then, under the same gunicorn settings and the same client: the ceiling (a minimal Flask
app storing one row per POST in the same kind of database) and a hello-world endpoint.

Back-to-back requests from 50 users measure capacity; their latency is mostly queueing
(Little's law: 50 in flight at R answers/s wait 50/R s on average). So latency is also
measured with the same 50 trainees paced to half the measured capacity, arriving at
random (Poisson), which is what "p99 at 50 concurrent trainees" means for a server that is
not overloaded.

Run alone: ``.venv/bin/python -m benchmarks.load`` (``--help`` for durations and kinds).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.content.bundle import Bundle
from app.extensions import db
from app.models import Response
from benchmarks import ceiling_app, load_pages
from benchmarks.load_client import Browser, Greeter, Inserter, Tally, Trainee, VirtualUser, drive
from benchmarks.load_server import served
from benchmarks.load_setup import (
    KINDS,
    Workload,
    app_settings,
    checked_curriculum,
    fresh_database,
    new_secret_key,
    postgres_available,
    prepare,
)

TRAINEES = 50
SESSIONS_PER_TRAINEE = 6  # lessons each trainee opens before the clock starts
PACED_SHARE = 0.5  # the paced run offers this share of the measured capacity
SHARE_TARGET, P99_TARGET_MS, RENDER_P95_TARGET_MS, WEIGHT_TARGET_KB = 0.5, 100, 50, 300


@dataclass
class Settings:
    trainees: int = TRAINEES
    warmup: float = 3.0
    duration: float = 12.0
    paced: float = 8.0
    hello: float = 5.0


@dataclass
class DatabaseResult:
    kind: str
    answers: Tally
    paced: Tally
    paced_rate: float
    ceiling: Tally
    hello: Tally
    stored: int  # answers found in the database afterwards
    worker_boots: int  # gunicorn workers started while Hashi ran (5 at start)
    pages: load_pages.PageReport | None


def run_kind(kind: str, bundle: Bundle, settings: Settings, pages: bool) -> DatabaseResult:
    """The whole benchmark on one kind of database; lesson pages too when ``pages``."""
    with (
        tempfile.TemporaryDirectory(prefix=f"hashi-load-{kind}-") as tmp,
        fresh_database(kind, Path(tmp)) as url,
    ):
        workdir = Path(tmp)
        secret = new_secret_key()
        app = create_app(app_settings(url, secret))
        workload = prepare(app, bundle, settings.trainees, SESSIONS_PER_TRAINEE)
        page_report = load_pages.measure(app, workload.reader, workload.password) if pages else None
        with served("wsgi:app", hashi_environment(url, secret), workdir, "hashi") as server:
            answers, paced, paced_rate = asyncio.run(
                answer_load(server.url, workload, settings, server.cpu_seconds)
            )
            boots = server.worker_boots()
        stored = _stored_answers(app) - workload.history
        ceiling_url = url if kind == "postgresql" else f"sqlite:///{workdir / 'ceiling.sqlite3'}"
        ceiling_app.create_table(ceiling_url)
        with served(
            "benchmarks.ceiling_app:from_environment()",
            {"CEILING_DATABASE_URL": ceiling_url},
            workdir,
            "ceiling",
        ) as server:
            ceiling = asyncio.run(
                _closed_loop(
                    server.url, settings, lambda b, n: Inserter(b, workload.sheet, n),
                    server_cpu=server.cpu_seconds,
                )
            )  # fmt: skip
            hello = asyncio.run(
                _closed_loop(
                    server.url, settings, lambda b, _n: Greeter(b), settings.hello,
                    server_cpu=server.cpu_seconds,
                )
            )  # fmt: skip
        ceiling_rows = ceiling_app.count_rows(ceiling_url)
        if ceiling_rows != ceiling.created_anytime:
            raise RuntimeError(f"ceiling: {ceiling.created_anytime} 201s, {ceiling_rows} rows")
    return DatabaseResult(
        kind, answers, paced, paced_rate, ceiling, hello, stored, boots, page_report
    )


def hashi_environment(database_url: str, secret_key: str) -> dict[str, str]:
    """Hashi's production settings, as a deployment behind one proxy sets them."""
    return {
        "HASHI_ENV": "production",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "HASHI_ALLOW_SQLITE": "1",  # production refuses SQLite unless told: told here
        "HASHI_PROXY_HOPS": "1",  # each trainee's own address, from X-Forwarded-For
    }


async def answer_load(
    url: str, workload: Workload, settings: Settings, server_cpu: Callable[[], dict[int, float]]
) -> tuple[Tally, Tally, float]:
    """Sign in and open sessions (all trainees at once), then the back-to-back run, then
    the paced run, on the same connections."""
    browsers = [Browser(url, n) for n in range(len(workload.emails))]
    trainees = [Trainee(b, workload.sheet, seed=n) for n, b in enumerate(browsers)]
    try:
        await asyncio.gather(
            *(
                t.sign_in(email, workload.password)
                for t, email in zip(trainees, workload.emails, strict=True)
            )
        )
        await asyncio.gather(
            *(t.open_sessions(plan) for t, plan in zip(trainees, workload.lessons, strict=True))
        )
        answers = await drive(
            trainees, warmup=settings.warmup, duration=settings.duration, server_cpu=server_cpu
        )
        paced_rate = answers.rate * PACED_SHARE
        paced = await drive(
            trainees, warmup=1.0, duration=settings.paced,
            per_user_rate=paced_rate / len(trainees),
        )  # fmt: skip
        answers.created_anytime += paced.created_anytime
    finally:
        await asyncio.gather(*(b.close() for b in browsers))
    return answers, paced, paced_rate


async def _closed_loop(
    url: str,
    settings: Settings,
    make: Callable[[Browser, int], VirtualUser],
    duration: float | None = None,
    *,
    server_cpu: Callable[[], dict[int, float]],
) -> Tally:
    browsers = [Browser(url, n) for n in range(settings.trainees)]
    try:
        users = [make(b, n) for n, b in enumerate(browsers)]
        return await drive(
            users, warmup=settings.warmup, duration=duration or settings.duration,
            server_cpu=server_cpu,
        )  # fmt: skip
    finally:
        await asyncio.gather(*(b.close() for b in browsers))


def _stored_answers(app: Flask) -> int:
    with app.app_context():
        stored = db.session.scalar(select(func.count(Response.id))) or 0
        db.session.remove()
        db.engine.dispose()
    return stored


# ---- the report ----------------------------------------------------------------------


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(result: DatabaseResult) -> list[str]:
    a, p, c, h = result.answers, result.paced, result.ceiling, result.hello
    share = a.rate / c.rate if c.rate else 0.0
    errors = a.errors(201) + p.errors(201)
    lines = [
        f"{result.kind}:",
        f"  answers/s {a.rate:8.0f}   ceiling inserts/s {c.rate:6.0f}   hello/s {h.rate:6.0f}"
        f"   ceiling/hello {c.rate / h.rate if h.rate else 0:.2f}",
        f"  answers/ceiling {share:6.0%}  (target >= {SHARE_TARGET:.0%}: "
        f"{_met(share >= SHARE_TARGET)})",
        f"  the client's own CPU on the same 2 cores: answers {a.client_cpu:.0%}, "
        f"ceiling {c.client_cpu:.0%}, hello {h.client_cpu:.0%} of one core",
        f"  server CPU per request (low when max_requests replaces a worker mid-run): "
        f"answer {a.server_cpu_ms:.2f} ms, ceiling insert "
        f"{c.server_cpu_ms:.2f} ms, hello {h.server_cpu_ms:.2f} ms; per CPU-second, answers "
        f"reach {c.server_cpu_ms / a.server_cpu_ms if a.server_cpu_ms else 0:.0%} of the ceiling",
        f"  back to back, 50 in flight:  p50 {a.percentile_ms(50):6.1f} ms  p95 "
        f"{a.percentile_ms(95):6.1f} ms  p99 {a.percentile_ms(99):6.1f} ms",
        f"  paced at {result.paced_rate:.0f}/s ({PACED_SHARE:.0%} of capacity), "
        f"{p.count} answers:  p50 {p.percentile_ms(50):6.1f} ms  p95 {p.percentile_ms(95):6.1f} ms"
        f"  p99 {p.percentile_ms(99):6.1f} ms  (target p99 < {P99_TARGET_MS} ms: "
        f"{_met(p.percentile_ms(99) < P99_TARGET_MS)})",
        f"  ceiling p50/p99 {c.percentile_ms(50):.1f}/{c.percentile_ms(99):.1f} ms;"
        f" hello p50/p99 {h.percentile_ms(50):.1f}/{h.percentile_ms(99):.1f} ms",
        f"  error responses {errors}  (target 0: {_met(errors == 0)})  statuses: "
        f"{dict(a.statuses + p.statuses)}",
        f"  answers stored {result.stored}, 201s received {a.created_anytime}"
        f" ({'all stored' if result.stored >= a.created_anytime else 'LOST ANSWERS'});"
        f" gunicorn workers booted {result.worker_boots} (max_requests recycling)",
    ]
    return lines + (page_lines(result.pages) if result.pages else [])


def page_lines(pages: load_pages.PageReport) -> list[str]:
    p95 = pages.percentile_ms(95)
    slowest, slowest_p95 = pages.slowest_lesson_p95()
    heavy = pages.heaviest
    kb = heavy.total / 1024
    largest = sorted(heavy.assets.items(), key=lambda kv: -kv[1])[:3]
    return [
        f"  lesson pages ({len(pages.lessons)} lessons, {len(pages.render_ms)} warm "
        f"renders): p50 {pages.percentile_ms(50):.1f} ms  p95 {p95:.1f} ms  (target < "
        f"{RENDER_P95_TARGET_MS} ms: {_met(p95 < RENDER_P95_TARGET_MS)}); slowest "
        f"{slowest} p95 {slowest_p95:.1f} ms; first render up to "
        f"{max(pages.first_ms.values()):.0f} ms",
        f"  page weight (heaviest, {heavy.lesson_id}): {kb:.0f} KB as served = HTML "
        f"{heavy.html / 1024:.0f} KB + {len(heavy.assets)} files  (target < {WEIGHT_TARGET_KB} "
        f"KB: {_met(kb < WEIGHT_TARGET_KB)}); gzip would send {heavy.gzipped / 1024:.0f} KB",
        "  largest files: " + ", ".join(f"{path} {size / 1024:.0f} KB" for path, size in largest),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="sqlite,postgresql")
    parser.add_argument(
        "--duration", type=float, default=Settings.duration, help="seconds measured"
    )
    parser.add_argument("--warmup", type=float, default=Settings.warmup)
    parser.add_argument(
        "--paced", type=float, default=Settings.paced, help="seconds of the paced run"
    )
    parser.add_argument(
        "--hello", type=float, default=Settings.hello, help="seconds of hello world"
    )
    args = parser.parse_args(argv)
    settings = Settings(TRAINEES, args.warmup, args.duration, args.paced, args.hello)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    print(
        f"Load: {settings.trainees} trainees, gunicorn.conf.py settings, {settings.warmup:.0f} s "
        f"warm-up, {settings.duration:.0f} s measured back to back, {settings.paced:.0f} s paced"
    )
    bundle = checked_curriculum()
    for n, kind in enumerate(kinds):
        if kind == "postgresql" and not postgres_available():
            print("postgresql: SKIPPED, nothing answers at 127.0.0.1:5432")
            continue
        busy = os.getloadavg()[0]
        if busy > 1.0:
            print(f"{kind}: NOTE the machine is busy before the run (load average {busy:.1f})")
        result = run_kind(kind, bundle, settings, pages=n == 0)  # pages hardly touch the db
        print("\n".join(report(result)), flush=True)


if __name__ == "__main__":
    main()
