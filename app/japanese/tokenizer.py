"""The one MeCab adapter: a lazily built fugashi Tagger and our own frozen Token.

Building a Tagger searches for the dictionary and runs a probe parse, so each process
builds it once, on first use rather than at import (gunicorn workers fork cheaply and
share the dictionary's memory-mapped pages). fugashi's nodes point into MeCab's memory
and are reused by the next parse, so everything needed is copied into ``Token`` at once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from app.japanese._lazy import Lazy

if TYPE_CHECKING:
    import fugashi


def _build_tagger() -> fugashi.Tagger:
    import fugashi  # imported here so app start-up does not pay for it

    return fugashi.Tagger()


_tagger: Lazy[fugashi.Tagger] = Lazy(_build_tagger)

# UniDic marks an empty field with "*"; we use "" so callers test with plain truthiness.
_EMPTY = "*"


class Token(NamedTuple):
    """One word as MeCab (UniDic) sees it. A NamedTuple: immutable, hashable, and
    several times cheaper to create than a frozen dataclass, which matters at thousands
    of tokens a second."""

    surface: str
    lemma: str
    reading: str
    pronunciation: str
    pos: tuple[str, str, str, str]
    conjugation_type: str
    conjugation_form: str
    base: str = ""  # the dictionary form as written here (帰り → 帰る; lemma is 返る)
    unknown: bool = False  # not in the dictionary: MeCab guessed it from the characters


def get_tagger() -> fugashi.Tagger:
    """The process's Tagger, built on first use (thread-safe)."""
    return _tagger.get()


def is_loaded() -> bool:
    return _tagger.loaded


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """Split text into Tokens; cached because quiz answers repeat a great deal."""
    tokens = []
    for node in get_tagger()(text):
        f = node.feature
        # UniDic's lemma carries a sense tag ("私-代名詞"); the word is the part before it.
        # Unknown words have None, known ones "*", for an empty field. (Written inline:
        # this loop runs for every token of every answer.)
        lemma, kana, pron, base = f.lemma, f.kana, f.pron, f.orthBase
        pos1, pos2, pos3, pos4, ctype, cform = f.pos1, f.pos2, f.pos3, f.pos4, f.cType, f.cForm
        tokens.append(
            Token(
                node.surface,
                lemma.split("-", 1)[0] if lemma and lemma != _EMPTY else node.surface,
                kana if kana and kana != _EMPTY else "",
                pron if pron and pron != _EMPTY else "",
                (
                    pos1 if pos1 and pos1 != _EMPTY else "",
                    pos2 if pos2 and pos2 != _EMPTY else "",
                    pos3 if pos3 and pos3 != _EMPTY else "",
                    pos4 if pos4 and pos4 != _EMPTY else "",
                ),
                ctype if ctype and ctype != _EMPTY else "",
                cform if cform and cform != _EMPTY else "",
                base if base and base != _EMPTY else node.surface,
                node.is_unk,
            )
        )
    return tuple(_corrected(tokens))


# Endings that take 来る's 未然形 (こ): MeCab sometimes reads 来 as き before them
# (来させる as きさせる), so the reading is put right here, once, for every caller.
_AFTER_KO = frozenset({"させる", "せる", "られる", "れる", "ない", "ず", "ぬ", "よう", "まい"})


def _corrected(tokens: list[Token]) -> list[Token]:
    for i, token in enumerate(tokens[:-1]):
        if (
            token.conjugation_type == "カ行変格"
            and token.surface == "来"
            and token.reading == "キ"
            and tokens[i + 1].lemma in _AFTER_KO
        ):
            tokens[i] = token._replace(
                reading="コ", pronunciation="コ", conjugation_form="未然形-一般"
            )
    return tokens


def self_check() -> bool:
    """Tokenise a known sentence: proves the dictionary is installed and answers sensibly."""
    return any(
        t.lemma == "勉強" and t.reading == "ベンキョウ" for t in tokenize("日本語を勉強します")
    )
