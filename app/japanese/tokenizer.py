"""The one MeCab adapter: a lazily built fugashi Tagger and our own frozen Token.

Building a Tagger searches for the dictionary and runs a probe parse, so each process
builds it once, on first use rather than at import (gunicorn workers fork cheaply and
share the dictionary's memory-mapped pages). fugashi's nodes point into MeCab's memory
and are reused by the next parse, so everything needed is copied into ``Token`` at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import fugashi

_lock = threading.Lock()
_tagger: fugashi.Tagger | None = None

# UniDic marks an empty field with "*"; we use "" so callers test with plain truthiness.
_EMPTY = "*"


@dataclass(frozen=True, slots=True)
class Token:
    """One word as MeCab (UniDic) sees it."""

    surface: str
    lemma: str
    reading: str
    pronunciation: str
    pos: tuple[str, str, str, str]
    conjugation_type: str
    conjugation_form: str

    @property
    def part_of_speech(self) -> str:
        return self.pos[0]


def _field(value: str | None) -> str:
    return "" if value in (None, _EMPTY) else value


def get_tagger() -> fugashi.Tagger:
    """The process's Tagger, built on first use (thread-safe)."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                import fugashi  # imported here so app start-up does not pay for it

                _tagger = fugashi.Tagger()
    return _tagger


def is_loaded() -> bool:
    return _tagger is not None


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """Split text into Tokens; cached because quiz answers repeat a great deal."""
    tokens = []
    for node in get_tagger()(text):
        f = node.feature
        # UniDic's lemma carries a sense tag ("私-代名詞"); the word is the part before it.
        lemma = _field(f.lemma).split("-", 1)[0] or node.surface
        tokens.append(
            Token(
                surface=node.surface,
                lemma=lemma,
                reading=_field(f.kana),
                pronunciation=_field(f.pron),
                pos=(_field(f.pos1), _field(f.pos2), _field(f.pos3), _field(f.pos4)),
                conjugation_type=_field(f.cType),
                conjugation_form=_field(f.cForm),
            )
        )
    return tuple(tokens)


def self_check() -> bool:
    """Tokenise a known sentence: proves the dictionary is installed and answers sensibly."""
    return any(
        t.lemma == "勉強" and t.reading == "ベンキョウ" for t in tokenize("日本語を勉強します")
    )
