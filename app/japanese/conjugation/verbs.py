"""Verb conjugation: every form of a godan, ichidan, する or 来る verb.

Each class builds a whole table at once from a few stems, which keeps the rules side by
side where a reader can compare them with a textbook's chart. A form a verb lacks (the
potential of ある) is simply absent from its table.
"""

from __future__ import annotations

from collections.abc import Callable

from app.japanese.conjugation._kana import GODAN_ROWS
from app.japanese.conjugation.lexicon import Lexeme

Table = dict[str, tuple[str, ...]]


def verb_table(lexeme: Lexeme) -> Table:
    """All forms of a verb, in hiragana where the word was katakana (the caller converts)."""
    build: Callable[[Lexeme], Table] = _BUILDERS[lexeme.word_class]
    return build(lexeme)


def _polite(masu_stem: str) -> Table:
    return {
        "masu": (masu_stem + "ます",),
        "masu-negative": (masu_stem + "ません",),
        "masu-past": (masu_stem + "ました",),
        "masu-past-negative": (masu_stem + "ませんでした",),
        "masu-volitional": (masu_stem + "ましょう",),
    }


def _godan(lexeme: Lexeme) -> Table:
    word, quirk = lexeme.text, lexeme.quirk
    stem, row = word[:-1], GODAN_ROWS[word[-1]]
    te = {"iku": "って", "tou": "うて"}.get(quirk or "", row.te)
    ta = te[:-1] + ("だ" if te.endswith("で") else "た")
    a = stem + row.a
    # いらっしゃる and its kin: いらっしゃいます, いらっしゃい; but いらっしゃりたい.
    masu_stem = stem + ("い" if quirk == "honorific" else row.i)
    table: Table = {
        "dictionary": (word,),
        **_polite(masu_stem),
        "te": (stem + te,),
        "ta": (stem + ta,),
        "nai": (a + "ない",),
        "nakatta": (a + "なかった",),
        "tai": (stem + row.i + "たい",),
        "potential": (stem + row.e + "る",),
        "volitional": (stem + row.o + "う",),
        "imperative": (stem + ("い" if quirk == "honorific" else row.e),),
        "prohibitive": (word + "な",),
        "ba": (stem + row.e + "ば",),
        "tara": (stem + ta + "ら",),
        "passive": (a + "れる",),
        "causative": (a + "せる",),
        # The short causative-passive (書かされる) is standard except where it would
        # stack さ on さ (話さされる), so す-verbs keep only the long one.
        "causative-passive": (a + "せられる",) + (() if word[-1] == "す" else (a + "される",)),
    }
    if quirk == "aru":
        # ある's negative is the adjective ない; it has no potential, passive or causative.
        base = word[:-2]
        table["nai"] = (base + "ない",)
        table["nakatta"] = (base + "なかった",)
        for form in ("potential", "passive", "causative", "causative-passive"):
            del table[form]
    return table


def _ichidan(lexeme: Lexeme) -> Table:
    word = lexeme.text
    stem = word[:-1]
    # 食べよ is the literary imperative, allowed beside 食べろ; くれる has only くれ.
    imperative = (stem,) if lexeme.quirk == "kureru" else (stem + "ろ", stem + "よ")
    return {
        "dictionary": (word,),
        **_polite(stem),
        "te": (stem + "て",),
        "ta": (stem + "た",),
        "nai": (stem + "ない",),
        "nakatta": (stem + "なかった",),
        "tai": (stem + "たい",),
        # No ら抜き (食べれる): the standard potential is the same as the passive.
        "potential": (stem + "られる",),
        "volitional": (stem + "よう",),
        "imperative": imperative,
        "prohibitive": (word + "な",),
        "ba": (stem + "れば",),
        "tara": (stem + "たら",),
        "passive": (stem + "られる",),
        "causative": (stem + "させる",),
        "causative-passive": (stem + "させられる",),
    }


def _suru(lexeme: Lexeme) -> Table:
    word = lexeme.text
    noun = word[:-2]  # 勉強 of 勉強する; empty for する itself
    table: Table = {
        "dictionary": (word,),
        **_polite(noun + "し"),
        "te": (noun + "して",),
        "ta": (noun + "した",),
        "nai": (noun + "しない",),
        "nakatta": (noun + "しなかった",),
        "tai": (noun + "したい",),
        "potential": (noun + "できる",),
        "volitional": (noun + "しよう",),
        "imperative": (noun + "しろ", noun + "せよ"),
        "prohibitive": (word + "な",),
        "ba": (noun + "すれば",),
        "tara": (noun + "したら",),
        "passive": (noun + "される",),
        "causative": (noun + "させる",),
        "causative-passive": (noun + "させられる",),
    }
    if lexeme.quirk == "bound-suru":
        # 愛する can say 愛せる, 察する only 察せられる: no one rule, so no answer.
        del table["potential"]
    return table


def _kuru(lexeme: Lexeme) -> Table:
    word = lexeme.text
    base = word[:-2]  # 持って of 持ってくる
    # Written 来 the kanji never changes, though its reading does (く, き, こ).
    ku, ki, ko = ("来", "来", "来") if word.endswith("来る") else ("く", "き", "こ")
    ku, ki, ko = base + ku, base + ki, base + ko
    return {
        "dictionary": (word,),
        **_polite(ki),
        "te": (ki + "て",),
        "ta": (ki + "た",),
        "nai": (ko + "ない",),
        "nakatta": (ko + "なかった",),
        "tai": (ki + "たい",),
        "potential": (ko + "られる",),
        "volitional": (ko + "よう",),
        "imperative": (ko + "い",),
        "prohibitive": (word + "な",),
        "ba": (ku + "れば",),
        "tara": (ki + "たら",),
        "passive": (ko + "られる",),
        "causative": (ko + "させる",),
        "causative-passive": (ko + "させられる",),
    }


_BUILDERS: dict[str, Callable[[Lexeme], Table]] = {
    "godan": _godan,
    "ichidan": _ichidan,
    "suru": _suru,
    "kuru": _kuru,
}
