"""The load client: virtual users on asyncio + httpx, each with a connection of its own,
driven for a fixed time while status codes and latencies are counted.

Every virtual user comes from an address of its own (``X-Forwarded-For``, which Hashi
trusts behind one proxy hop as in production behind a load balancer), so signing in 50
trainees meets the per-address login limit once each, as 50 real trainees would.

Hashi runs with production settings, so its cookies are ``Secure``; over plain HTTP on
127.0.0.1 a cookie jar would keep them back, so each user keeps its own cookies.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from benchmarks.load_server import cpu_between
from benchmarks.load_setup import AnswerSheet

TIMEOUT = httpx.Timeout(30.0)
RIGHT_SHARE = 0.6  # trainees get most answers right, and many wrong
FORM_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class LoadError(RuntimeError):
    """The harness could not get a virtual user ready (sign-in, session start)."""


@dataclass
class Tally:
    """Status codes and latencies of the requests that completed in the measured window."""

    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    created_anytime: int = 0  # 201s in every phase, warm-up included (rows to expect)
    client_cpu: float = 0.0  # share of one core the client itself used (same machine)
    server_cpu: float = 0.0  # CPU-seconds the server used in the measured window

    @property
    def server_cpu_ms(self) -> float:
        """The server's CPU per request served in the window (all workers together)."""
        return self.server_cpu / self.count * 1000 if self.count else float("nan")

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def errors(self, expected: int) -> int:
        return sum(n for status, n in self.statuses.items() if status != str(expected))

    def percentile_ms(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


class VirtualUser(Protocol):
    async def step(self) -> str:
        """Send one request; its status code (or the exception's name) as text."""


class Browser:
    """One person's connection: their address, their cookies, their CSRF token."""

    def __init__(self, base_url: str, number: int) -> None:
        self.client = httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT)
        self.address = f"10.{number // 62500 % 256}.{number // 250 % 250}.{number % 250 + 1}"
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-Forwarded-For": self.address, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf and method != "GET":
            headers["X-CSRFToken"] = self.csrf
        response = await self.client.request(method, path, headers=headers, **kwargs)
        self.client.cookies.clear()  # httpx's jar would hold them back over HTTP anyway
        self._keep_cookies(response)
        return response

    def _keep_cookies(self, response: httpx.Response) -> None:
        for line in response.headers.get_list("set-cookie"):
            pair, _sep, attributes = line.partition(";")
            name, _eq, value = pair.strip().partition("=")
            lowered = attributes.lower()
            if "max-age=0" in lowered or "01 jan 1970" in lowered:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def close(self) -> None:
        await self.client.aclose()


class Trainee:
    """Signs in, opens practice sessions, then answers their items one after another."""

    def __init__(self, browser: Browser, sheet: AnswerSheet, seed: int) -> None:
        self.browser = browser
        self.sheet = sheet
        self.random = random.Random(seed)
        self.queue: list[tuple[int, str]] = []  # (session id, item id), in answering order
        self.position = 0

    async def sign_in(self, email: str, password: str) -> None:
        page = await self.browser.request("GET", "/login")
        token = FORM_TOKEN.search(page.text)
        if token is None:
            raise LoadError(f"no CSRF token on /login ({page.status_code})")
        data = {"email": email, "password": password, "csrf_token": token.group(1)}
        signed_in = await self.browser.request("POST", "/login", data=data)
        if signed_in.status_code != 302:
            raise LoadError(f"signing in {email} answered {signed_in.status_code}")

    async def open_sessions(self, lessons: Sequence[str]) -> None:
        """The practice page (for its CSRF token, as the browser gets it), then one
        session per lesson, so every answer in the measured window is a real answer."""
        page = await self.browser.request("GET", f"/learn/{lessons[0]}/practice")
        token = META_TOKEN.search(page.text)
        if token is None:
            raise LoadError(f"no CSRF token on the practice page ({page.status_code})")
        self.browser.csrf = token.group(1)
        for lesson in lessons:
            started = await self.browser.request("POST", f"/learn/practice/lessons/{lesson}")
            if started.status_code != 201:
                raise LoadError(f"starting practice of {lesson} answered {started.status_code}")
            body = started.json()
            self.queue += [(body["session_id"], item["id"]) for item in body["items"]]

    async def step(self) -> str:
        """One answer; after the last item the trainee starts over (a retry is an answer
        too, stored as one, only not scheduled for review twice)."""
        session_id, item_id = self.queue[self.position % len(self.queue)]
        self.position += 1
        right = self.random.random() < RIGHT_SHARE
        payload = {
            "item_id": item_id,
            "answer": (self.sheet.right if right else self.sheet.wrong)[item_id],
            "key": uuid.uuid4().hex,
            "response_ms": self.random.randint(1_500, 20_000),
        }
        return await _status(
            self.browser.request("POST", f"/learn/practice/{session_id}/answers", json=payload)
        )


class Inserter:
    """The ceiling's user: the same kind of JSON body, one stored row per request."""

    def __init__(self, browser: Browser, sheet: AnswerSheet, seed: int) -> None:
        self.browser = browser
        self.items = sorted(sheet.right)
        self.sheet = sheet
        self.random = random.Random(seed)

    async def step(self) -> str:
        item_id = self.random.choice(self.items)
        payload = {
            "item_id": item_id,
            "answer": self.sheet.right[item_id],
            "key": uuid.uuid4().hex,
            "response_ms": self.random.randint(1_500, 20_000),
        }
        return await _status(self.browser.request("POST", "/rows", json=payload))


class Greeter:
    """Hello world: what the stack does with no work behind it."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    async def step(self) -> str:
        return await _status(self.browser.request("GET", "/hello"))


async def _status(request: Any) -> str:
    try:
        response = await request
    except httpx.HTTPError as error:
        return type(error).__name__
    return str(response.status_code)


async def drive(
    users: Sequence[VirtualUser],
    *,
    warmup: float,
    duration: float,
    per_user_rate: float | None = None,
    server_cpu: Callable[[], dict[int, float]] | None = None,
) -> Tally:
    """Run every user at once: back to back (closed loop), or, with ``per_user_rate``,
    each starting requests at Poisson-spaced times (never two of its own at once).
    ``server_cpu`` reads the server's CPU clock at the edges of the measured window."""
    tally = Tally(seconds=duration)
    start = time.perf_counter()
    window = (start + warmup, start + warmup + duration)

    async def run(user: VirtualUser, seed: int) -> None:
        spacing = random.Random(seed)
        due = time.perf_counter()
        while time.perf_counter() < window[1]:
            if per_user_rate:
                due += spacing.expovariate(per_user_rate)
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            sent = time.perf_counter()
            status = await user.step()
            done = time.perf_counter()
            tally.created_anytime += status == "201"
            if window[0] <= done <= window[1]:
                tally.statuses[status] += 1
                tally.latencies.append(done - sent)

    async def meter() -> None:
        if server_cpu is None:
            return
        await asyncio.sleep(max(0.0, window[0] - time.perf_counter()))
        begin = server_cpu()
        await asyncio.sleep(max(0.0, window[1] - time.perf_counter()))
        tally.server_cpu = cpu_between(begin, server_cpu())

    cpu = time.process_time()
    await asyncio.gather(meter(), *(run(user, n) for n, user in enumerate(users)))
    tally.client_cpu = (time.process_time() - cpu) / (time.perf_counter() - start)
    return tally
