"""Browser tests: the app served on a real port, driven through Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Every page a
test visits is saved as a screenshot under tests/screenshots/ (git-ignored) so a person
can look at what the test saw.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def shot(page: Page, request: pytest.FixtureRequest):
    """Save a full-page screenshot named after the test and the step."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(step: str) -> Path:
        path = SCREENSHOTS / f"{test_name}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def outside_requests(page: Page) -> list[str]:
    """Every request the page makes to a host other than the app itself."""
    seen: list[str] = []
    page.on(
        "request",
        lambda req: (
            seen.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    return seen
