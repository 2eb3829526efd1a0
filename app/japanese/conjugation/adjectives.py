"""Adjective conjugation: every form of an i-adjective (高い) or a na-adjective (静か).

Where Japanese has two standard ways to say the same thing (じゃない／ではない,
高くありません／高くないです) all are listed, so that a learner is never marked wrong
for the one the author did not think of; the most usual comes first.
"""

from __future__ import annotations

from app.japanese.conjugation.lexicon import Lexeme

Table = dict[str, tuple[str, ...]]


def adjective_table(lexeme: Lexeme) -> Table:
    """All forms of an adjective (hiragana where it was katakana; the caller converts)."""
    if lexeme.word_class == "i-adj":
        return _i_adjective(lexeme)
    return _na_adjective(lexeme)


def _i_adjective(lexeme: Lexeme) -> Table:
    word = lexeme.text
    # いい borrows every form but itself and いいです from よい: よくない, よかった.
    stem = word[:-2] + "よ" if lexeme.quirk == "yoi" else word[:-1]
    return {
        "dictionary": (word,),
        "negative": (stem + "くない",),
        "past": (stem + "かった",),
        "past-negative": (stem + "くなかった",),
        "te": (stem + "くて",),
        "adverb": (stem + "く",),
        "ba": (stem + "ければ",),
        "tara": (stem + "かったら",),
        "polite": (word + "です",),
        "polite-negative": (stem + "くありません", stem + "くないです"),
        "polite-past": (stem + "かったです",),
        "polite-past-negative": (stem + "くありませんでした", stem + "くなかったです"),
    }


def _na_adjective(lexeme: Lexeme) -> Table:
    s = lexeme.text
    return {
        # The plain predicate, as GRADING.md settles it: 静かだ, not the bare stem.
        "dictionary": (s + "だ",),
        "negative": (s + "じゃない", s + "ではない"),
        "past": (s + "だった",),
        "past-negative": (s + "じゃなかった", s + "ではなかった"),
        "te": (s + "で",),
        "adverb": (s + "に",),
        "ba": (s + "なら", s + "ならば", s + "であれば"),
        "tara": (s + "だったら",),
        "polite": (s + "です",),
        "polite-negative": (
            s + "じゃありません",
            s + "ではありません",
            s + "じゃないです",
            s + "ではないです",
        ),
        "polite-past": (s + "でした",),
        "polite-past-negative": (
            s + "じゃありませんでした",
            s + "ではありませんでした",
            s + "じゃなかったです",
            s + "ではなかったです",
        ),
        # 同じ stands before a noun as it is (同じ本), never 同じな.
        "prenominal": (s,) if lexeme.quirk == "onaji" else (s + "な",),
    }
