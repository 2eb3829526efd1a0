"""Item statistics, as Moodle's quiz statistics report them: pure arithmetic, no database.

What is measured, for each item, over the first answer each person gave to it:

- **facility**: the share of those answers that were right (0 to 1).
- **discrimination**: the point-biserial correlation between the item's score (1 right,
  0 wrong) and the person's *rest-score*: their share right on the *other* items of the
  same level that they answered. A share rather than a sum, because trainees meet
  different items in practice, so sums over different numbers of items would not compare.
  People with no other answer at that level have no rest-score and are left out of this
  one figure. Undefined (``None``, shown as "–") when everyone scored the same on the item
  or everyone had the same rest-score: a correlation needs variation on both sides.
- **distractor rates** for choice-like items: the share of answers choosing each option.
- **median response time**, over the answers that carry one.

An item is *judged* (its statistics may raise flags) only with at least ``MIN_RESPONSES``
answers: below that, one lucky guess moves facility by several points. Open disputes are
a person's report, not a statistic, so they flag an item whatever its count.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

MIN_RESPONSES = 30
TOO_HARD = 0.2  # facility below this: almost nobody gets it right
TOO_EASY = 0.95  # facility above this: it tells nobody apart
WEAK = 0.15  # discrimination below this: the item barely follows ability

# Flag codes; the pages say each one in words (app/templates/analysis/_flags.html).
REVERSED = "reversed"
WEAK_DISCRIMINATION = "weak"
TOO_HARD_FLAG = "too-hard"
TOO_EASY_FLAG = "too-easy"
UNUSED_DISTRACTOR = "unused-distractor"
OPEN_DISPUTES = "disputes"
SERIOUS = frozenset({REVERSED})


@dataclass(frozen=True)
class Answer:
    """One person's first answer to one item, from whichever source."""

    user_id: int
    item_id: str
    correct: bool
    answer: Any = None
    response_ms: int | None = None


@dataclass(frozen=True)
class ItemInfo:
    """What the statistics need to know about an item."""

    id: str
    level: str
    options: tuple[str, ...] = ()  # choice-like items only
    key: str | None = None  # the right option, for choice-like items


@dataclass(frozen=True)
class Flag:
    """One reason for concern; ``value`` is the figure behind it (for the sentence)."""

    code: str
    weight: float
    value: Any = None

    @property
    def serious(self) -> bool:
        return self.code in SERIOUS


@dataclass(frozen=True)
class OptionRate:
    option: str
    count: int
    share: float
    is_key: bool


@dataclass(frozen=True)
class ItemStats:
    item_id: str
    responses: int
    correct: int
    facility: float | None
    discrimination: float | None
    discrimination_people: int  # how many people had a rest-score
    median_ms: float | None
    open_disputes: int
    judged: bool
    options: tuple[OptionRate, ...] = ()
    other_answers: int = 0  # choice-like answers that match no option
    wrong_answers: tuple[tuple[str, int], ...] = ()  # typed items: most common first
    flags: tuple[Flag, ...] = field(default=())

    @property
    def concern(self) -> float:
        """What the list is sorted by: the sum of the flags' weights (see ``flags_for``)."""
        return round(sum(f.weight for f in self.flags), 6)


def facility(scores: Sequence[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def point_biserial(scores: Sequence[int], rest: Sequence[float]) -> float | None:
    """Pearson's r between 0/1 scores and rest-scores, which for a 0/1 variable is the
    point-biserial (M1 − M0) / s · √(pq). ``None`` where either side does not vary."""
    n = len(scores)
    if n < 2 or n != len(rest):
        return None
    mean_x, mean_y = sum(scores) / n, sum(rest) / n
    var_x = sum((x - mean_x) ** 2 for x in scores) / n
    var_y = sum((y - mean_y) ** 2 for y in rest) / n
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(scores, rest, strict=True)) / n
    # Rounded so that float noise never turns an exact 0 into a "reversed" item.
    return round(cov / math.sqrt(var_x * var_y), 12)


def rest_scores(
    answers: Iterable[Answer], level_of: Mapping[str, str]
) -> dict[tuple[int, str], float]:
    """Each (person, item) → the person's share right on their other items of that level."""
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])  # right, answered
    mine = [a for a in answers if a.item_id in level_of]
    for a in mine:
        total = totals[(a.user_id, level_of[a.item_id])]
        total[0] += a.correct
        total[1] += 1
    rest = {}
    for a in mine:
        right, answered = totals[(a.user_id, level_of[a.item_id])]
        if answered > 1:
            rest[(a.user_id, a.item_id)] = (right - a.correct) / (answered - 1)
    return rest


def chosen_option(answer: Any, options: Sequence[str]) -> str | None:
    """The option an answer picked: pages send the option's text or its index."""
    if isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < len(options):
        return options[answer]
    return answer if isinstance(answer, str) and answer in options else None


def option_rates(info: ItemInfo, answers: Sequence[Answer]) -> tuple[tuple[OptionRate, ...], int]:
    """Each option's share of all answers (in the authored order), and how many answers
    picked none of them."""
    picked = Counter(chosen_option(a.answer, info.options) for a in answers)
    n = len(answers) or 1
    rates = tuple(OptionRate(o, picked[o], picked[o] / n, o == info.key) for o in info.options)
    return rates, picked[None]


def answer_text(answer: Any) -> str:
    """A stored answer as one line: typed text as given, chunks joined by spaces."""
    if isinstance(answer, list):
        return " ".join(str(part) for part in answer)
    return "" if answer is None else str(answer)


def common_wrong_answers(answers: Sequence[Answer], limit: int = 10) -> tuple[tuple[str, int], ...]:
    counts = Counter(answer_text(a.answer).strip() for a in answers if not a.correct)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


def flags_for(
    *,
    judged: bool,
    facility_: float | None,
    discrimination: float | None,
    options: Sequence[OptionRate],
    open_disputes: int,
) -> tuple[Flag, ...]:
    """The reasons for concern, each weighted so the worst items sort first:

    - reversed (discrimination < 0): 3 + 2·min(1, −D), so 3 to 5: the strong get it wrong
      more often than the weak, usually a wrong key or a trick;
    - weak (0 ≤ D < 0.15): 1 + (0.15 − D) / 0.15, so 1 to 2;
    - too hard (F < 0.2): 1 + (0.2 − F) / 0.2, so 1 to 2;
    - too easy (F > 0.95): 0.5 + (F − 0.95) / 0.1, so 0.5 to 1 (harmless but uninformative);
    - a distractor nobody picks: 0.5 for each;
    - open disputes: 1 each, at most 3 (counted even when the item is not judged).
    """
    flags: list[Flag] = []
    if judged and discrimination is not None:
        if discrimination < 0:
            flags.append(Flag(REVERSED, 3 + 2 * min(1.0, -discrimination), discrimination))
        elif discrimination < WEAK:
            flags.append(
                Flag(WEAK_DISCRIMINATION, 1 + (WEAK - discrimination) / WEAK, discrimination)
            )
    if judged and facility_ is not None:
        if facility_ < TOO_HARD:
            flags.append(Flag(TOO_HARD_FLAG, 1 + (TOO_HARD - facility_) / TOO_HARD, facility_))
        elif facility_ > TOO_EASY:
            flags.append(Flag(TOO_EASY_FLAG, 0.5 + (facility_ - TOO_EASY) / 0.1, facility_))
    if judged:
        flags.extend(
            Flag(UNUSED_DISTRACTOR, 0.5, o.option) for o in options if not o.is_key and o.count == 0
        )
    if open_disputes:
        flags.append(Flag(OPEN_DISPUTES, float(min(open_disputes, 3)), open_disputes))
    return tuple(flags)


def item_stats(
    info: ItemInfo,
    answers: Sequence[Answer],
    rest: Mapping[tuple[int, str], float],
    open_disputes: int = 0,
    min_responses: int = MIN_RESPONSES,
) -> ItemStats:
    """Every figure for one item from its first answers; ``rest`` from ``rest_scores``."""
    scores = [int(a.correct) for a in answers]
    paired = [
        (int(a.correct), rest[(a.user_id, a.item_id)])
        for a in answers
        if (a.user_id, a.item_id) in rest
    ]
    disc = point_biserial([s for s, _r in paired], [r for _s, r in paired])
    fac = facility(scores)
    times = [a.response_ms for a in answers if a.response_ms is not None]
    options, other = option_rates(info, answers) if info.options else ((), 0)
    judged = len(answers) >= min_responses
    return ItemStats(
        item_id=info.id,
        responses=len(answers),
        correct=sum(scores),
        facility=fac,
        discrimination=disc,
        discrimination_people=len(paired),
        median_ms=median(times) if times else None,
        open_disputes=open_disputes,
        judged=judged,
        options=options,
        other_answers=other,
        wrong_answers=() if info.options else common_wrong_answers(answers),
        flags=flags_for(
            judged=judged,
            facility_=fac,
            discrimination=disc,
            options=options,
            open_disputes=open_disputes,
        ),
    )


def analyse(
    items: Mapping[str, ItemInfo],
    answers: Iterable[Answer],
    open_disputes: Mapping[str, int] | None = None,
    min_responses: int = MIN_RESPONSES,
) -> list[ItemStats]:
    """Statistics for every item that has answers or open disputes, most concerning first
    (then most answered, then by id, so the order is stable)."""
    answers = list(answers)
    disputes = open_disputes or {}
    rest = rest_scores(answers, {i.id: i.level for i in items.values()})
    by_item: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        if a.item_id in items:
            by_item[a.item_id].append(a)
    ids = (set(by_item) | {i for i, n in disputes.items() if n}) & set(items)
    found = [
        item_stats(items[i], by_item.get(i, []), rest, disputes.get(i, 0), min_responses)
        for i in ids
    ]
    return sorted(found, key=lambda s: (-s.concern, -s.responses, s.item_id))
