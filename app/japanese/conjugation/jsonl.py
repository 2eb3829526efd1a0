"""The ``conjugate`` command of GRADING.md: JSON Lines in, one JSON line out per line.

Bulk callers (tests, benchmarks, content checks) send thousands of lines, so one bad
line must cost one error line and never the run: nothing here raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from app.japanese.conjugation.engine import conjugate
from app.japanese.conjugation.forms import WORD_CLASSES, ConjugationError

_REQUIRED = ("id", "word", "form")


def conjugate_jsonl(lines: Iterable[str]) -> Iterator[str]:
    """Answer each non-blank line with ``{"id", "forms"}`` or ``{"id", "error"}``."""
    for line in lines:
        if line.strip():
            yield _dump(_answer(line))


def _answer(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line.lstrip("\ufeff"), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return {"id": None, "error": f"not valid JSON: {detail}"}
    if not isinstance(record, dict):
        return {"id": None, "error": "expected a JSON object"}
    record_id = record.get("id")
    missing = [field for field in _REQUIRED if record.get(field) is None]
    if missing:
        return {"id": record_id, "error": f"missing field: {', '.join(missing)}"}
    word, form, cls = record["word"], record["form"], record.get("class")
    for name, value in (("word", word), ("form", form)):
        if not isinstance(value, str):
            return {"id": record_id, "error": f"{name} must be a string"}
    if cls is not None and cls not in WORD_CLASSES:
        return {
            "id": record_id,
            "error": f"unknown class {cls!r}; expected one of {', '.join(WORD_CLASSES)}",
        }
    try:
        return {"id": record_id, "forms": conjugate(word, form, cls)}
    except ConjugationError as exc:
        return {"id": record_id, "error": str(exc)}
    except Exception as exc:  # a bug must cost one line, not the caller's whole run
        return {"id": record_id, "error": f"internal error: {type(exc).__name__}"}


def _reject_constant(name: str) -> None:
    # NaN and Infinity are not JSON, and echoing one as an id would emit invalid JSON.
    raise ValueError(f"{name} is not allowed")


def _dump(answer: dict[str, Any]) -> str:
    text = json.dumps(answer, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in an id: escape it, stay valid UTF-8
        text = json.dumps(answer)
    return text
