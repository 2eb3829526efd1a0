"""Lesson pages: how long the server takes to render one, and what a browser downloads
for it (the HTML and every stylesheet, script, font and image it references; audio is
fetched only when played, so it is left out).

Rendering is timed in process through the test client with the production settings, on an
idle machine before the load starts: the figure is the app's own work per page.
"""

from __future__ import annotations

import gzip
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Lesson

RENDERS_PER_LESSON = 20
SECONDS_PER_LESSON = 1.0  # fewer renders of a page that is slow, so the run stays short
FORM_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# src/href of the tags whose targets a browser fetches while loading the page.
REFERENCES = re.compile(
    r'<(?:link[^>]*rel="(?:stylesheet|icon|preload|modulepreload)"[^>]*href'
    r'|script[^>]*src|img[^>]*src)="([^"]+)"'
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
AUDIO = (".mp3", ".ogg", ".wav", ".m4a")


@dataclass
class PageWeight:
    lesson_id: str
    html: int
    assets: dict[str, int] = field(default_factory=dict)
    gzipped: int = 0  # everything gzip-compressed: what a compressing proxy would send

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


@dataclass
class PageReport:
    lessons: list[str]
    per_lesson: dict[str, list[float]]  # warm renders of each lesson
    first_ms: dict[str, float]  # each lesson's first render in this process
    weights: list[PageWeight]

    def percentile_ms(self, p: float) -> float:
        ordered = sorted(self.render_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def slowest_lesson_p95(self) -> tuple[str, float]:
        worst = ("", 0.0)
        for lesson, runs in self.per_lesson.items():
            p95 = sorted(runs)[min(len(runs) - 1, int(0.95 * len(runs)))]
            worst = max(worst, (lesson, p95), key=lambda pair: pair[1])
        return worst

    @property
    def render_ms(self) -> list[float]:
        return [ms for runs in self.per_lesson.values() for ms in runs]

    @property
    def heaviest(self) -> PageWeight:
        return max(self.weights, key=lambda weight: weight.total)


def sample_lessons(app: Flask) -> list[str]:
    """The longest lesson of every unit of every level: a few real, heavy pages."""
    with app.app_context():
        rows = db.session.execute(
            select(Lesson.id, Lesson.level, Lesson.unit, func.length(Lesson.body)).where(
                Lesson.retired_at.is_(None)
            )
        ).all()
        db.session.remove()
    longest: dict[tuple[str, str], tuple[int, str]] = {}
    for lesson_id, level, unit, length in rows:
        longest[(level, unit)] = max(longest.get((level, unit), (0, "")), (length, lesson_id))
    return [lesson_id for _key, (_length, lesson_id) in sorted(longest.items())]


def signed_in_client(app: Flask, email: str, password: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = FORM_TOKEN.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1)},
        environ_base={"REMOTE_ADDR": "10.255.0.1"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"signing in for the lesson pages answered {response.status_code}")
    return client


def measure(app: Flask, email: str, password: str) -> PageReport:
    client = signed_in_client(app, email, password)
    lessons = sample_lessons(app)
    first: dict[str, float] = {}
    renders: dict[str, list[float]] = {}
    for lesson_id in lessons:
        first[lesson_id] = _render_ms(client, lesson_id)
        runs = renders[lesson_id] = []
        while len(runs) < RENDERS_PER_LESSON and sum(runs) < SECONDS_PER_LESSON * 1000:
            runs.append(_render_ms(client, lesson_id))
    weights = [page_weight(client, lesson_id) for lesson_id in lessons]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return PageReport(lessons, renders, first, weights)


def _render_ms(client: FlaskClient, lesson_id: str) -> float:
    start = time.perf_counter()
    response = client.get(f"/learn/{lesson_id}")
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"/learn/{lesson_id} answered {response.status_code}")
    return elapsed


def page_weight(client: FlaskClient, lesson_id: str) -> PageWeight:
    """Bytes of the page and of each distinct file it references, fetched as a browser
    would (stylesheets' own url(...) references, such as fonts, followed)."""
    path = f"/learn/{lesson_id}"
    html = client.get(path).get_data()
    weight = PageWeight(lesson_id, len(html))
    bodies = [html]
    pending = [urljoin(path, ref) for ref in REFERENCES.findall(html.decode())]
    while pending:
        ref = urlsplit(pending.pop()).path
        if ref in weight.assets or ref.lower().endswith(AUDIO) or not ref.startswith("/"):
            continue
        response = client.get(ref)
        if response.status_code != 200:
            raise RuntimeError(f"{ref}, referenced by {path}, answered {response.status_code}")
        body = response.get_data()
        response.close()
        weight.assets[ref] = len(body)
        bodies.append(body)
        if ref.endswith(".css"):
            pending += [
                urljoin(ref, url) for url in CSS_URL.findall(body.decode(errors="replace"))
                if not url.startswith("data:")
            ]  # fmt: skip
    weight.gzipped = sum(len(gzip.compress(body, 6)) for body in bodies)
    return weight
