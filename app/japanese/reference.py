"""An accepted answer, analysed once and cached: its tokens, and every spelling-free
way of saying it (readings and pronunciations) that the checker must accept.

For sentences this includes the orders Japanese allows for the particle-marked phrases
before the predicate, and に/へ swapped where they mark the destination of a verb of
motion (GRADING.md). Because items are answered by many learners, this work is done
once per accepted answer, not once per answer.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property, lru_cache

from app.japanese.readings import Sound, combine_prons, combine_readings, sounds_of
from app.japanese.text import normalise_japanese
from app.japanese.tokenizer import Token, tokenize

# Particles after which a phrase may move (not の, which binds to the next noun).
MOVABLE_AFTER = frozenset({"は", "が", "を", "に", "へ", "で", "と", "から", "まで", "も", "より"})
# Verbs of motion, as UniDic lemmas (帰る is filed under 返る, 出かける under 出掛ける).
MOTION_VERBS = frozenset(
    {"行く", "来る", "返る", "出掛ける", "戻る", "向かう", "引っ越す", "移る", "参る", "上る",
     "いらっしゃる", "入る"}
)  # fmt: skip
MAX_PHRASES_TO_PERMUTE = 4


def is_particle(token: Token) -> bool:
    return token.pos[0] == "助詞"


def is_case_particle(token: Token) -> bool:
    return is_particle(token) and token.pos[1] in ("格助詞", "係助詞", "副助詞")


def is_time_word(token: Token) -> bool:
    """Time expressions take に but never へ (七時に, 日曜日に)."""
    return token.pos[2] in ("副詞可能", "助数詞可能", "助数詞") or token.pos[1] == "数詞"


def is_free_adverbial(token: Token) -> bool:
    """Adverbs and time words stand as phrases of their own without a particle
    (毎朝, 少し, 昨日): they may move like particle-marked phrases."""
    return token.pos[0] == "副詞" or (token.pos[0] == "名詞" and token.pos[2] == "副詞可能")


def phrases(tokens: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    """Split before the predicate at movable particles and free adverbials:
    私は | 毎朝 | パンを | 食べます."""
    out: list[tuple[Token, ...]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        current.append(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is None or is_particle(following) or following.pos[0] == "補助記号":
            continue
        if (is_case_particle(token) and token.surface in MOVABLE_AFTER) or (
            len(current) == 1 and is_free_adverbial(token)
        ):
            out.append(tuple(current))
            current = []
    if current:
        out.append(tuple(current))
    return out


def predicate_lemmas(tokens: tuple[Token, ...]) -> set[str]:
    """The verbs of the final phrase (来てください: 来る and 下さる)."""
    return {t.lemma for t in phrases(tokens)[-1] if t.pos[0] == "動詞"}


@dataclass(frozen=True)
class Reference:
    """One accepted answer (already expanded from the syntax), ready to compare against.

    The readings of the written order come first and cheaply; the other phrase orders
    and the pronunciations (for romaji) are worked out only when an answer needs them.
    """

    text: str
    tokens: tuple[Token, ...]
    sentence: bool
    lemmas: frozenset[str]

    @cached_property
    def variants(self) -> tuple[tuple[Token, ...], ...]:
        """The written order, then its に/へ swaps, then the other phrase orders."""
        written = _destination_swaps(self.tokens) if self.sentence else [self.tokens]
        others = [
            swapped
            for ordered in _orders(self.tokens, self.sentence)[1:]
            for swapped in _destination_swaps(ordered)
        ]
        return tuple(written + others)

    @cached_property
    def _sounds(self) -> tuple[tuple[tuple[Sound, ...], ...], ...]:
        return tuple(tuple(sounds_of(t) for t in variant) for variant in self.variants)

    @cached_property
    def readings(self) -> frozenset[str]:
        """Readings of the written order only (the common case, checked first)."""
        return combine_readings(list(self._sounds[0]))

    @cached_property
    def surfaces(self) -> frozenset[str]:
        return frozenset("".join(t.surface for t in variant) for variant in self.variants)

    @cached_property
    def all_readings(self) -> frozenset[str]:
        return frozenset().union(*(combine_readings(list(v)) for v in self._sounds))

    @cached_property
    def written_prons(self) -> frozenset[str]:
        return combine_prons(list(self._sounds[0]))

    @cached_property
    def prons(self) -> frozenset[str]:
        return frozenset().union(*(combine_prons(list(v)) for v in self._sounds))


def _orders(tokens: tuple[Token, ...], reorder: bool) -> list[tuple[Token, ...]]:
    if not reorder:
        return [tokens]
    parts = phrases(tokens)
    movable, predicate = parts[:-1], parts[-1:]
    if len(movable) < 2 or len(movable) > MAX_PHRASES_TO_PERMUTE:
        return [tokens]
    return [
        tuple(t for part in (*order, *predicate) for t in part)
        for order in itertools.permutations(movable)
    ]


def _destination_swaps(tokens: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    """に and へ exchanged where they mark where a verb of motion goes."""
    if not predicate_lemmas(tokens) & MOTION_VERBS:
        return [tokens]
    variants = [tokens]
    for i, token in enumerate(tokens):
        if not (is_case_particle(token) and token.surface in ("に", "へ")) or i == 0:
            continue
        if is_time_word(tokens[i - 1]):
            continue
        other = "へ" if token.surface == "に" else "に"
        swapped = Token(
            surface=other,
            lemma=other,
            reading="ニ" if other == "に" else "ヘ",
            pronunciation="ニ" if other == "に" else "エ",
            pos=token.pos,
            conjugation_type="",
            conjugation_form="",
            base=other,
        )
        variants += [(*v[:i], swapped, *v[i + 1 :]) for v in variants]
    return variants


@lru_cache(maxsize=4096)
def analyse(text: str, *, sentence: bool) -> Reference:
    """Analyse one accepted answer; ``sentence`` allows the free phrase orders."""
    normal = normalise_japanese(text)
    tokens = tokenize(normal)
    return Reference(normal, tokens, sentence, frozenset(t.lemma for t in tokens))
