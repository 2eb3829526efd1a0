"""Furigana: ruby segments, readings, HTML, and the author's {漢字|かんじ} syntax."""

from __future__ import annotations

import itertools

import pytest
from markupsafe import Markup

from app.japanese.furigana import (
    Segment,
    check_syntax,
    plain_text,
    reading,
    segments,
    to_html,
)


def ruby(text: str) -> str:
    """Segments written compactly, "[食|た]べる", so expectations fit a table row."""
    return "".join(
        f"[{s.text}|{s.reading}]" if s.reading is not None else s.text for s in segments(text)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # okurigana stays outside the ruby
        ("食べる", "[食|た]べる"),
        ("大きい", "[大|おお]きい"),
        ("行きます", "[行|い]きます"),
        ("引っ越し", "[引|ひ]っ[越|こ]し"),
        ("お茶", "お[茶|ちゃ]"),
        # compounds and readings that belong to the whole word
        ("毎朝", "[毎朝|まいあさ]"),
        ("今日は雨です", "[今日|きょう]は[雨|あめ]です"),
        ("一人", "[一人|ひとり]"),
        ("人々", "[人々|ひとびと]"),
        ("日本語を勉強します", "[日本|にほん][語|ご]を[勉強|べんきょう]します"),
        # UniDic's first choice is not the reading learners are taught
        ("私は学生です", "[私|わたし]は[学生|がくせい]です"),
        ("明日", "[明日|あした]"),
        ("日本人です", "[日本|にほん][人|じん]です"),
        ("パキスタン人", "パキスタン[人|じん]"),
        ("お父さんとお母さん", "お[父|とう]さんとお[母|かあ]さん"),
        ("月曜日", "[月曜|げつよう][日|び]"),
        ("何を食べますか", "[何|なに]を[食|た]べますか"),
        ("何の本", "[何|なん]の[本|ほん]"),
        # numbers and counters, with the sound changes between them
        ("四時", "[四|よ][時|じ]"),
        ("七時", "[七|しち][時|じ]"),
        ("九時半", "[九|く][時|じ][半|はん]"),
        ("四月", "[四|し][月|がつ]"),
        ("一本", "[一|いっ][本|ぽん]"),
        ("三本", "[三|さん][本|ぼん]"),
        ("六本", "[六|ろっ][本|ぽん]"),
        ("何本", "[何|なん][本|ぼん]"),
        ("三分", "[三|さん][分|ぷん]"),
        ("10分", "10[分|ぷん]"),
        ("二時十五分", "[二|に][時|じ][十五|じゅうご][分|ふん]"),
        ("三十分", "[三十|さんじゅっ][分|ぷん]"),
        ("一杯", "[一|いっ][杯|ぱい]"),
        ("三階", "[三|さん][階|がい]"),
        ("一歳", "[一|いっ][歳|さい]"),
        ("二十歳", "[二十歳|はたち]"),
        ("二日", "[二日|ふつか]"),
        ("二十四日", "[二十四日|にじゅうよっか]"),
        ("四月一日", "[四|し][月|がつ][一日|ついたち]"),
        ("一つ", "[一|ひと]つ"),
        ("三か月", "[三|さん]か[月|げつ]"),
        ("二〇二六年", "[二〇二六|にせんにじゅうろく][年|ねん]"),
        ("1,000円", "1,000[円|えん]"),
        ("百人", "[百|ひゃく][人|にん]"),
        # text that is not Japanese passes through untouched, spaces included
        ("Python 3 と SQL", "Python 3 と SQL"),
        ("東京 タワー\n大阪", "[東京|とうきょう] タワー\n[大阪|おおさか]"),
    ],
)
def test_segments(text: str, expected: str) -> None:
    assert ruby(text) == expected


SENTENCES = [
    "私は毎朝七時に起きて、会社へ行きます。",
    "コーヒーを一杯ください。",
    "先週の土曜日、新しいパソコンを買いました。",
    "{明日|あした}は 三時間 勉強します\n{漢字|}と{",
    "このりんごは一つ百円です。Thank you!",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_segments_lose_nothing_and_mark_only_kanji(text: str) -> None:
    result = segments(text)
    assert "".join(s.text for s in result) == plain_text(text)
    for before, after in itertools.pairwise(result):
        assert before.reading is not None or after.reading is not None, "bare runs are joined"
    for segment in result:
        if segment.reading is not None:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in segment.text), segment
            assert all("\u3041" <= ch <= "\u309f" for ch in segment.reading), segment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("私は毎朝七時に起きます", "わたしはまいあさしちじにおきます"),
        ("3時にコーヒーを飲みます", "さんじにこーひーをのみます"),
        ("今日は", "きょうは"),  # は stays は: this is spelling, not sound
        ("{明日|アス}", "あす"),
        ("OK です", "OK です"),
    ],
)
def test_reading(text: str, expected: str) -> None:
    assert reading(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{明日|あす}は休みです", "[明日|あす]は[休|やす]みです"),
        ("{私|わたくし}", "[私|わたくし]"),
        ("{食べる|たべる}", "[食|た]べる"),  # okurigana comes out of the author's ruby too
        ("{ＩＴ|あいてぃー}の仕事", "[ＩＴ|あいてぃー]の[仕事|しごと]"),
        ("{日本|にっぽん}語", "[日本|にっぽん][語|ご]"),
    ],
)
def test_author_readings_win(text: str, expected: str) -> None:
    assert ruby(text) == expected


def test_plain_text_keeps_base_or_reading() -> None:
    assert plain_text("{明日|あす}は雨") == "明日は雨"
    assert plain_text("{明日|あす}は雨", use_readings=True) == "あすは雨"


def test_to_html() -> None:
    html = to_html("食べる")
    assert isinstance(html, Markup)
    assert html == "<ruby>食<rt>た</rt></ruby>べる"


def test_to_html_escapes_everything() -> None:
    html = to_html("<script>alert('x')</script>食べる&{漢字|<i>}")
    assert "<script>" not in html
    assert "<i>" not in html
    assert html == (
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        "<ruby>食<rt>た</rt></ruby>べる&amp;<ruby>漢字<rt>&lt;i&gt;</rt></ruby>"
    )


def test_known_kanji_lose_their_ruby() -> None:
    known = {"日", "本", "食", "毎"}
    html = to_html("毎朝日本語を食べる", known_kanji=known.__contains__)
    # 毎朝 is one word and 朝 is unknown, so it keeps its ruby
    assert html == "<ruby>毎朝<rt>まいあさ</rt></ruby>日本<ruby>語<rt>ご</rt></ruby>を食べる"
    assert to_html("人々", known_kanji={"人"}.__contains__) == "人々"  # 々 is not a kanji


def test_known_kanji_applies_to_author_readings() -> None:
    assert to_html("{明日|あす}", known_kanji=lambda _: True) == "明日"
    assert to_html("{明日|あす}", known_kanji=lambda _: False) == "<ruby>明日<rt>あす</rt></ruby>"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{漢字|}", "line 1, column 1: the reading of '漢字' is empty"),
        ("{|かんじ}", "line 1, column 1: the text before '|' is empty"),
        ("あ{漢字", "line 1, column 2: '{' is not closed on this line"),
        ("漢字}", "line 1, column 3: '}' without a '{'"),
        ("{漢字かんじ}", "line 1, column 1: '{漢字かんじ}' has no '|'"),
        ("{漢字|かん|じ}", "line 1, column 1: '{漢字|かん|じ}' has more than one '|'"),
        ("{漢{字|じ}", "line 1, column 1: '{' inside another '{'"),
        ("{漢 字|かんじ}", "line 1, column 1: spaces are not allowed"),
        ("一行目\n  {漢字|kanji}", "line 2, column 3: the reading 'kanji' is not written in kana"),
    ],
)
def test_malformed_syntax_is_reported_and_shown_as_written(text: str, problem: str) -> None:
    problems = check_syntax(text)
    assert len(problems) == 1
    assert problems[0].startswith(problem)
    # Rendering never raises; broken syntax stays visible as the characters typed.
    shown = "".join(s.text for s in segments(text))
    assert shown == plain_text(text)
    if "kanji" not in text:  # a well-formed group with a bad reading is still shown as ruby
        assert "{" in shown or "}" in shown
    assert to_html(text)


def test_check_syntax_accepts_good_text_and_offsets_lines() -> None:
    assert check_syntax("{漢字|かんじ}を{勉強|べんきょう}する\n{明日|アシタ}") == []
    assert check_syntax("ok\n{x", first_line=12) == [
        "line 13, column 1: '{' is not closed on this line; write {漢字|かんじ}"
    ]


def test_segment_is_a_frozen_value() -> None:
    segment = Segment("食", "た")
    assert segment == Segment("食", "た")
    with pytest.raises(AttributeError):
        segment.text = "飲"  # type: ignore[misc]
