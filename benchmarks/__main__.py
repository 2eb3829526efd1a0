"""`make bench`: grading speed per kind, speech real-time factor, engine memory, then the
answer load benchmark, the exam load benchmark and the API benchmark."""

from __future__ import annotations

import subprocess
import sys

from benchmarks import api_load, exam_load, grading, load, speech_rtf
from benchmarks.corpus import all_cases

PER_KIND = 2000
MEMORY_PROBE = """
from app.japanese.checker import check
from app.japanese import furigana, speech


def rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


check("sentence", ["私は毎朝パンを食べます。"], "わたしはまいあさパンをたべます")
check("reading", ["にほんじん"], "にほんにん", prompt="日本人")
furigana.segments("日本語を勉強します")
print(rss_mb())
speech.synthesize("日本語を勉強します。")
print(rss_mb())
"""


def engine_rss_mb() -> tuple[float, float]:
    """Resident memory of a fresh process that has graded answers (MeCab, the checker,
    the kanji readings), then also synthesised speech."""
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True, check=True
    )
    checker, with_speech = (float(v) for v in out.stdout.split())
    return checker, with_speech


def main() -> None:
    print(f"Grading: {PER_KIND} answers per kind; rate vs fugashi alone on the same answers")
    print(
        f"{'kind':<12}{'unique':>8}{'answers/s':>12}{'fugashi/s':>12}{'share':>8}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'cold ms':>9}"
    )
    for kind, cases in all_cases(PER_KIND).items():
        r = grading.report(kind, cases)
        print(
            f"{kind:<12}{r['unique']:>8.0f}{r['rate']:>12.0f}{r['baseline']:>12.0f}"
            f"{r['share']:>8.0%}{r['p50_ms']:>9.3f}{r['p99_ms']:>9.3f}{r['first_ms']:>9.2f}"
        )
    print("targets: sentence share >= 25%, p99 < 2 ms")
    print("cold ms: mean per answer with every cache empty (items analysed on first use)")
    speech_rtf.main()
    checker, with_speech = engine_rss_mb()
    print(
        f"engine process RSS: {checker:.0f} MB grading, {with_speech:.0f} MB with speech "
        "(target < 200 MB)"
    )
    load.main([])  # answer submission under load, its ceiling, lesson pages
    exam_load.main([])  # 500 candidates answering an exam, one worker killed
    api_load.main([])  # the recruitment API: status vs hello world, the change feed


if __name__ == "__main__":
    main()
