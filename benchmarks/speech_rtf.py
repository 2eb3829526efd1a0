"""Speech synthesis speed: the real-time factor (seconds of work per second of audio)."""

from __future__ import annotations

import statistics
import time

from app.japanese import speech

SENTENCES = [
    "はい。",
    "毎朝七時に起きて会社へ行きます。",
    "すみません、駅はどこですか。",
    "来週の月曜日に日本語の試験があります。",
    "この書類を明日までに送ってください。",
]


def main() -> None:
    start = time.perf_counter()
    speech.synthesize("はじめまして。")  # the first call loads the engine
    load_seconds = time.perf_counter() - start
    factors, millis, sizes = [], [], []
    for sentence in SENTENCES:
        result = speech.timing(sentence)
        factors.append(result.real_time_factor)
        millis.append((result.synthesis_seconds + result.encoding_seconds) * 1000)
        sizes.append(result.mp3_bytes)
    print(
        f"speech: engine load {load_seconds:.2f} s; real-time factor median "
        f"{statistics.median(factors):.3f} (max {max(factors):.3f}); "
        f"synthesis median {statistics.median(millis):.0f} ms per sentence; "
        f"MP3 median {statistics.median(sizes) / 1024:.1f} KiB"
    )
