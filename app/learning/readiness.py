"""How ready a trainee is for the certification exam at their level, and why.

The estimate is a rule a trainee and an instructor can check by hand, not a black box:
lessons completed, accuracy in each JLPT section (with enough answers to judge), and the
latest mock exam. Its reasons are codes with figures, worded by the page in the
reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.exam.attempts import MockResult, latest_mock
from app.exam.scoring import PASS_TOTAL
from app.learning.progress import LevelProgress
from app.learning.report import SECTIONS, SectionStats, section_stats
from app.models import User

READY_SHARE = 0.8  # of the level's lessons completed
READY_ACCURACY = 0.7  # in every section
MIN_ANSWERS = 10  # per section, before its accuracy counts


@dataclass(frozen=True)
class Reason:
    code: str  # lessons | section-weak | section-unseen | mock-passed | mock-failed
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Readiness:
    level: str
    state: str  # start | building | mock | ready
    percent: int
    reasons: tuple[Reason, ...]

    @property
    def mock_suggested(self) -> bool:
        return self.state in ("mock", "ready")


def assess(
    level: str,
    completed: int,
    total: int,
    sections: list[SectionStats],
    mock: MockResult | None = None,
) -> Readiness:
    """Readiness at ``level`` from the lessons done, the section figures and the latest mock.

    The percentage weighs lessons 40% and the weakest section's accuracy 60% (a section
    counts in full at the 70% readiness asks for, and as nothing until it has enough
    answers); a passed mock exam is the strongest evidence and makes the trainee ready,
    a failed one caps the estimate below it."""
    at_level = {s.section: s for s in sections if s.level == level}
    share = completed / total if total else 0.0
    reasons = [Reason("lessons", {"done": completed, "total": total, "level": level})]
    accuracy_parts = []
    for name in SECTIONS:
        stats = at_level.get(name)
        answered = stats.answered if stats else 0
        accuracy = stats.accuracy if stats and answered >= MIN_ANSWERS else None
        if accuracy is None:
            reasons.append(Reason("section-unseen", {"section": name, "answered": answered}))
            accuracy_parts.append(0.0)
            continue
        accuracy_parts.append(min(accuracy / READY_ACCURACY, 1.0))
        if accuracy < READY_ACCURACY:
            reasons.append(
                Reason("section-weak", {"section": name, "percent": round(accuracy * 100)})
            )
    percent = round(100 * (0.4 * min(share / READY_SHARE, 1.0) + 0.6 * min(accuracy_parts)))
    if not any(s.answered for s in at_level.values()) and completed == 0:
        return Readiness(level, "start", 0, tuple(reasons))
    practice_ready = share >= READY_SHARE and len(reasons) == 1
    if mock is not None:
        code = "mock-passed" if mock.passed else "mock-failed"
        reasons.append(Reason(code, {"total": mock.total, "pass_mark": PASS_TOTAL[level]}))
        if mock.passed:
            return Readiness(level, "ready", max(percent, 90), tuple(reasons))
        percent = min(percent, 75)
    return Readiness(level, "mock" if practice_ready else "building", percent, tuple(reasons))


def target_level(user: User) -> str:
    """The level the trainee's cohort prepares for (the latest cohort joined), else N5."""
    joined = sorted(user.memberships, key=lambda m: m.id)
    levels = [m.cohort.target_level for m in joined if m.cohort is not None]
    return levels[-1] if levels else "N5"


def for_user(
    user: User, levels: list[LevelProgress], sections: list[SectionStats] | None = None
) -> Readiness:
    """Readiness at the trainee's target level, from what the page already counted."""
    level = target_level(user)
    lessons = next((x for x in levels if x.level == level), None)
    return assess(
        level,
        lessons.completed if lessons else 0,
        lessons.total if lessons else 0,
        section_stats(user) if sections is None else sections,
        latest_mock(user.id, level),
    )
