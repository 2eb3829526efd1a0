"""The vocabulary the conjugation engine shares with its callers: classes, forms, traits.

The form names are the ones GRADING.md lists for ``python -m app.japanese conjugate``;
they are part of a contract with content authors and outside tools, so they live in one
place and every other module (and the tests) reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.japanese.feedback import N_

WORD_CLASSES: tuple[str, ...] = ("godan", "ichidan", "suru", "kuru", "i-adj", "na-adj")
VERB_CLASSES: frozenset[str] = frozenset(("godan", "ichidan", "suru", "kuru"))

VERB_FORMS: tuple[str, ...] = (
    "dictionary",
    "masu",
    "masu-negative",
    "masu-past",
    "masu-past-negative",
    "masu-volitional",
    "te",
    "ta",
    "nai",
    "nakatta",
    "tai",
    "potential",
    "volitional",
    "imperative",
    "prohibitive",
    "ba",
    "tara",
    "passive",
    "causative",
    "causative-passive",
)

# `prenominal` is last because only na-adjectives have it (静かな); an i-adjective
# stands before a noun unchanged, so GRADING.md gives it no such form.
ADJECTIVE_FORMS: tuple[str, ...] = (
    "dictionary",
    "negative",
    "past",
    "past-negative",
    "te",
    "adverb",
    "ba",
    "tara",
    "polite",
    "polite-negative",
    "polite-past",
    "polite-past-negative",
    "prenominal",
)


class ConjugationError(ValueError):
    """The request cannot be answered: unknown word or form, or a form the word lacks.

    A ValueError, because the caller passed a value the engine cannot use; the message is
    written for a content author and goes out as the ``error`` of a JSON line.
    """


Tense = Literal["past", "nonpast"]
Polarity = Literal["affirmative", "negative"]


@dataclass(frozen=True, slots=True)
class FormTraits:
    """What a form says about time, truth and register.

    The answer checker compares the traits of the expected form with those of the form
    the learner typed, so it can say "wrong tense" or "too casual" instead of only
    "wrong conjugation". ``tense`` is None where a form has none (te-form, volitional).
    """

    tense: Tense | None
    polarity: Polarity
    polite: bool


def _traits(
    tense: Tense | None, polarity: Polarity = "affirmative", *, polite: bool = False
) -> FormTraits:
    return FormTraits(tense, polarity, polite)


FORM_TRAITS: dict[str, FormTraits] = {
    # Shared by verbs and adjectives; the traits agree across parts of speech.
    "dictionary": _traits("nonpast"),
    "te": _traits(None),
    "ba": _traits(None),
    "tara": _traits(None),
    # Verbs.
    "masu": _traits("nonpast", polite=True),
    "masu-negative": _traits("nonpast", "negative", polite=True),
    "masu-past": _traits("past", polite=True),
    "masu-past-negative": _traits("past", "negative", polite=True),
    "masu-volitional": _traits(None, polite=True),
    "ta": _traits("past"),
    "nai": _traits("nonpast", "negative"),
    "nakatta": _traits("past", "negative"),
    "tai": _traits("nonpast"),
    "potential": _traits("nonpast"),
    "volitional": _traits(None),
    "imperative": _traits(None),
    "prohibitive": _traits(None, "negative"),
    "passive": _traits("nonpast"),
    "causative": _traits("nonpast"),
    "causative-passive": _traits("nonpast"),
    # Adjectives.
    "negative": _traits("nonpast", "negative"),
    "past": _traits("past"),
    "past-negative": _traits("past", "negative"),
    "adverb": _traits(None),
    "polite": _traits("nonpast", polite=True),
    "polite-negative": _traits("nonpast", "negative", polite=True),
    "polite-past": _traits("past", polite=True),
    "polite-past-negative": _traits("past", "negative", polite=True),
    "prenominal": _traits("nonpast"),
}

# What a drill shows the learner as the target. English source strings: the web layer
# translates them, because this package must not import Flask-Babel.
FORM_LABELS: dict[str, str] = {
    "dictionary": N_("dictionary form"),
    "masu": N_("masu-form"),
    "masu-negative": N_("masu-form, negative"),
    "masu-past": N_("masu-form, past"),
    "masu-past-negative": N_("masu-form, past negative"),
    "masu-volitional": N_("masu-form, volitional (let's …)"),
    "te": N_("te-form"),
    "ta": N_("ta-form"),
    "nai": N_("nai-form"),
    "nakatta": N_("nakatta-form"),
    "tai": N_("tai-form (want to …)"),
    "potential": N_("potential form (can …)"),
    "volitional": N_("volitional form (let's …)"),
    "imperative": N_("imperative form"),
    "prohibitive": N_("prohibitive form (don't …)"),
    "ba": N_("ba-form (if …)"),
    "tara": N_("tara-form (if / when …)"),
    "passive": N_("passive form"),
    "causative": N_("causative form"),
    "causative-passive": N_("causative-passive form"),
    "negative": N_("negative"),
    "past": N_("past"),
    "past-negative": N_("past negative"),
    "adverb": N_("adverb form"),
    "polite": N_("polite form"),
    "polite-negative": N_("polite negative"),
    "polite-past": N_("polite past"),
    "polite-past-negative": N_("polite past negative"),
    "prenominal": N_("before a noun"),
}
