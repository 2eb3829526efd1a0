"""Normalisation, scripts and long-vowel folding, with properties checked by hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.japanese.text import (
    clean,
    fold_long_vowels,
    is_blank,
    normalise_japanese,
    pronunciation_key,
    to_hiragana,
    to_katakana,
)

HIRAGANA = st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3093), max_size=30)
ANY_TEXT = st.text(max_size=60)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("私は毎朝パンを食べます。", "私は毎朝パンを食べます"),
        ("  わたし は、 パン を たべます ！", "わたしはパンをたべます"),
        ("ﾊﾟﾝを食べます", "パンを食べます"),
        ("ＰＡＮ", "PAN"),
        ("「はい」と言いました。", "はいと言いました"),
        ("（私は）学生です", "私は学生です"),
        ("what?!", "what"),
        ("\u200bパン\x07", "パン"),
    ],
)
def test_always_forgiven_differences_are_removed(typed: str, normal: str) -> None:
    assert normalise_japanese(typed) == normal


@pytest.mark.parametrize("typed", ["", "   ", "。、！？", "・・・", "\t\n", "（）「」"])
def test_blank_answers(typed: str) -> None:
    assert is_blank(typed)


@pytest.mark.parametrize(
    ("katakana", "folded"),
    [
        ("ベンキョウ", "ベンキョー"),
        ("センセイ", "センセー"),
        ("オオキイ", "オーキー"),
        ("トウキョウ", "トーキョー"),
        ("ガッコ", "ガッコ"),  # a long vowel left out stays a different word
        ("オバアサン", "オバーサン"),
        ("オバサン", "オバサン"),
        ("ラーメン", "ラーメン"),
    ],
)
def test_long_vowels_fold_to_the_prolonged_sound_mark(katakana: str, folded: str) -> None:
    assert fold_long_vowels(katakana) == folded


def test_broken_surrogates_do_not_raise() -> None:
    assert clean("パン\ud800") == "パン?"


@given(ANY_TEXT)
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_japanese(text)
    assert normalise_japanese(once) == once


@given(ANY_TEXT)
def test_normal_form_has_no_spaces_or_forgiven_punctuation(text: str) -> None:
    normal = normalise_japanese(text)
    assert not any(ch.isspace() for ch in normal)
    assert not set(normal) & set("。、！？!?.,・")


@given(HIRAGANA)
def test_kana_folding_round_trips(text: str) -> None:
    assert to_hiragana(to_katakana(text)) == text


@given(HIRAGANA)
def test_pronunciation_key_is_stable(text: str) -> None:
    key = pronunciation_key(text)
    assert pronunciation_key(to_katakana(text)) == key
    assert fold_long_vowels(key) == key
