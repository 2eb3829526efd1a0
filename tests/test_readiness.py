"""The readiness estimate: a rule a trainee can check by hand, with its reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from app.exam.attempts import MockResult
from app.learning.readiness import assess
from app.learning.report import SectionStats


def stats(vocabulary: tuple[int, int], grammar: tuple[int, int], listening: tuple[int, int]):
    return [
        SectionStats("N5", "vocabulary", *vocabulary, 0, 0),
        SectionStats("N5", "grammar-reading", *grammar, 0, 0),
        SectionStats("N5", "listening", *listening, 0, 0),
        SectionStats("N4", "listening", 50, 50, 0, 0),  # another level counts for nothing
    ]


def mock(passed: bool, total: int) -> MockResult:
    return MockResult(1, "N5", {}, total, passed, datetime(2026, 11, 20, tzinfo=UTC))


def codes(readiness) -> list[str]:
    return [r.code for r in readiness.reasons]


def test_nothing_done_is_not_started() -> None:
    readiness = assess("N5", 0, 40, stats((0, 0), (0, 0), (0, 0)))
    assert (readiness.state, readiness.percent) == ("start", 0)
    assert not readiness.mock_suggested


def test_weak_and_unseen_sections_are_the_reasons_and_the_weakest_sets_the_figure() -> None:
    readiness = assess("N5", 16, 40, stats((20, 18), (20, 10), (4, 4)))
    assert readiness.state == "building"
    assert codes(readiness) == ["lessons", "section-weak", "section-unseen"]
    assert readiness.reasons[1].params == {"section": "grammar-reading", "percent": 50}
    assert readiness.reasons[2].params == {"section": "listening", "answered": 4}
    # lessons 16/40 = 0.4 of the 0.8 needed -> 0.5 * 40; listening unseen -> 0 * 60
    assert readiness.percent == 20


def test_enough_lessons_and_accuracy_suggest_a_mock_exam() -> None:
    readiness = assess("N5", 32, 40, stats((20, 16), (30, 24), (10, 7)))
    assert readiness.state == "mock"
    assert readiness.mock_suggested
    assert codes(readiness) == ["lessons"]
    assert readiness.percent == 100


def test_a_mock_exam_decides() -> None:
    good = stats((20, 16), (30, 24), (10, 7))
    failed = assess("N5", 32, 40, good, mock(False, 74))
    assert failed.state == "mock"
    assert failed.percent == 75
    assert failed.reasons[-1].params == {"total": 74, "pass_mark": 80}
    passed = assess("N5", 20, 40, stats((20, 12), (30, 24), (10, 7)), mock(True, 95))
    assert passed.state == "ready"
    assert passed.percent == 90
    assert codes(passed)[-1] == "mock-passed"
