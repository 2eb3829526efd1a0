"""The recruitment API under load: the candidate status endpoint (key check, rate-limit
count and the stored document's read included) against hello world under the same gunicorn settings,
in one run; then a client paging the change feed through 100,000 status changes.

Targets: status/hello >= 40 %, p99 < 50 ms at 50 concurrent clients; the whole feed in
under 10 s. Run alone: ``python -m benchmarks.api_load [--kinds sqlite,postgresql]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from app import create_app
from app.api import keys
from app.extensions import db
from app.models import CandidateStatus, Consent, Role, StatusChange, User
from app.models._columns import utcnow
from app.models.certificates import SHARE_WITH_RECRUITER
from app.recruitment import views
from benchmarks import ceiling_app
from benchmarks.load import hashi_environment
from benchmarks.load_client import Browser, Greeter, Tally, drive
from benchmarks.load_server import served
from benchmarks.load_setup import (
    KINDS,
    app_settings,
    fresh_database,
    new_secret_key,
    postgres_available,
)

CLIENTS = 50
CHANGES = 100_000
CANDIDATES = 1_000  # each with CHANGES / CANDIDATES changes
FEED_PAGE = 1_000
PACED_SHARE = 0.5  # as benchmarks/load.py: half the measured capacity, Poisson arrivals
RATE_LIMIT = "10000000/minute"  # counted on every request, never reached


@dataclass
class Settings:
    warmup: float = 3.0
    duration: float = 10.0


class StatusReader:
    """A recruitment system asking for one candidate's status, back to back."""

    def __init__(self, browser: Browser, key: str, path: str) -> None:
        self.browser = browser
        self.headers = {"Authorization": f"Bearer {key}"}
        self.path = path

    async def step(self) -> str:
        try:
            response = await self.browser.request("GET", self.path, headers=self.headers)
        except httpx.HTTPError as error:
            return type(error).__name__
        return str(response.status_code)


def prepare(app: Flask) -> tuple[str, int]:
    """CANDIDATES consenting trainees, CHANGES status changes among them (inserted
    directly), and a key; returns the key and the first candidate's id."""
    moment = utcnow() - timedelta(days=1)
    with app.app_context():
        upgrade()
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"candidate{n}@bench.example.org",
                    "name": f"Candidate {n}",
                    "role": Role.TRAINEE,
                    "external_id": f"RS-{n}",
                    "session_token": f"{n:032d}",
                    "created_at": moment,
                    "locale": "en",
                    "furigana": "always",
                    "is_active": True,
                }
                for n in range(CANDIDATES)
            ],
        )
        ids = list(db.session.scalars(select(User.id).order_by(User.id)))
        db.session.execute(
            insert(Consent),
            [
                {"user_id": i, "purpose": SHARE_WITH_RECRUITER, "text": "I agree.",
                 "agreed_at": moment}
                for i in ids
            ],
        )  # fmt: skip
        db.session.execute(
            insert(CandidateStatus),
            [
                {"user_id": i, "level": level, "status": "in-training", "updated_at": moment}
                for i in ids
                for level in ("N5", "N4")
            ],
        )
        per = CHANGES // CANDIDATES
        cycle = ("in-training", "exam-scheduled", "failed", "in-training")
        db.session.execute(
            insert(StatusChange),
            [
                {
                    "user_id": ids[n % CANDIDATES],
                    "level": "N5",
                    "old_status": cycle[(n // CANDIDATES) % 4],
                    "new_status": cycle[(n // CANDIDATES + 1) % 4],
                    "cause": "schedule",
                    "at": moment + timedelta(seconds=n // CANDIDATES),
                }
                for n in range(per * CANDIDATES)
            ],
        )
        views.rebuild_all()  # as `flask recruitment refresh --all` does after a bulk import
        issued = keys.create("benchmark", list(keys.SCOPES), now=utcnow(), actor_id=None)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Tables just bulk-loaded have no planner statistics until autovacuum gets to
            # them (up to a minute later); a live database has them. Without, PostgreSQL
            # plans the feed's consent check as a join over every change and a sort.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()
        return issued.text, ids[0]


async def closed_loop(
    url: str, settings: Settings, make: Any, per_user_rate: float | None = None
) -> Tally:
    """50 clients back to back (capacity), or with ``per_user_rate`` each sending at
    Poisson-spaced times (latency under a load the server can carry)."""
    browsers = [Browser(url, n) for n in range(CLIENTS)]
    try:
        return await drive(
            [make(b) for b in browsers],
            warmup=settings.warmup,
            duration=settings.duration,
            per_user_rate=per_user_rate,
        )
    finally:
        await asyncio.gather(*(b.close() for b in browsers))


def page_the_feed(url: str, key: str) -> tuple[int, int, float]:
    """(changes seen, pages, seconds) for one client reading the whole feed."""
    seen = pages = 0
    cursor = None
    last = 0
    started = time.perf_counter()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        while True:
            params: dict[str, Any] = {"limit": FEED_PAGE}
            if cursor:
                params["cursor"] = cursor
            response = client.get("/api/v1/changes", params=params, timeout=30)
            response.raise_for_status()
            page = response.json()
            for change in page["changes"]:
                if change["id"] <= last:
                    raise RuntimeError("the feed went backwards or repeated a change")
                last = change["id"]
            seen += len(page["changes"])
            pages += 1
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
    return seen, pages, time.perf_counter() - started


def run_kind(kind: str, settings: Settings) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="hashi-api-bench-") as tmp:
        workdir = Path(tmp)
        with fresh_database(kind, workdir) as url:
            secret = new_secret_key()
            app = create_app(app_settings(url, secret))
            key, candidate = prepare(app)
            env = {**hashi_environment(url, secret), "HASHI_API_RATE_LIMIT": RATE_LIMIT}
            with served("wsgi:app", env, workdir, "hashi-api") as server:
                path = f"/api/v1/candidates/{candidate}"

                def reader(b: Browser) -> StatusReader:
                    return StatusReader(b, key, path)

                status = asyncio.run(closed_loop(server.url, settings, reader))
                offered = status.rate * PACED_SHARE
                paced = asyncio.run(
                    closed_loop(server.url, settings, reader, per_user_rate=offered / CLIENTS)
                )
                seen, pages, seconds = page_the_feed(server.url, key)
            ceiling_url = f"sqlite:///{workdir / 'hello.sqlite3'}"
            ceiling_app.create_table(ceiling_url)
            with served(
                "benchmarks.ceiling_app:from_environment()",
                {"CEILING_DATABASE_URL": ceiling_url},
                workdir,
                "hello",
            ) as server:
                hello = asyncio.run(closed_loop(server.url, settings, Greeter))
    share = status.rate / hello.rate if hello.rate else 0.0
    p99 = paced.percentile_ms(99)
    errors = status.errors(200) + paced.errors(200) + hello.errors(200)
    return [
        f"{kind}: candidate status {status.rate:7.0f}/s  hello {hello.rate:7.0f}/s  "
        f"ratio {share:.0%} (target >= 40%: {'met' if share >= 0.4 else 'NOT met'})",
        f"{kind}: {CLIENTS} clients sending {offered:.0f}/s together ({PACED_SHARE:.0%} of "
        f"capacity): p50 {paced.percentile_ms(50):.1f} ms  p99 {p99:.1f} ms "
        f"(target < 50 ms: {'met' if p99 < 50 else 'NOT met'})",
        f"{kind}: back to back (every client waiting on the last answer): p99 status "
        f"{status.percentile_ms(99):.0f} ms, hello {hello.percentile_ms(99):.0f} ms; "
        f"non-200 answers: {errors}",
        f"{kind}: change feed {seen} changes in {pages} pages of {FEED_PAGE} in {seconds:.2f} s "
        f"(target < 10 s: {'met' if seconds < 10 and seen == CHANGES else 'NOT met'})",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.api_load")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--duration", type=float, default=Settings.duration)
    parser.add_argument("--warmup", type=float, default=Settings.warmup)
    args = parser.parse_args(argv)
    settings = Settings(args.warmup, args.duration)
    print(
        f"API: GET /api/v1/candidates/<id> vs hello world, {CLIENTS} clients, "
        f"{settings.duration:.0f} s each; change feed through {CHANGES:,} changes"
    )
    for kind in (k.strip() for k in args.kinds.split(",") if k.strip()):
        if kind == "postgresql" and not postgres_available():
            print("postgresql: SKIPPED, nothing answers at 127.0.0.1:5432")
            continue
        busy = os.getloadavg()[0]
        if busy > 1.0:
            print(f"{kind}: NOTE the machine is busy before the run (load average {busy:.1f})")
        print("\n".join(run_kind(kind, settings)), flush=True)


if __name__ == "__main__":
    main()
