"""Realistic answers for the benchmarks, made on the spot (nothing copied from anywhere).

Items are built from small N5 word lists; each is answered many times, as in a cohort,
with the mix of answers learners really type: right in kanji, in kana, in romaji, and
wrong in the usual ways (particle, tense, politeness, a word missing or swapped).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from app.japanese.readings import text_readings

SUBJECTS = ["私は", "田中さんは", "友達は", "先生は", "母は", "兄は", "学生は", "山田さんは"]
TIMES = ["毎朝", "毎晩", "今日", "明日", "昨日", "日曜日に", "七時に", "週末に"]
PLACES = ["家で", "学校で", "会社で", "駅で", "図書館で", "公園で", "レストランで", "部屋で"]
OBJECTS = [
    ("パン", "を", "食べ"),
    ("ご飯", "を", "食べ"),
    ("水", "を", "飲み"),
    ("お茶", "を", "飲み"),
    ("本", "を", "読み"),
    ("新聞", "を", "読み"),
    ("手紙", "を", "書き"),
    ("日本語", "を", "勉強し"),
    ("テレビ", "を", "見"),
    ("音楽", "を", "聞き"),
    ("写真", "を", "撮り"),
    ("宿題", "を", "し"),
]
ENDINGS = ["ます", "ました", "ません", "ませんでした"]
WORDS = [
    ("食べる", "たべる", "to eat"), ("飲む", "のむ", "to drink"),
    ("学校", "がっこう", "school"), ("先生", "せんせい", "teacher"),
    ("電車", "でんしゃ", "train"), ("新聞", "しんぶん", "newspaper"),
    ("友達", "ともだち", "friend"), ("会社", "かいしゃ", "company"),
    ("時計", "とけい", "clock"), ("大きい", "おおきい", "big"),
    ("小さい", "ちいさい", "small"), ("高い", "たかい", "expensive"),
    ("水", "みず", "water"), ("山", "やま", "mountain"), ("川", "かわ", "river"),
    ("勉強", "べんきょう", "study"), ("病院", "びょういん", "hospital"),
    ("銀行", "ぎんこう", "bank"), ("図書館", "としょかん", "library"),
    ("天気", "てんき", "weather"), ("仕事", "しごと", "work"),
    ("毎日", "まいにち", "every day"), ("来週", "らいしゅう", "next week"),
    ("旅行", "りょこう", "trip"),
]  # fmt: skip
CONJUGATIONS = [
    ("書いて", ["書いた", "書きて", "かいて", "kaite", "書って"]),
    ("食べました", ["食べます", "たべました", "食べた", "tabemashita", "食べませんでした"]),
    ("飲みません", ["飲みます", "のみません", "飲まない", "nomimasen", "飲みました"]),
    ("行って", ["行いて", "いって", "行った", "itte", "行きて"]),
    ("高くない", ["高い", "たかくない", "高くないです", "takakunai", "高かった"]),
    ("静かでした", ["静かです", "しずかでした", "静かだった", "shizuka deshita", "静かでした"]),
    ("見ます", ["見る", "みます", "見ません", "mimasu", "見ました"]),
    ("来ました", ["来ます", "きました", "来た", "kimashita", "来ません"]),
]

_ROMAJI = {}


@dataclass(frozen=True)
class Case:
    kind: str
    accepted: tuple[str, ...]
    answer: str


def _kana(text: str) -> str:
    return min(text_readings(text))


def _romaji(kana: str) -> str:
    from app.japanese.romaji import to_hepburn

    if kana not in _ROMAJI:
        _ROMAJI[kana] = to_hepburn(kana)
    return _ROMAJI[kana]


def _next_ending(ending: str) -> str:
    return ENDINGS[(ENDINGS.index(ending) + 1) % len(ENDINGS)]


def sentence_cases(n: int, rng: random.Random) -> list[Case]:
    combos = list(itertools.product(SUBJECTS, TIMES, PLACES, OBJECTS, ENDINGS))
    rng.shuffle(combos)
    cases: list[Case] = []
    for subject, time, place, (noun, particle, stem), ending in combos:
        reference = f"{subject}{time}{place}{noun}{particle}{stem}{ending}。"
        variants = [
            reference,
            _kana(reference),
            f"{time}{subject}{place}{noun}{particle}{stem}{ending}",
            f"{subject}{time}{place.replace('で', 'に')}{noun}{particle}{stem}{ending}",
            f"{subject}{time}{place}{noun}{particle}{stem}{_next_ending(ending)}",
            f"{subject}{time}{noun}{particle}{stem}{ending}",
            f"{subject}{time}{place}{noun}{particle}{stem}{'る' if stem.endswith('べ') else 'た'}",
            _romaji(_kana(reference)),
        ]
        for answer in variants:
            cases.append(Case("sentence", (reference,), answer))
        if len(cases) >= n:
            break
    return cases[:n]


def word_cases(n: int, rng: random.Random) -> list[Case]:
    cases = []
    while len(cases) < n:
        kanji, kana, _gloss = rng.choice(WORDS)
        other = rng.choice(WORDS)[0]
        answer = rng.choice([kanji, kana, _romaji(kana), other, kana[:-1], kana + "ー"])
        cases.append(Case("word", (kanji,), answer))
    return cases


def reading_cases(n: int, rng: random.Random) -> list[Case]:
    cases = []
    while len(cases) < n:
        kanji, kana, _gloss = rng.choice(WORDS)
        other = rng.choice(WORDS)[1]
        answer = rng.choice([kana, _romaji(kana), other, kanji, kana[:-1], "cat"])
        cases.append(Case("reading", (kana,), answer))
    return cases


def meaning_cases(n: int, rng: random.Random) -> list[Case]:
    cases = []
    while len(cases) < n:
        _kanji, _kana, gloss = rng.choice(WORDS)
        other = rng.choice(WORDS)[2]
        typo = gloss[:-2] + gloss[-1] + gloss[-2] if len(gloss) > 4 else gloss
        answer = rng.choice([gloss, gloss.upper(), f"the {gloss}.", typo, other, "食べる"])
        cases.append(Case("meaning", (gloss,), answer))
    return cases


def conjugation_cases(n: int, rng: random.Random) -> list[Case]:
    cases = []
    while len(cases) < n:
        target, wrongs = rng.choice(CONJUGATIONS)
        cases.append(Case("conjugation", (target,), rng.choice([target, *wrongs])))
    return cases


def all_cases(per_kind: int, seed: int = 7) -> dict[str, list[Case]]:
    rng = random.Random(seed)
    return {
        "reading": reading_cases(per_kind, rng),
        "meaning": meaning_cases(per_kind, rng),
        "word": word_cases(per_kind, rng),
        "conjugation": conjugation_cases(per_kind, rng),
        "sentence": sentence_cases(per_kind, rng),
    }
