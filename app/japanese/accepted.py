"""The accepted-answer syntax authors write: ``(optional)`` parts and ``[A|B]`` choices.

``(私は)毎朝[パン|ご飯]を食べます。`` stands for four sentences. Only ASCII brackets and
``|`` are syntax (full-width （） are punctuation). The two do not nest.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

MAX_EXPANSIONS = 256


class AcceptedSyntaxError(ValueError):
    """An accepted answer an author wrote cannot be read; says where and why."""

    def __init__(self, text: str, position: int, reason: str) -> None:
        super().__init__(f"{reason} at character {position + 1} of {text!r}")
        self.text = text
        self.position = position
        self.reason = reason


def _parts(text: str) -> list[tuple[str, ...]]:
    """Split into a list of choices per part: plain text is a one-way choice, (x) is
    (x, ""), [a|b] is (a, b)."""
    parts: list[tuple[str, ...]] = []
    plain: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            close = ")" if ch == "(" else "]"
            end = text.find(close, i + 1)
            inner = text[i + 1 : end] if end != -1 else ""
            if end == -1:
                raise AcceptedSyntaxError(text, i, f"'{ch}' is never closed")
            if any(c in "([" for c in inner):
                raise AcceptedSyntaxError(text, i, "brackets cannot be nested")
            if plain:
                parts.append(("".join(plain),))
                plain = []
            if ch == "(":
                if not inner.strip() or "|" in inner:
                    raise AcceptedSyntaxError(text, i, "an optional part needs text and no '|'")
                parts.append((inner, ""))
            else:
                options = tuple(inner.split("|"))
                if len(options) < 2 or any(not option.strip() for option in options):
                    raise AcceptedSyntaxError(
                        text, i, "alternatives are written [A|B], each with text"
                    )
                parts.append(options)
            i = end + 1
            continue
        if ch in ")]":
            raise AcceptedSyntaxError(text, i, f"'{ch}' has no opening bracket")
        if ch == "|":
            raise AcceptedSyntaxError(text, i, "'|' belongs inside [ ]")
        plain.append(ch)
        i += 1
    if plain:
        parts.append(("".join(plain),))
    return parts


@lru_cache(maxsize=4096)
def expand(text: str) -> tuple[str, ...]:
    """Every answer one accepted entry stands for, in the author's order."""
    parts = _parts(text)
    out: list[str] = []
    for combination in itertools.product(*parts):
        candidate = "".join(combination).strip()
        if candidate and candidate not in out:
            out.append(candidate)
        if len(out) >= MAX_EXPANSIONS:
            break
    if not out:
        raise AcceptedSyntaxError(text, 0, "the accepted answer is empty")
    return tuple(out)


def expand_all(accepted: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """All entries expanded, without repeats."""
    seen: dict[str, None] = {}
    for entry in accepted:
        for variant in expand(entry):
            seen.setdefault(variant, None)
    return tuple(seen)


def check(text: str) -> str | None:
    """A plain reason the entry cannot be read, or None: for the question editor."""
    try:
        expand(text)
    except AcceptedSyntaxError as error:
        return str(error)
    return None
