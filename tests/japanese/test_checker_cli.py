"""`python -m app.japanese grade`: JSON Lines in, one verdict per line out, errors inline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(command: str, lines: list[str]) -> tuple[int, list[dict]]:
    result = subprocess.run(
        [sys.executable, "-m", "app.japanese", command],
        input="\n".join(lines).encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    return result.returncode, out


def test_grade_reads_and_writes_json_lines_in_order() -> None:
    lines = [
        json.dumps(
            {
                "id": "q1",
                "kind": "sentence",
                "accepted": ["駅で友達に会いました。"],
                "answer": "えきでともだちにあいました",
            },
            ensure_ascii=False,
        ),
        "this is not json",
        json.dumps({"id": "q3", "kind": "sentence", "accepted": ["駅で友達に会いました。"]}),
        json.dumps({"id": "q4", "kind": "haiku", "accepted": ["x"], "answer": "x"}),
        json.dumps(
            {"id": "q5", "kind": "word", "accepted": ["(パン"], "answer": "パン"},
            ensure_ascii=False,
        ),
        json.dumps(
            {
                "id": "q6",
                "kind": "sentence",
                "accepted": ["駅で友達に会いました。"],
                "answer": "駅に友達に会いました",
            },
            ensure_ascii=False,
        ),
        json.dumps({"id": "q7", "kind": "meaning", "accepted": ["to eat"], "answer": "Eat"}),
    ]
    code, out = run("grade", lines)
    assert code == 0
    assert [o.get("id") for o in out] == ["q1", None, "q3", "q4", "q5", "q6", "q7"]
    assert out[0]["correct"] is True
    assert out[0]["score"] == 1.0
    assert out[0]["feedback"][0]["code"] == "kana-spelling"
    assert "error" in out[1]
    assert "answer" in out[2]["error"]
    assert "haiku" in out[3]["error"]
    assert "never closed" in out[4]["error"]
    assert out[5]["correct"] is False
    assert out[5]["score"] < 1.0
    assert out[5]["feedback"][0] == {
        "code": "particle",
        "message": "Check the particle: use で here, not に.",
        "expected": "で",
        "got": "に",
    }
    assert out[6]["correct"] is True
