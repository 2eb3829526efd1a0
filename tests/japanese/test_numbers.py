"""Numbers and counters read as learners are taught, without going through ruby layout.

How they come out as furigana (三本 → [三|さん][本|ぼん]) is tested in test_furigana.py.
"""

from __future__ import annotations

import pytest

from app.japanese.numbers import (
    NumberReading,
    NumberSpan,
    find_number,
    is_counter,
    number_kana,
    parse_number,
    read_number,
)
from app.japanese.tokenizer import tokenize


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("二十四", 24),
        ("百", 100),
        ("二千二十六", 2026),
        ("二〇二六", 2026),  # written digit by digit, as years often are
        ("3万", 30000),
        ("一億二千万", 120_000_000),
        ("1,000", 1000),
        ("１，０００", 1000),
        ("零", 0),
        ("", None),
        ("三本", None),
        ("何", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("value", "kana"),
    [
        (0, "れい"),
        (4, "よん"),
        (7, "なな"),
        (14, "じゅうよん"),
        (300, "さんびゃく"),
        (600, "ろっぴゃく"),
        (800, "はっぴゃく"),
        (3000, "さんぜん"),
        (8000, "はっせん"),
        (2026, "にせんにじゅうろく"),
        (10000, "いちまん"),
        (100_000_000, "いちおく"),
    ],
)
def test_number_kana(value: int, kana: str) -> None:
    assert number_kana(value) == kana


@pytest.mark.parametrize(
    ("number", "counter", "expected"),
    [
        # a final 4, 7 or 9 takes the form the counter wants
        ("四", "時", NumberReading("よ", "じ")),
        ("七", "時", NumberReading("しち", "じ")),
        ("九", "時", NumberReading("く", "じ")),
        ("四", "月", NumberReading("し", "がつ")),
        ("四", "人", NumberReading("よ", "にん")),
        # いち, ろく, はち, じゅう become っ, and an h- counter becomes p-
        ("一", "本", NumberReading("いっ", "ぽん")),
        ("六", "本", NumberReading("ろっ", "ぽん")),
        ("十", "分", NumberReading("じゅっ", "ぷん")),
        ("一", "歳", NumberReading("いっ", "さい")),
        ("百", "回", NumberReading("ひゃっ", "かい")),
        # after ん: p- for 分, voiced for 本 (not after よん), voiced after さん/なん for 階
        ("三", "分", NumberReading("さん", "ぷん")),
        ("三", "本", NumberReading("さん", "ぼん")),
        ("四", "本", NumberReading("よん", "ほん")),
        ("何", "本", NumberReading("なん", "ぼん")),
        ("三", "階", NumberReading("さん", "がい")),
        ("三", "か月", NumberReading("さん", "かげつ")),
        # numbers read as one word with the counter
        ("二", "日", NumberReading("", "", "ふつか")),
        ("二十四", "日", NumberReading("", "", "にじゅうよっか")),
        ("一", "人", NumberReading("", "", "ひとり")),
        ("二十", "歳", NumberReading("", "", "はたち")),
        ("三", "つ", NumberReading("", "", "みっつ")),
        # no counter, or one whose sound changes are not known
        ("二〇二六", None, NumberReading("にせんにじゅうろく")),
        ("1,000", "円", NumberReading("せん", "えん")),
        ("五", "ページ", NumberReading("ご")),
    ],
)
def test_read_number(number: str, counter: str | None, expected: NumberReading) -> None:
    assert read_number(number, counter) == expected


def test_first_of_the_month_is_tsuitachi() -> None:
    assert read_number("一", "日").whole == "いちにち"
    assert read_number("一", "日", after_month=True).whole == "ついたち"


def test_read_number_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="not a number"):
        read_number("三本")


@pytest.mark.parametrize(("text", "known"), [("本", True), ("か月", True), ("ページ", False)])
def test_is_counter(text: str, known: bool) -> None:
    assert is_counter(text) is known


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("二十四日", NumberSpan("二十四", "日", 3)),  # MeCab splits 二十 | 四 | 日
        ("1,000円", NumberSpan("1,000", "円", 4)),  # and 1 | , | 000 | 円
        ("三本", NumberSpan("三", "本", 1)),  # UniDic's surname みもと
        ("二〇二六年", NumberSpan("二〇二六", "年", 5)),
        ("三ページ", NumberSpan("三", None, 1)),
        ("学校", None),
    ],
)
def test_find_number(text: str, span: NumberSpan | None) -> None:
    tokens = tokenize(text)
    attached = [i > 0 for i in range(len(tokens))]  # no spaces in these texts
    assert find_number(tokens, 0, attached) == span


def test_a_space_ends_a_number() -> None:
    tokens = tokenize("二十 四日")
    assert [t.surface for t in tokens][:2] == ["二十", "四"]
    assert find_number(tokens, 0, [False, False, True]) == NumberSpan("二十", None, 1)
