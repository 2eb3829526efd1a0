"""A trainee opens a lesson and plays an example sentence, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_a_lesson_with_furigana_plays_its_examples(
    app, page: Page, live_server, make_user, small_curriculum, shot, tmp_path: Path
) -> None:
    app.config["AUDIO_CACHE_DIR"] = str(tmp_path / "audio")
    user = make_user(Role.TRAINEE)
    sign_in(page, live_server, user.email)
    page.get_by_role("link", name="Open the course").click()
    page.get_by_role("link", name="AはBです").click()
    expect(page.locator("ruby", has_text="学生").first).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/examples/1.mp3")) as audio:
        page.get_by_role("button", name="Play").first.click()
    assert audio.value.status in (200, 206)  # browsers ask for byte ranges of media
    assert audio.value.headers["content-type"] == "audio/mpeg"
    shot("lesson")
