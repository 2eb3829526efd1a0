"""Checking English meanings: forgiving of form, strict about the word.

A learner who types "Eat" or "to eat." for 食べる knows the word; one who types "drink"
does not. Typing slips are forgiven per word of the gloss (GRADING.md): one in a word of
4–7 letters, two in a longer one, none in a word of three letters or fewer.
"""

from __future__ import annotations

import re

from app.japanese.accepted import expand_all
from app.japanese.feedback import Verdict, correct, feedback, incorrect
from app.japanese.text import clean, is_japanese

_ARTICLES = {"a", "an", "the"}
_NOT_WORD = re.compile(r"[^\w'\- ]+")


def normalise_gloss(text: str) -> str:
    """Lower case, no punctuation, no articles, no leading "to ", single spaces."""
    text = _NOT_WORD.sub(" ", clean(text).lower())
    words = [w.strip("'-") for w in text.split()]
    words = [w for w in words if w and w not in _ARTICLES]
    if len(words) > 1 and words[0] == "to":
        words = words[1:]
    return " ".join(words)


def slips(a: str, b: str) -> int:
    """Typing slips between two words: insertions, deletions, substitutions and swaps of
    neighbouring letters (optimal string alignment distance)."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(row[j - 1] + 1, rows[i - 1][j] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowance(word: str) -> int:
    if len(word) >= 8:
        return 2
    return 1 if len(word) >= 4 else 0


def within_typo(gloss: str, answer: str) -> bool:
    gloss_words, answer_words = gloss.split(), answer.split()
    if len(gloss_words) != len(answer_words):
        return False
    return all(slips(g, a) <= allowance(g) for g, a in zip(gloss_words, answer_words, strict=True))


def check_meaning(accepted: tuple[str, ...] | list[str], answer: str) -> Verdict:
    glosses = [normalise_gloss(g) for g in expand_all(tuple(accepted))]
    given = normalise_gloss(answer)
    if not given:
        return incorrect(feedback("empty"))
    if is_japanese(answer):
        return incorrect(feedback("script", message_id="japanese-in-meaning"), retry=True)
    for gloss, original in zip(glosses, expand_all(tuple(accepted)), strict=True):
        if given == gloss:
            return correct(matched=original)
    for gloss, original in zip(glosses, expand_all(tuple(accepted)), strict=True):
        if within_typo(gloss, given):
            return correct(
                feedback("typo", expected=original.strip(), got=answer.strip()), matched=original
            )
    return incorrect(
        feedback(
            "wrong-word",
            expected=expand_all(tuple(accepted))[0].strip(),
            got=answer.strip(),
            message_id="wrong-meaning",
        )
    )
