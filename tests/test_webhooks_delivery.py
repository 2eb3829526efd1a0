"""Webhook delivery end to end: a real HTTP receiver on 127.0.0.1 that checks every
signature and fails the first attempts on purpose; the worker driven batch by batch with
a moved clock; the outbox's atomicity; giving up after a day; the delivery-time address
check; a stopping worker; two workers at once on PostgreSQL; and ``flask webhooks work``.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models._columns import utcnow
from app.models.api_keys import ApiKey
from app.models.webhooks import DEAD, DELIVERED, FAILED, DeliveryAttempt, WebhookDelivery
from app.webhooks import outbox, signing, worker

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
PROJECT = Path(__file__).resolve().parent.parent


# ---- a receiver of our own --------------------------------------------------------------


@dataclass
class Received:
    delivery_id: str
    event: str
    body: dict[str, Any]
    signature_ok: bool
    answer: str


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that verifies each request as docs/webhooks.md says.

    ``plan`` says how to answer the next requests, in order ("500", "slow", "ok"); once it
    is used up every request is answered 200. A request is *accepted* (the event counts as
    arrived) only when its signature is valid and the answer is 200.
    """

    secret: str = ""
    plan: list[str] = field(default_factory=list)
    clock: Callable[[], datetime] = utcnow
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/hashi"

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.answer == "ok" and r.signature_ok]

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        try:
            signing.verify(
                self.secret, handler.headers.get(signing.SIGNATURE_HEADER), body, now=self.clock()
            )
            signature_ok = True
        except signing.SignatureError:
            signature_ok = False
        with self.lock:
            answer = self.plan.pop(0) if self.plan and signature_ok else "ok"
            if not signature_ok:
                answer = "bad-signature"
            self.requests.append(
                Received(
                    delivery_id=handler.headers.get(signing.DELIVERY_HEADER, ""),
                    event=handler.headers.get(signing.EVENT_HEADER, ""),
                    body=json.loads(body),
                    signature_ok=signature_ok,
                    answer=answer,
                )
            )
        if answer == "slow":
            time.sleep(1.0)  # longer than the test worker's timeout
            return
        status = {"ok": 200, "500": 500, "bad-signature": 400}[answer]
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


def serve(receiver: Receiver, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver.handle(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    receiver.port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    """A port nothing listens on (connection refused), until someone binds it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- helpers ----------------------------------------------------------------------------


def make_key(app: Flask, name: str = "Recruitment system") -> int:
    with app.app_context():
        key = ApiKey(
            name=name,
            prefix=os.urandom(6).hex(),
            secret_hash="0" * 64,
            scopes="webhooks:manage certifications:read",
        )
        db.session.add(key)
        db.session.commit()
        return key.id


def register(
    app: Flask, key_id: int, url: str, events: tuple[str, ...] = outbox.EVENTS
) -> tuple[int, str]:
    with app.app_context():
        endpoint, secret = outbox.register(key_id, url, list(events), now=T0, production=False)
        db.session.commit()
        return endpoint.id, secret


def enqueue(
    app: Flask, event: str = "certification.passed", *, now: datetime = T0, **data: Any
) -> str:
    """Announce an event in a committed transaction; its event id."""
    with app.app_context():
        made = outbox.enqueue(event, {"hashi_id": 7, "level": "N4", **data}, now=now)
        db.session.commit()
        return made[0].payload["id"] if made else ""


def run(app: Flask, now: datetime, **options: Any) -> list[worker.Outcome]:
    client = httpx.Client(timeout=0.4, follow_redirects=False, trust_env=False)
    with app.app_context(), client:
        return worker.run_once(now=now, client=client, production=False, **options)


def delivery_rows(app: Flask) -> list[WebhookDelivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def attempts(app: Flask, delivery_id: int) -> list[DeliveryAttempt]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(DeliveryAttempt)
                .where(DeliveryAttempt.delivery_id == delivery_id)
                .order_by(DeliveryAttempt.id)
            )
        )
        db.session.expunge_all()
        return rows


@pytest.fixture
def moved_clock(receiver: Receiver) -> Callable[[datetime], datetime]:
    """Set the receiver's idea of now (it checks the signature's age against it)."""
    current = [T0]
    receiver.clock = lambda: current[0]

    def move(to: datetime) -> datetime:
        current[0] = to
        return to

    return move


# ---- retries until it arrives, exactly once -----------------------------------------------


def test_500_then_timeout_then_success_arrives_exactly_once(
    app: Flask, receiver: Receiver, moved_clock: Callable[[datetime], datetime]
) -> None:
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    event_id = enqueue(app, "certification.passed", now=T0)
    receiver.plan = ["500", "slow"]

    [first] = run(app, moved_clock(T0))
    assert (first.status, first.status_code) == (FAILED, 500)
    [row] = delivery_rows(app)
    assert row.attempts == 1
    assert T0 + timedelta(seconds=22) <= row.next_attempt_at <= T0 + timedelta(seconds=38)

    assert run(app, moved_clock(T0 + timedelta(seconds=20))) == []  # not due yet

    [second] = run(app, moved_clock(T0 + timedelta(seconds=40)))
    assert (second.status, second.error) == (FAILED, "timeout")
    [row] = delivery_rows(app)
    wait = row.next_attempt_at - (T0 + timedelta(seconds=40))
    assert timedelta(seconds=45) <= wait <= timedelta(seconds=75)  # 1 min ±25%

    [third] = run(app, moved_clock(T0 + timedelta(minutes=3)))
    assert (third.status, third.status_code) == (DELIVERED, 200)
    assert run(app, moved_clock(T0 + timedelta(hours=30))) == []  # nothing more, ever

    assert [r.answer for r in receiver.requests] == ["500", "slow", "ok"]
    assert all(r.signature_ok for r in receiver.requests)
    assert len({r.delivery_id for r in receiver.requests}) == 1  # one id for every retry
    [arrived] = receiver.accepted
    assert arrived.event == "certification.passed"
    assert arrived.body["id"] == event_id
    assert arrived.body["type"] == "certification.passed"
    assert arrived.body["data"] == {"hashi_id": 7, "level": "N4"}
    assert arrived.body["created"] == "2026-11-26T09:00:00Z"

    [row] = delivery_rows(app)
    assert (row.status, row.attempts, row.delivered_at) == (
        DELIVERED,
        3,
        T0 + timedelta(minutes=3),
    )
    codes = [(a.status_code, a.error) for a in attempts(app, row.id)]
    assert codes == [(500, None), (None, "timeout"), (200, None)]


def test_connection_refused_then_the_receiver_comes_up(
    app: Flask, moved_clock: Callable[[datetime], datetime], receiver: Receiver
) -> None:
    port = free_port()
    key = make_key(app)
    _endpoint, secret = register(app, key, f"http://127.0.0.1:{port}/hook")
    enqueue(app, "certification.revoked", now=T0)

    [refused] = run(app, moved_clock(T0))
    assert refused.status == FAILED
    assert refused.error is not None
    assert refused.error.startswith("ConnectError")

    late = Receiver(secret=secret, clock=receiver.clock)
    server = serve(late, port)
    try:
        [ok] = run(app, moved_clock(T0 + timedelta(minutes=1)))
        assert ok.status == DELIVERED
        assert run(app, moved_clock(T0 + timedelta(hours=2))) == []
    finally:
        server.shutdown()
        server.server_close()
    assert [r.event for r in late.accepted] == ["certification.revoked"]


def test_every_event_reaches_every_subscriber_once(
    app: Flask, receiver: Receiver, moved_clock: Callable[[datetime], datetime]
) -> None:
    key = make_key(app)
    _all, receiver.secret = register(app, key, receiver.url)
    other = Receiver(clock=receiver.clock)
    server = serve(other)
    try:
        _revoked_only, other.secret = register(
            app, make_key(app, "Second client"), other.url, ("certification.revoked",)
        )
        ids = [
            enqueue(app, "certification.passed", hashi_id=1),
            enqueue(app, "certification.revoked", hashi_id=2),
            enqueue(app, "candidate.updated", hashi_id=3),
        ]
        receiver.plan = ["500", "500", "500", "500"]
        moment = T0
        while moment < T0 + timedelta(hours=2):
            run(app, moved_clock(moment), batch=2)
            moment += timedelta(seconds=20)
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(r.body["id"] for r in receiver.accepted) == sorted(ids)
    assert [r.body["id"] for r in other.accepted] == [ids[1]]
    assert {d.status for d in delivery_rows(app)} == {DELIVERED}


# ---- the outbox ---------------------------------------------------------------------------


def test_a_rolled_back_change_sends_nothing(app: Flask, receiver: Receiver) -> None:
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    with app.app_context():
        outbox.enqueue("certification.passed", {"hashi_id": 1}, now=T0)
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
        db.session.rollback()  # the change it announced failed
    assert run(app, T0 + timedelta(minutes=1)) == []
    assert delivery_rows(app) == []
    assert receiver.requests == []


def test_no_subscriber_no_delivery_and_unknown_events_are_a_bug(app: Flask) -> None:
    key = make_key(app)
    register(app, key, "http://127.0.0.1:9/x", ("certification.revoked",))
    assert enqueue(app, "certification.passed") == ""
    with app.app_context(), pytest.raises(ValueError, match="unknown webhook event"):
        outbox.enqueue("certification.exploded", {}, now=T0)


# ---- giving up ------------------------------------------------------------------------------


def test_backoff_doubles_from_30_seconds_up_to_an_hour() -> None:
    exact = [worker.backoff(n, rng=lambda a, b: 1.0) for n in range(1, 12)]
    assert exact[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert exact[-1] == timedelta(hours=1)
    assert worker.backoff(3, rng=lambda a, b: a) == timedelta(seconds=90)
    assert worker.backoff(3, rng=lambda a, b: b) == timedelta(seconds=150)


def test_dead_a_day_after_creation(app: Flask) -> None:
    key = make_key(app)
    register(app, key, f"http://127.0.0.1:{free_port()}/hook")
    enqueue(app, now=T0)
    moment = T0
    for _ in range(100):
        outcomes = run(app, moment)
        [row] = delivery_rows(app)
        if row.status == DEAD:
            break
        assert outcomes
        assert outcomes[0].status == FAILED
        moment = row.next_attempt_at
    [row] = delivery_rows(app)
    assert row.status == DEAD
    tries = attempts(app, row.id)
    assert tries[-1].at == T0 + timedelta(hours=24)  # the last try is at the deadline
    gaps = [b.at - a.at for a, b in itertools.pairwise(tries)]
    assert max(gaps) <= timedelta(hours=1, minutes=15)
    assert 25 <= len(tries) <= 50
    assert run(app, T0 + timedelta(days=3)) == []  # never tried again


def test_the_address_is_checked_again_at_delivery_time(app: Flask, receiver: Receiver) -> None:
    """Registered while allowed; in production the loopback address is refused when sending
    (what a name re-pointed at an inside address after registration would meet)."""
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    enqueue(app, now=T0)
    with app.app_context():
        [outcome] = worker.run_once(now=T0, production=True)
    assert outcome.status == FAILED
    assert outcome.error is not None
    assert outcome.error.startswith("refused:")
    assert receiver.requests == []


def test_a_removed_endpoint_gets_nothing_more(app: Flask, receiver: Receiver) -> None:
    key = make_key(app)
    endpoint_id, receiver.secret = register(app, key, receiver.url)
    enqueue(app, now=T0)
    with app.app_context():
        outbox.remove(key, endpoint_id, now=T0)
        db.session.commit()
    assert run(app, T0) == []
    assert [d.status for d in delivery_rows(app)] == [DEAD]
    assert receiver.requests == []


def test_a_stopping_worker_hands_its_claims_back(app: Flask, receiver: Receiver) -> None:
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    enqueue(app, now=T0)
    enqueue(app, now=T0)
    stop = threading.Event()
    stop.set()
    assert run(app, T0, stop=stop) == []
    assert all(d.claimed_until is None for d in delivery_rows(app))
    assert len(run(app, T0)) == 2  # another worker takes them at once


# ---- several workers ---------------------------------------------------------------------


def test_two_workers_at_once_send_each_delivery_once(app: Flask, receiver: Receiver) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip(
            "several workers need PostgreSQL's row locks (FOR UPDATE SKIP LOCKED); "
            "SQLite runs one worker. This test runs in the PostgreSQL pass (make test, CI)."
        )
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    now = utcnow()
    with app.app_context():
        for number in range(120):
            outbox.enqueue("candidate.updated", {"hashi_id": number}, now=now)
        db.session.commit()
    start = threading.Barrier(2)
    sent: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with app.app_context():
                start.wait()
                while outcomes := worker.run_once(batch=5, production=False):
                    sent[name].extend(o.delivery_id for o in outcomes)
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in sent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sent["a"], "both workers should have had a share"
    assert sent["b"], "both workers should have had a share"
    assert not set(sent["a"]) & set(sent["b"])
    assert len(receiver.requests) == 120
    assert len({r.delivery_id for r in receiver.requests}) == 120
    assert {d.status for d in delivery_rows(app)} == {DELIVERED}


# ---- the command ---------------------------------------------------------------------------


def test_flask_webhooks_work_once(app: Flask, runner: Any, receiver: Receiver) -> None:
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    enqueue(app, now=utcnow())
    result = runner.invoke(args=["webhooks", "work", "--once", "--batch", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "1 deliveries attempted"
    assert "delivered (200)" in result.output
    assert len(receiver.accepted) == 1

    refused = runner.invoke(args=["webhooks", "work", "--batch", "0"])
    assert refused.exit_code == 2
    assert "--batch" in refused.output


def test_the_worker_stops_cleanly_on_sigterm(app: Flask, receiver: Receiver) -> None:
    key = make_key(app)
    _endpoint, receiver.secret = register(app, key, receiver.url)
    enqueue(app, now=utcnow())
    env = {
        **os.environ,
        "HASHI_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LOG_JSON": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "webhooks", "work", "--idle", "0.2"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not receiver.accepted and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
        assert receiver.accepted, f"the worker sent nothing: {err}"
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "stopped after 1 deliveries" in out
