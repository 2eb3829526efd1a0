"""Verdicts and the feedback that explains them, in words a beginner understands.

Messages are English templates marked with ``N_`` so Babel extracts them; the web layer
translates ``message_id`` and fills in ``params`` (the engine itself knows no Flask).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext no-op marker)
    """Mark a message for translation without translating it here."""
    return message


CODES = (
    "particle",
    "tense",
    "polarity",
    "politeness",
    "conjugation",
    "wrong-word",
    "missing-word",
    "extra-word",
    "word-order",
    "script",
    "empty",
    "not-japanese",
    "romaji",
    "kana-spelling",
    "typo",
)
# Codes that explain an incorrect answer; the others are informational on a correct one.
ERROR_CODES = frozenset(CODES[:12])

MESSAGES = {
    "particle": N_("Check the particle: use %(expected)s here, not %(got)s."),
    "particle-missing": N_("A particle is missing: %(expected)s."),
    "particle-extra": N_("Leave out the particle %(got)s here."),
    "particle-spelling": N_("The particle is pronounced like %(got)s but written %(expected)s."),
    "tense": N_("Check the tense: %(expected)s is %(expected_trait)s, %(got)s is %(got_trait)s."),
    "polarity": N_(
        "Check positive or negative: %(expected)s is %(expected_trait)s, %(got)s is %(got_trait)s."
    ),
    "politeness": N_(
        "Check the politeness: the answer should be %(expected_trait)s (%(expected)s), "
        "not %(got_trait)s (%(got)s)."
    ),
    "conjugation": N_("The word is right, but the form is not: %(expected)s, not %(got)s."),
    "wrong-word": N_("Here it should be %(expected)s, not %(got)s."),
    "wrong-reading": N_("That is not how this word is read: it is %(expected)s, not %(got)s."),
    "other-reading": N_(
        "%(got)s is a reading of this kanji, but in this word it is read %(expected)s."
    ),
    "missing-word": N_("Something is missing: %(expected)s."),
    "extra-word": N_("%(got)s is not needed here."),
    "too-long": N_("This answer is much longer than it should be."),
    "word-order": N_("The words are right, but the order is not. Try: %(expected)s."),
    "script-kanji": N_("Type the reading in kana (hiragana), not in kanji."),
    "script": N_("Right! It is usually written %(expected)s."),
    "empty": N_("Type an answer first."),
    "not-japanese": N_("Type the answer in Japanese (kana, kanji or romaji), not in English."),
    "japanese-in-meaning": N_("Type the meaning in English."),
    "romaji": N_("Right! We read your romaji as %(got)s."),
    "kana-spelling": N_("Right! In kanji it is written %(expected)s."),
    "typo": N_("Right, but check the spelling: %(expected)s."),
    "wrong-meaning": N_("That is not what it means. It means %(expected)s."),
}

TRAIT_WORDS = {
    "past": N_("past"),
    "nonpast": N_("present or future"),
    "affirmative": N_("positive"),
    "negative": N_("negative"),
    "polite": N_("polite (ます/です)"),
    "plain": N_("plain"),
}


@dataclass(frozen=True)
class Feedback:
    """One thing the learner should know about their answer."""

    code: str
    message_id: str
    expected: str | None = None
    got: str | None = None
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def message(self) -> str:
        """The message in English."""
        return self.message_in(lambda text: text)

    def message_in(self, translate: Callable[[str], str]) -> str:
        """The message in the learner's language: the web layer passes its gettext."""
        values = {"expected": self.expected or "", "got": self.got or "", **self.params}
        values = {
            key: translate(TRAIT_WORDS[value]) if key.endswith("_trait") else value
            for key, value in values.items()
        }
        return translate(MESSAGES[self.message_id]) % values

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.expected is not None:
            out["expected"] = self.expected
        if self.got is not None:
            out["got"] = self.got
        return out


def feedback(
    code: str,
    *,
    expected: str | None = None,
    got: str | None = None,
    message_id: str | None = None,
    **params: str,
) -> Feedback:
    return Feedback(code, message_id or code, expected, got, params)


@dataclass(frozen=True)
class Verdict:
    """What the checker decided; ``attempt`` only decides, it never records anything."""

    correct: bool
    score: float
    feedback: tuple[Feedback, ...] = ()
    retry: bool = False
    matched: str | None = None  # the accepted answer the learner's answer was held against

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.feedback)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "correct": self.correct,
            "score": self.score,
            "feedback": [item.to_dict() for item in self.feedback],
        }
        if self.retry:
            out["retry"] = True
        return out


def correct(*items: Feedback, matched: str | None = None) -> Verdict:
    return Verdict(True, 1.0, tuple(items), matched=matched)


def incorrect(
    *items: Feedback, retry: bool = False, score: float = 0.0, matched: str | None = None
) -> Verdict:
    return Verdict(False, score, tuple(items), retry=retry, matched=matched)
