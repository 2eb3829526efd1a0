"""The kanji page in a real browser: the stroke-order drawing renders."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_kanji_page_shows_the_stroke_order_drawing(page: Page, live_server, shot) -> None:
    page.goto(f"{live_server}/kanji/語")
    drawing = page.get_by_role("img", name="Stroke order of 語")
    expect(drawing).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", drawing.element_handle())
    shot("kanji")
