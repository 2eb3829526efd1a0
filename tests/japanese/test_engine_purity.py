"""The language engine stays pure: no Flask, no database, and one owner per heavy engine
(DESIGN.md: fugashi only in the tokenizer, pykakasi only for display romaji, the speech
engine only in speech)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "app" / "japanese"
MODULES = sorted(ENGINE.rglob("*.py"))
OWNERS = {"fugashi": "tokenizer.py", "pykakasi": "romaji.py", "pyopenjtalk": "speech.py"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} | {n for n in names if n.startswith("app.")}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_no_web_or_database_code_in_the_engine(module: Path) -> None:
    roots = imported_roots(module)
    assert not roots & {"flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy", "werkzeug"}
    outside = {n for n in roots if n.startswith("app.") and not n.startswith("app.japanese")}
    assert outside == set()


@pytest.mark.parametrize(("library", "owner"), OWNERS.items())
def test_each_heavy_library_has_one_owner(library: str, owner: str) -> None:
    users = {m.name for m in MODULES if library in imported_roots(m)}
    assert users == {owner}


def test_grading_does_not_load_speech_or_display_romaji() -> None:
    probe = (
        "import sys\n"
        "from app.japanese.checker import check\n"
        "check('sentence', ['駅で友達に会いました。'], 'ekide tomodachi ni aimashita')\n"
        "heavy = ('pyopenjtalk', 'pykakasi', 'flask', 'sqlalchemy')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=ENGINE.parents[1],
    )
    assert out.stdout.strip() == "[]"
