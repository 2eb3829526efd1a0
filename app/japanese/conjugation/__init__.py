"""Conjugation of Japanese verbs and adjectives, for drills and for the answer checker.

``conjugate("書く", "te")`` gives every standard written form (["書いて"]), in the script
of the word given and with the most usual form first. The form names and the rules for
edge cases are the contract of ``python -m app.japanese conjugate`` in GRADING.md;
``conjugate_jsonl`` implements that command line by line.

Pure Python: the only outside help is our tokenizer, which finds a word's class when
the caller does not give it.
"""

from app.japanese.conjugation.engine import Drill, conjugate, conjugate_all, drills, word_class
from app.japanese.conjugation.forms import (
    ADJECTIVE_FORMS,
    FORM_LABELS,
    FORM_TRAITS,
    VERB_FORMS,
    WORD_CLASSES,
    ConjugationError,
    FormTraits,
)
from app.japanese.conjugation.jsonl import conjugate_jsonl

__all__ = [
    "ADJECTIVE_FORMS",
    "FORM_LABELS",
    "FORM_TRAITS",
    "VERB_FORMS",
    "WORD_CLASSES",
    "ConjugationError",
    "Drill",
    "FormTraits",
    "conjugate",
    "conjugate_all",
    "conjugate_jsonl",
    "drills",
    "word_class",
]
