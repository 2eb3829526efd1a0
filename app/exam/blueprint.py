"""The JLPT blueprint per level, as data: sections, their question types, item counts and
minutes, and which items may fill each question type.

The full blueprints follow the JLPT since December 2020 (N5 20/40/30 minutes, N4 25/55/35
minutes for vocabulary / grammar-reading / listening; N5 has no ``usage`` items) and are
filled from ``exam`` items, matched by their skill tags only.

The MOCK blueprints have the same sections and question types with fewer items and
minutes scaled to the item count. They are filled from ``practice`` items, most of which
carry no JLPT skill tag (they are tagged with their grammar point), so each question type
also names the item types that stand in for it when untagged (a ``choice`` item of the
grammar-reading section is a grammar-form question). A question type with too few
practice items borrows from the question types it lists in ``borrow``, which are always
of the same section (N4's vocabulary, for example, has no practice paraphrase or usage
items: they borrow from the ``meaning`` items that stand in for paraphrase).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

LEVELS = ("N5", "N4")
KINDS = ("mock", "certification")

# The score groups of N5 and N4: language knowledge with reading, and listening.
KNOWLEDGE_READING = "knowledge-reading"
LISTENING = "listening"
GROUP_OF_SECTION = {
    "vocabulary": KNOWLEDGE_READING,
    "grammar-reading": KNOWLEDGE_READING,
    "listening": LISTENING,
}


@dataclass(frozen=True)
class Part:
    """One JLPT question type (問題) of a section: how many items, and which items fit.

    An item fits when it carries one of ``skills`` among its tags, or when it carries no
    question-type tag of its section at all and its item type is one of ``types``.
    """

    skill: str
    count: int
    skills: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    borrow: tuple[str, ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        return self.skills or (self.skill,)


@dataclass(frozen=True)
class Section:
    id: str
    minutes: int
    parts: tuple[Part, ...]

    @property
    def count(self) -> int:
        return sum(part.count for part in self.parts)

    @property
    def group(self) -> str:
        return GROUP_OF_SECTION[self.id]

    @cached_property
    def question_tags(self) -> frozenset[str]:
        """Every tag that marks an item as one question type or another in this section."""
        return frozenset(tag for part in self.parts for tag in part.tags)


@dataclass(frozen=True)
class Blueprint:
    level: str
    kind: str
    use: str  # the items it is filled from: "exam" or "practice"
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def minutes(self) -> int:
        return sum(section.minutes for section in self.sections)

    def to_dict(self) -> dict[str, Any]:
        """A summary for pages: sections with their item counts and minutes."""
        return {
            "level": self.level,
            "kind": self.kind,
            "count": self.count,
            "minutes": self.minutes,
            "sections": [
                {
                    "id": s.id,
                    "minutes": s.minutes,
                    "count": s.count,
                    "parts": [{"skill": p.skill, "count": p.count} for p in s.parts],
                }
                for s in self.sections
            ],
        }


SHORT_TEXT = ("short-text", "memo", "message", "email", "notice")
MID_TEXT = ("mid-text", "essay", "diary")

JLPT: dict[str, Blueprint] = {
    "N5": Blueprint(
        "N5",
        "certification",
        "exam",
        (
            Section(
                "vocabulary",
                20,
                (
                    Part("kanji-reading", 7),
                    Part("orthography", 5),
                    Part("contextual-vocabulary", 6),
                    Part("paraphrase", 3),
                ),
            ),
            Section(
                "grammar-reading",
                40,
                (
                    Part("grammar-form", 9),
                    Part("sentence-composition", 4),
                    Part("text-grammar", 4),
                    Part("short-text", 2, SHORT_TEXT),
                    Part("mid-text", 2, MID_TEXT),
                    Part("information-retrieval", 1),
                ),
            ),
            Section(
                "listening",
                30,
                (
                    Part("task", 7),
                    Part("point", 6),
                    Part("utterance", 5),
                    Part("quick-response", 6),
                ),
            ),
        ),
    ),
    "N4": Blueprint(
        "N4",
        "certification",
        "exam",
        (
            Section(
                "vocabulary",
                25,
                (
                    Part("kanji-reading", 7),
                    Part("orthography", 5),
                    Part("contextual-vocabulary", 8),
                    Part("paraphrase", 4),
                    Part("usage", 4),
                ),
            ),
            Section(
                "grammar-reading",
                55,
                (
                    Part("grammar-form", 13),
                    Part("sentence-composition", 4),
                    Part("text-grammar", 4),
                    Part("short-text", 3, SHORT_TEXT),
                    Part("mid-text", 3, MID_TEXT),
                    Part("information-retrieval", 2),
                ),
            ),
            Section(
                "listening",
                35,
                (
                    Part("task", 8),
                    Part("point", 7),
                    Part("utterance", 5),
                    Part("quick-response", 8),
                ),
            ),
        ),
    ),
}

# Item counts of the mock, and how untagged practice items stand in and borrow.
_MOCK_PARTS: dict[str, dict[str, dict[str, Any]]] = {
    "N5": {
        "kanji-reading": {"count": 3, "types": ("reading",)},
        "orthography": {"count": 3, "borrow": ("kanji-reading",)},
        "contextual-vocabulary": {"count": 3, "types": ("cloze", "choice", "word")},
        "paraphrase": {"count": 1, "types": ("meaning",), "borrow": ("contextual-vocabulary",)},
        "grammar-form": {"count": 3, "types": ("choice", "cloze", "conjugation")},
        "sentence-composition": {"count": 2, "types": ("ordering",)},
        "text-grammar": {"count": 1, "types": ("sentence",), "borrow": ("grammar-form",)},
        "short-text": {"count": 2},
        "mid-text": {"count": 2, "borrow": ("short-text",)},
        "information-retrieval": {"count": 2, "borrow": ("short-text",)},
        "task": {"count": 2},
        "point": {"count": 2},
        "utterance": {"count": 1},
        "quick-response": {"count": 1},
    },
    "N4": {
        "kanji-reading": {"count": 3, "types": ("reading",)},
        "orthography": {"count": 2, "types": ("word",), "borrow": ("kanji-reading",)},
        "contextual-vocabulary": {
            "count": 2,
            "types": ("cloze", "choice"),
            "borrow": ("orthography",),
        },
        "paraphrase": {"count": 2, "types": ("meaning",)},
        "usage": {"count": 1, "borrow": ("paraphrase",)},
        "grammar-form": {"count": 3, "types": ("choice", "cloze", "conjugation")},
        "sentence-composition": {"count": 2, "types": ("ordering",)},
        "text-grammar": {"count": 1, "types": ("sentence",), "borrow": ("grammar-form",)},
        "short-text": {"count": 2},
        "mid-text": {"count": 2, "borrow": ("short-text",)},
        "information-retrieval": {"count": 2, "borrow": ("short-text",)},
        "task": {"count": 2},
        "point": {"count": 2},
        "utterance": {"count": 1},
        "quick-response": {"count": 1},
    },
}


def scaled_minutes(full: Section, count: int) -> int:
    """Minutes for ``count`` items at the full section's pace, rounded up."""
    return max(1, math.ceil(full.minutes * count / full.count))


def _mock(level: str) -> Blueprint:
    full = JLPT[level]
    settings = _MOCK_PARTS[level]
    sections = []
    for section in full.sections:
        parts = tuple(
            replace(
                part,
                count=settings[part.skill]["count"],
                types=settings[part.skill].get("types", ()),
                borrow=settings[part.skill].get("borrow", ()),
            )
            for part in section.parts
        )
        count = sum(p.count for p in parts)
        sections.append(replace(section, parts=parts, minutes=scaled_minutes(section, count)))
    return Blueprint(level, "mock", "practice", tuple(sections))


MOCK: dict[str, Blueprint] = {level: _mock(level) for level in LEVELS}

# The short certification form, for trial runs of a window (staff choose it per window):
# every question type of the full form, fewer items, filled from exam items like the full
# form and with the same pace (minutes scaled to the count, rounded up).
_SHORT_COUNTS: dict[str, dict[str, int]] = {
    "N5": {
        "kanji-reading": 2, "orthography": 2, "contextual-vocabulary": 2, "paraphrase": 1,
        "grammar-form": 3, "sentence-composition": 1, "text-grammar": 1, "short-text": 1,
        "mid-text": 1, "information-retrieval": 1,
        "task": 2, "point": 2, "utterance": 1, "quick-response": 1,
    },
    "N4": {
        "kanji-reading": 2, "orthography": 2, "contextual-vocabulary": 2, "paraphrase": 1,
        "usage": 1,
        "grammar-form": 3, "sentence-composition": 1, "text-grammar": 1, "short-text": 1,
        "mid-text": 1, "information-retrieval": 1,
        "task": 2, "point": 2, "utterance": 1, "quick-response": 1,
    },
}  # fmt: skip
# A trial run should not wait for the bank's scarcest reading type: a longer text may be
# stood in for by a short one (the full form borrows nothing).
_SHORT_BORROW = {"mid-text": ("short-text",)}


def _short(level: str) -> Blueprint:
    counts = _SHORT_COUNTS[level]
    sections = []
    for section in JLPT[level].sections:
        parts = tuple(
            replace(part, count=counts[part.skill], borrow=_SHORT_BORROW.get(part.skill, ()))
            for part in section.parts
        )
        count = sum(p.count for p in parts)
        sections.append(replace(section, parts=parts, minutes=scaled_minutes(section, count)))
    return Blueprint(level, "certification", "exam", tuple(sections))


SHORT: dict[str, Blueprint] = {level: _short(level) for level in LEVELS}
SIZES = ("full", "short")


def blueprint_for(level: str, kind: str, size: str = "full") -> Blueprint:
    """The blueprint a new attempt of this level and kind is assembled by; ``size``
    chooses the short certification form (a mock has one size only)."""
    if level not in LEVELS or kind not in KINDS or size not in SIZES:
        raise KeyError(f"no blueprint for {kind} ({size}) at {level}")
    if kind == "mock":
        return MOCK[level]
    return SHORT[level] if size == "short" else JLPT[level]
