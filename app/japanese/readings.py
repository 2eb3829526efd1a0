"""What a piece of Japanese can sound like: every reading, as kana and as pronunciation.

Comparing answers by reading makes kana and kanji spellings of the same words one
answer, whatever way MeCab splits an unfamiliar kana string (まいあさ can come out as
three interjections, but it still reads まいあさ). A kanji word may have more than one
reading (私: わたし, わたくし; 日本: にほん, にっぽん): MeCab's n-best analysis of the word
alone lists them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from app.japanese.text import has_kanji, loanword_variant, pronunciation_key, to_hiragana
from app.japanese.tokenizer import Token, get_tagger, tokenize

MAX_VARIANTS = 64


@dataclass(frozen=True, slots=True)
class Sound:
    """One way a token may be read: hiragana reading and folded pronunciation key."""

    reading: str
    pronunciation: str


@lru_cache(maxsize=8192)
def alternatives(surface: str, pos1: str) -> tuple[Sound, ...]:
    """Other readings MeCab knows for this word written alone, same part of speech."""
    sounds: list[Sound] = []
    for path in get_tagger().nbestToNodeList(surface, 6):
        if len(path) != 1:
            continue
        node = path[0]
        if node.feature.pos1 != pos1 or node.feature.kana in (None, "*"):
            continue
        sound = Sound(to_hiragana(node.feature.kana), pronunciation_key(node.feature.pron))
        if sound not in sounds:
            sounds.append(sound)
    return tuple(sounds)


@lru_cache(maxsize=16384)
@lru_cache(maxsize=8192)
def dictionary_readings(surface: str) -> frozenset[str]:
    """Every reading (hiragana) MeCab's dictionary gives a word written alone, whatever
    its part of speech: for a single kanji, its readings as a word or word part."""
    return frozenset(
        to_hiragana(path[0].feature.kana)
        for path in get_tagger().nbestToNodeList(surface, 10)
        if len(path) == 1 and path[0].feature.kana not in (None, "*")
    )


def sounds_of(token: Token) -> tuple[Sound, ...]:
    """Every acceptable reading of one token. Kana is read as written (は stays は in
    the reading, ワ in the pronunciation); kanji get MeCab's reading and its alternatives."""
    if not has_kanji(token.surface):
        sound = Sound(
            to_hiragana(token.surface), pronunciation_key(token.pronunciation or token.surface)
        )
        other = loanword_variant(token.surface)
        if other is None:
            return (sound,)
        return (sound, Sound(to_hiragana(other), pronunciation_key(other)))
    own = Sound(to_hiragana(token.reading), pronunciation_key(token.pronunciation))
    sounds = [own]
    if not token.conjugation_type:  # inflected words have one reading in context
        sounds += [s for s in alternatives(token.surface, token.pos[0]) if s not in sounds]
        if token.pos[0] in ("接尾辞", "接頭辞"):
            # MeCab sometimes takes a noun for an affix (昨日家で: 家 as the suffix や);
            # the noun's own readings are then just as likely.
            sounds += [s for s in alternatives(token.surface, "名詞") if s not in sounds]
    return tuple(sounds)


def combine_readings(per_token: list[tuple[Sound, ...]]) -> frozenset[str]:
    """All readings of a token sequence (capped: a learner's answer matches one of the
    first few in practice)."""
    return frozenset(
        "".join(s.reading for s in combination)
        for combination in itertools.islice(itertools.product(*per_token), MAX_VARIANTS)
    )


def combine_prons(per_token: list[tuple[Sound, ...]]) -> frozenset[str]:
    """All pronunciation keys of a token sequence (only romaji answers need them)."""
    return frozenset(
        pronunciation_key("".join(s.pronunciation for s in combination))
        for combination in itertools.islice(itertools.product(*per_token), MAX_VARIANTS)
    )


@lru_cache(maxsize=4096)
def text_readings(text: str) -> frozenset[str]:
    return combine_readings([sounds_of(t) for t in tokenize(text)])
