"""A learner's Japanese answer, read the way the checker needs it.

Romaji runs become kana (every reading of ambiguous romaji is kept); then the answer's
readings and pronunciations are worked out like a reference's, but without any of the
freedoms (orders, に/へ) that only references grant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from app.japanese import romaji
from app.japanese.readings import Sound, combine_prons, combine_readings, sounds_of
from app.japanese.text import (
    clean,
    has_kanji,
    has_latin,
    is_japanese,
    normalise_japanese,
    pronunciation_key,
    to_hiragana,
)
from app.japanese.tokenizer import Token, tokenize

MAX_ANSWER_LENGTH = 200  # characters after normalisation; a sentence at N4 is far shorter
_LATIN_RUN = re.compile(r"[A-Za-zĀāĪīŪūĒēŌōÂâÎîÛûÊêÔô'\- ]+")


@dataclass(frozen=True)
class Reading:
    """One way of reading the answer (romaji can give several).

    Kana needs no dictionary to be read, so an answer without kanji is compared as it
    stands and only tokenised if it turns out wrong (to explain why). This keeps the
    common case, a kana or romaji answer, several times cheaper than a MeCab parse.
    """

    text: str  # the answer as Japanese text, romaji converted to hiragana

    @cached_property
    def has_kanji(self) -> bool:
        return has_kanji(self.text)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tokenize(self.text)

    @cached_property
    def _sounds(self) -> list[tuple[Sound, ...]]:
        return [sounds_of(t) for t in self.tokens]

    @cached_property
    def readings(self) -> frozenset[str]:
        if not self.has_kanji:
            return frozenset({to_hiragana(self.text)})
        return combine_readings(self._sounds)

    @cached_property
    def prons(self) -> frozenset[str]:
        """Pronunciations, for romaji answers (whose kana is already phonetic: "wa")."""
        if not self.has_kanji:
            return frozenset({pronunciation_key(self.text)})
        return combine_prons(self._sounds)

    @cached_property
    def first_pron(self) -> str:
        """The answer's pronunciation as MeCab reads it (は as wa), no alternatives."""
        return pronunciation_key("".join(sounds[0].pronunciation for sounds in self._sounds))


@dataclass(frozen=True)
class Answer:
    original: str
    normal: str
    is_empty: bool
    is_english: bool  # Latin text that is not romaji
    from_romaji: bool
    too_long: bool
    readings: tuple[Reading, ...]


def _romaji_candidates(text: str) -> list[str] | None:
    """The text with each Latin run converted to kana; None if a run is not romaji."""
    pieces: list[list[str]] = []
    last = 0
    for match in _LATIN_RUN.finditer(text):
        run = match.group()
        if not run.strip(" '-"):
            continue
        kana = romaji.to_kana(run)
        if not kana:
            return None
        pieces.append([text[last : match.start()]])
        pieces.append(kana[:8])
        last = match.end()
    pieces.append([text[last:]])
    candidates = [""]
    for options in pieces:
        candidates = [c + o for c in candidates for o in options][: romaji.MAX_CANDIDATES]
    return candidates


def read_answer(original: str) -> Answer:
    cleaned = clean(original)
    normal = normalise_japanese(cleaned)
    if not normal:
        return Answer(original, normal, True, False, False, False, ())
    if len(normal) > MAX_ANSWER_LENGTH:
        english = not is_japanese(cleaned)
        return Answer(original, normal, False, english, False, True, ())
    from_romaji = has_latin(cleaned)
    texts = [normal]
    if from_romaji:
        converted = _romaji_candidates(cleaned)
        if converted is None and not is_japanese(cleaned):
            return Answer(original, normal, False, True, False, False, ())
        if converted is None:  # Japanese with stray Latin letters: compared as typed
            from_romaji = False
        else:
            texts = [normalise_japanese(c) for c in converted]
    readings = [Reading(text) for text in dict.fromkeys(texts)]
    return Answer(original, normal, False, False, from_romaji, False, tuple(readings))
