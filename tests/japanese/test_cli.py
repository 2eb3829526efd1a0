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


def test_conjugate_reads_and_writes_json_lines() -> None:
    lines = [
        json.dumps({"id": "c1", "word": "書く", "form": "te"}, ensure_ascii=False),
        json.dumps({"id": "c2", "word": "かく", "form": "te"}, ensure_ascii=False),
        json.dumps({"id": "c3", "word": "静か", "form": "polite-negative"}, ensure_ascii=False),
        json.dumps({"id": "c4", "word": "本", "form": "te"}, ensure_ascii=False),
        "{broken",
        json.dumps(
            {"id": "c6", "word": "要る", "form": "nai", "class": "godan"}, ensure_ascii=False
        ),
    ]
    code, out = run("conjugate", lines)
    assert code == 0
    assert out[0] == {"id": "c1", "forms": ["書いて"]}
    assert out[1] == {"id": "c2", "forms": ["かいて"]}
    assert set(out[2]["forms"]) == {
        "静かじゃありません",
        "静かではありません",
        "静かじゃないです",
        "静かではないです",
    }
    assert "error" in out[3]
    assert out[4]["id"] is None
    assert "error" in out[4]
    assert out[5] == {"id": "c6", "forms": ["要らない"]}


def test_furigana_and_speak_on_the_command_line(tmp_path: Path) -> None:
    ruby = subprocess.run(
        [sys.executable, "-m", "app.japanese", "furigana", "--html", "食べる"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert ruby.stdout.decode().strip() == "<ruby>食<rt>た</rt></ruby>べる"
    target = tmp_path / "hello.mp3"
    spoken = subprocess.run(
        [sys.executable, "-m", "app.japanese", "speak", "こんにちは", "-o", str(target)],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert spoken.returncode == 0
    data = target.read_bytes()
    assert data[:3] == b"ID3" or data[0] == 0xFF
    refused = subprocess.run(
        [sys.executable, "-m", "app.japanese", "speak", "", "-o", str(tmp_path / "x.mp3")],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2
    assert b"error" in refused.stderr
