"""Grading throughput and latency per kind, against fugashi alone on the same answers.

The baseline is what the checker cannot beat: MeCab tokenising each answer once and
reading every node's features. The checker does that and more, so its rate is reported
as a share of the baseline measured in the same run on the same machine.
"""

from __future__ import annotations

import statistics
import time

import fugashi

from app.japanese.checker import check
from app.japanese.reference import analyse
from app.japanese.tokenizer import tokenize
from benchmarks.corpus import Case


def fugashi_seconds(tagger: fugashi.Tagger, answers: list[str]) -> float:
    """Time for fugashi alone to tokenise the answers, reading every node's features."""
    start = time.perf_counter()
    for answer in answers:
        for node in tagger(answer):
            f = node.feature
            _ = (node.surface, f.lemma, f.kana, f.pron, f.pos1, f.pos2, f.cType, f.cForm)
    return time.perf_counter() - start


def checker_timings(cases: list[Case]) -> list[float]:
    """Seconds per answer once items are analysed. The token cache is cleared first, so
    every answer is tokenised afresh, as a learner's new answer would be."""
    tokenize.cache_clear()
    timings = []
    for case in cases:
        start = time.perf_counter()
        check(case.kind, case.accepted, case.answer)
        timings.append(time.perf_counter() - start)
    return timings


def interleaved(cases: list[Case], chunks: int = 20) -> tuple[list[float], float]:
    """Checker timings and fugashi's total time, measured chunk by chunk in turn so that
    a noisy neighbour slows both alike."""
    tagger = fugashi.Tagger()
    size = max(1, len(cases) // chunks)
    timings: list[float] = []
    baseline = 0.0
    for i in range(0, len(cases), size):
        chunk = cases[i : i + size]
        baseline += fugashi_seconds(tagger, [c.answer for c in chunk])
        timings += checker_timings(chunk)
    return timings, baseline


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def first_answers_ms(cases: list[Case]) -> float:
    """Mean time of the answers to an item before its analysis is complete: the first
    answers to each item work out its readings (once per item and server process)."""
    analyse.cache_clear()
    tokenize.cache_clear()
    start = time.perf_counter()
    for case in cases:
        check(case.kind, case.accepted, case.answer)
    return (time.perf_counter() - start) / len(cases) * 1000


def report(kind: str, cases: list[Case]) -> dict[str, float]:
    answers = [c.answer for c in cases]
    cold_ms = first_answers_ms(cases)  # also leaves every item analysed, as in a server
    timings, baseline_seconds = interleaved(cases)
    rate = len(timings) / sum(timings)
    baseline = len(answers) / baseline_seconds
    return {
        "answers": len(cases),
        "unique": len(set(answers)),
        "rate": rate,
        "baseline": baseline,
        "share": rate / baseline,
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": percentile(timings, 0.99) * 1000,
        "first_ms": cold_ms,
    }
