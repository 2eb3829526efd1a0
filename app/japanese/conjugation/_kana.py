"""Kana tables and script helpers the conjugation rules are written in.

Rules work on hiragana; a word written all in katakana is conjugated in hiragana and
turned back, so one set of tables serves both scripts.
"""

from __future__ import annotations

from typing import NamedTuple


class GodanRow(NamedTuple):
    """The kana a godan verb's final syllable turns into, by vowel, with its te-ending."""

    a: str
    i: str
    e: str
    o: str
    te: str
    unidic_row: str  # UniDic names the row in cType: 五段-カ行


GODAN_ROWS: dict[str, GodanRow] = {
    # う-verbs take わ, not あ, for the negative stem (買わない), from old ふ → は → わ.
    "う": GodanRow("わ", "い", "え", "お", "って", "ワア行"),
    "く": GodanRow("か", "き", "け", "こ", "いて", "カ行"),
    "ぐ": GodanRow("が", "ぎ", "げ", "ご", "いで", "ガ行"),
    "す": GodanRow("さ", "し", "せ", "そ", "して", "サ行"),
    "つ": GodanRow("た", "ち", "て", "と", "って", "タ行"),
    "ぬ": GodanRow("な", "に", "ね", "の", "んで", "ナ行"),
    "ぶ": GodanRow("ば", "び", "べ", "ぼ", "んで", "バ行"),
    "む": GodanRow("ま", "み", "め", "も", "んで", "マ行"),
    "る": GodanRow("ら", "り", "れ", "ろ", "って", "ラ行"),
}

# An ichidan verb's stem ends in an i- or e-row syllable (見る, 食べる).
I_OR_E_ROW = frozenset("いきぎしじちぢにひびぴみりえけげせぜてでねへべぺめれ")

_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_KANA_SHIFT = _KATAKANA_START - _HIRAGANA_START


def to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(c) - _KANA_SHIFT) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c for c in text
    )


def to_katakana(text: str) -> str:
    return "".join(
        chr(ord(c) + _KANA_SHIFT) if _HIRAGANA_START <= ord(c) <= _HIRAGANA_END else c for c in text
    )


def is_katakana(text: str) -> bool:
    """True for a word written wholly in katakana (ー and ヽヾ count)."""
    return bool(text) and all(0x30A1 <= ord(c) <= 0x30FE for c in text)


def is_hiragana(text: str) -> bool:
    return bool(text) and all(_HIRAGANA_START <= ord(c) <= _HIRAGANA_END for c in text)


def is_kana(char: str) -> bool:
    return is_hiragana(char) or is_katakana(char)
