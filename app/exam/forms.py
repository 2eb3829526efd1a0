"""Assembling a form: the items of an attempt, chosen from a pool by a blueprint.

``assemble`` is pure and seeded, so a form can be rebuilt and tested; ``load_pool`` reads
the candidates from the database. For each question type (part) it:

1. takes the items that fit the part (blueprint.Part says which) and have not been used
   by an earlier part of the form;
2. prefers items the candidate has not answered in an earlier attempt, and falls back to
   seen ones only when the unseen ones run out;
3. keeps reading items that share a passage together (one unit, the passage's first item
   first, never split unless the part has fewer places than the passage has questions);
4. balances difficulty: units sorted by difficulty (None counts as 0) are cut into as
   many strata as units are needed and one unit is drawn from each stratum, so a form
   spans the pool's range instead of landing on its easy or hard end by chance;
5. borrows from the parts listed in ``borrow`` when the part's own pool is short.

A section that still falls short is reported in ``Form.short``; the caller decides
whether a short form may be sat (a mock may; a certification form may not).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.exam.blueprint import Blueprint, Part, Section
from app.extensions import db
from app.models import Item


@dataclass(frozen=True)
class Candidate:
    """What assembly needs to know of an item (no keys, no database)."""

    id: str
    section: str
    type: str
    tags: frozenset[str]
    difficulty: float = 0.0
    passage_id: str | None = None
    order: tuple[str, int] = ("", 0)  # file and position: a passage's first item first


@dataclass
class Form:
    """The sections of an attempt, each with its parts' item ids in the order asked."""

    sections: list[dict[str, Any]] = field(default_factory=list)
    short: dict[str, int] = field(default_factory=dict)  # section -> places left empty

    def item_ids(self) -> list[str]:
        return [i for s in self.sections for p in s["parts"] for i in p["items"]]


def candidate_of(item: Item) -> Candidate:
    data = item.data
    tags = set(data.get("skills") or [])
    if data.get("task"):  # listening items name their JLPT task type in a field of its own
        tags.add(data["task"])
    return Candidate(
        id=item.id,
        section=item.section,
        type=item.type,
        tags=frozenset(tags),
        difficulty=float(item.scale_difficulty or 0.0),  # calibrated, else as authored
        passage_id=data.get("passage_id"),
        order=(item.source_path, item.position),
    )


def load_pool(level: str, use: str) -> list[Candidate]:
    """Every live item of the level meant for ``use`` (exam or practice)."""
    items = db.session.scalars(
        select(Item).where(Item.level == level, Item.use == use, Item.retired_at.is_(None))
    ).all()
    return [candidate_of(item) for item in items]


def fits(part: Part, section: Section, item: Candidate) -> bool:
    """Whether the item may fill this part (see blueprint.Part)."""
    if item.section != section.id:
        return False
    if not item.tags.isdisjoint(part.tags):
        return True
    return item.type in part.types and item.tags.isdisjoint(section.question_tags)


def _units(items: Iterable[Candidate]) -> list[list[Candidate]]:
    """Items grouped by passage (a passage's questions in authored order); others alone."""
    groups: dict[str, list[Candidate]] = {}
    for item in sorted(items, key=lambda c: (c.order, c.id)):
        groups.setdefault(item.passage_id or f"\0{item.id}", []).append(item)
    return list(groups.values())


def _difficulty(unit: list[Candidate]) -> float:
    return sum(c.difficulty for c in unit) / len(unit)


def _draw(units: list[list[Candidate]], places: int, rng: random.Random) -> list[Candidate]:
    """Up to ``places`` items, one unit per difficulty stratum, whole units first."""
    if places <= 0 or not units:
        return []
    pool = list(units)
    rng.shuffle(pool)  # ties in difficulty are broken by chance, not by file order
    pool.sort(key=_difficulty)
    size = sum(len(u) for u in pool) / len(pool)
    strata = max(1, min(len(pool), round(places / size)))
    chosen: list[list[Candidate]] = []
    left = places
    bounds = [round(i * len(pool) / strata) for i in range(strata + 1)]
    for lo, hi in itertools.pairwise(bounds):
        fitting = [u for u in pool[lo:hi] if len(u) <= left]
        if fitting:
            unit = rng.choice(fitting)
            chosen.append(unit)
            left -= len(unit)
    rest = [u for u in pool if not any(u is c for c in chosen)]
    rng.shuffle(rest)
    for unit in sorted(rest, key=len):  # fill what the strata left with whole units
        if len(unit) <= left:
            chosen.append(unit)
            left -= len(unit)
    if left and (partial := [u for u in rest if not any(u is c for c in chosen)]):
        chosen.append(min(partial, key=len)[:left])  # a passage's first questions, in order
    chosen.sort(key=_difficulty)
    return [c for unit in chosen for c in unit]


def _pick(
    pool: list[Candidate], places: int, seen: frozenset[str], rng: random.Random
) -> list[Candidate]:
    units = _units(pool)
    fresh = [u for u in units if not any(c.id in seen for c in u)]
    taken = _draw(fresh, places, rng)
    if len(taken) < places:
        stale = [u for u in units if any(c.id in seen for c in u)]
        taken += _draw(stale, places - len(taken), rng)
    return taken


def assemble(
    blueprint: Blueprint,
    pool: Iterable[Candidate],
    *,
    seen: Iterable[str] = (),
    seed: int = 0,
) -> Form:
    """The form for one attempt; the same pool, history and seed give the same form."""
    rng = random.Random(seed)
    seen_ids = frozenset(seen)
    candidates = sorted(pool, key=lambda c: c.id)
    form = Form()
    used: set[str] = set()

    def take(section: Section, source: Part, places: int) -> list[str]:
        free = [c for c in candidates if c.id not in used and fits(source, section, c)]
        got = [c.id for c in _pick(free, places, seen_ids, rng)]
        used.update(got)
        return got

    for section in blueprint.sections:
        by_skill = {part.skill: part for part in section.parts}
        taken: dict[str, list[str]] = {part.skill: [] for part in section.parts}
        # The scarcest question types choose first, so an item that fits two types goes
        # where it is needed; borrowing waits until every type has had its own items.
        scarce_first = sorted(
            section.parts,
            key=lambda p: sum(1 for c in candidates if fits(p, section, c)),
        )
        for part in scarce_first:
            taken[part.skill] += take(section, part, part.count)
        for part in section.parts:
            for lender in (by_skill[s] for s in part.borrow if s in by_skill):
                if len(taken[part.skill]) < part.count:
                    taken[part.skill] += take(section, lender, part.count - len(taken[part.skill]))
        placed = sum(len(ids) for ids in taken.values())
        if placed < section.count:
            form.short[section.id] = section.count - placed
        form.sections.append(
            {
                "id": section.id,
                "minutes": section.minutes,
                "parts": [{"skill": p.skill, "items": taken[p.skill]} for p in section.parts],
            }
        )
    return form
