"""Lesson Markdown becomes safe HTML with ruby and example lists."""

from __future__ import annotations

import pytest

from app.content import services
from app.content.render import plain, render_lesson, ruby

BODY = """## Explanation
{学生|がくせい}です。 **bold** <script>alert(1)</script> <img src=x onerror=alert(1)>
[click](javascript:alert(1))

```examples
{私|わたし}は{学生|がくせい}です。
I am a <b>student</b>.
```
"""


def test_raw_html_and_script_links_are_neutralised() -> None:
    html = render_lesson(BODY)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert "&lt;b&gt;student&lt;/b&gt;" in html


def test_furigana_becomes_ruby_and_examples_get_audio_buttons() -> None:
    html = render_lesson(BODY, play_label="چلائیں", audio_url=lambda n: f"/audio/{n}.mp3")
    assert '<ruby lang="ja">学生<rt>がくせい</rt></ruby>です。' in html
    assert '<ol class="examples">' in html
    assert 'data-audio-src="/audio/1.mp3"' in html
    assert "چلائیں" in html
    assert "audio-button" not in render_lesson(BODY)  # no addresses, no buttons


@pytest.mark.parametrize(
    ("text", "html", "spoken"),
    [
        ("{日本|にほん}へ", '<ruby lang="ja">日本<rt>にほん</rt></ruby>へ', "日本へ"),
        ("<{a|b}>", '&lt;<ruby lang="ja">a<rt>b</rt></ruby>&gt;', "<a>"),
        ("{broken", "{broken", "{broken"),
    ],
)
def test_ruby_and_plain(text: str, html: str, spoken: str) -> None:
    assert str(ruby(text)) == html
    assert plain(text) == spoken


def test_every_shipped_lesson_renders() -> None:
    bundle = services.check(study_sets=False)
    assert bundle.lessons
    for lesson in bundle.lessons.values():
        html = render_lesson(lesson.file.body)
        assert "<script" not in html, lesson.file.path
        assert "{" not in html.replace("{{", ""), lesson.file.path  # no furigana left raw
