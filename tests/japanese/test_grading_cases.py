"""The checker against the case table in grading_cases.yaml (written from GRADING.md,
independently of the code). Each case names the verdict and the feedback it must give."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.japanese.checker import check

CASES_FILE = Path(__file__).with_name("grading_cases.yaml")
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _id(case: dict) -> str:
    return f"{case['kind']}:{case['accepted'][0]}|{case['answer'][:30]}"


def test_the_table_is_large_and_covers_every_kind() -> None:
    assert len(CASES) >= 400
    assert {c["kind"] for c in CASES} == {"reading", "meaning", "word", "conjugation", "sentence"}


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict) -> None:
    verdict = check(case["kind"], case["accepted"], case["answer"], prompt=case.get("prompt"))
    codes = list(verdict.codes)
    assert verdict.correct is case["correct"], f"codes {codes}: {case.get('note', '')}"
    expected = [c for c in case.get("codes") or [] if c != "any"]
    if not case["correct"]:
        assert codes, "an incorrect verdict must say why"
        if expected:
            assert codes[0] == expected[0], f"first code {codes[0]}, wanted {expected[0]}"
    for code in expected:
        assert code in codes, f"{code} missing from {codes}"
    if case.get("retry"):
        assert verdict.retry
    for item in verdict.feedback:
        assert item.message  # every item explains itself
    assert (verdict.score == 1.0) is verdict.correct
