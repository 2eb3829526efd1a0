"""The conjugation engine's entry points: a word and a form in, written forms out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.japanese.conjugation._kana import to_katakana
from app.japanese.conjugation.adjectives import adjective_table
from app.japanese.conjugation.forms import (
    ADJECTIVE_FORMS,
    FORM_LABELS,
    FORM_TRAITS,
    VERB_CLASSES,
    VERB_FORMS,
    ConjugationError,
)
from app.japanese.conjugation.lexicon import Lexeme, analyse, normalise
from app.japanese.conjugation.verbs import verb_table


def word_class(word: str, word_class: str | None = None) -> str:
    """The class of a verb or adjective in dictionary form: one of WORD_CLASSES.

    A class given is checked against the word's shape and returned; that is how a caller
    settles a word written alike in two classes (いる "to be" is ichidan, いる 要る godan).
    """
    return analyse(word, word_class).word_class


def conjugate(word: str, form: str, word_class: str | None = None) -> list[str]:
    """Every standard written form of ``word`` in ``form``, the most usual first.

    Raises ConjugationError for an unknown word or form, for a form of the other part
    of speech (the potential of 高い), and for a form the word lacks (ある's potential).
    """
    if form not in FORM_TRAITS:
        raise ConjugationError(
            f"unknown form {form!r}; verb forms are {', '.join(VERB_FORMS)}; "
            f"adjective forms are {', '.join(ADJECTIVE_FORMS)}"
        )
    lexeme = analyse(word, word_class)
    table = _table(lexeme)
    if form not in table:
        raise ConjugationError(_missing_form(normalise(word), lexeme, form))
    return list(table[form])


def conjugate_all(word: str, word_class: str | None = None) -> dict[str, list[str]]:
    """Every form the word has, keyed by form name in the order of GRADING.md."""
    return {form: list(forms) for form, forms in _table(analyse(word, word_class)).items()}


@dataclass(frozen=True)
class Drill:
    """One conjugation exercise: show ``word`` and the label, accept any of ``answers``."""

    word: str
    form: str
    prompt_form_label: str
    answers: list[str]


def drills(word: str, word_class: str | None = None) -> list[Drill]:
    """One drill per form of the word, so lessons can drill any N5/N4 verb or adjective.

    A form identical to the word shown (the dictionary form of 書く) is left out: there
    is nothing to do. The na-adjective's dictionary form (静か → 静かだ) stays.
    """
    shown = normalise(word)
    return [
        Drill(shown, form, FORM_LABELS[form], answers)
        for form, answers in conjugate_all(shown, word_class).items()
        if answers != [shown]
    ]


@lru_cache(maxsize=1024)
def _table(lexeme: Lexeme) -> dict[str, tuple[str, ...]]:
    is_verb = lexeme.word_class in VERB_CLASSES
    table = verb_table(lexeme) if is_verb else adjective_table(lexeme)
    if lexeme.katakana:
        # タベル → タベテ: a word written in katakana is answered in katakana.
        table = {form: tuple(to_katakana(f) for f in forms) for form, forms in table.items()}
    order = VERB_FORMS if is_verb else ADJECTIVE_FORMS
    return {form: table[form] for form in order if form in table}


def _missing_form(word: str, lexeme: Lexeme, form: str) -> str:
    if lexeme.word_class in VERB_CLASSES and form not in VERB_FORMS:
        return f"{form!r} is an adjective form, and {word} is a verb"
    if lexeme.word_class not in VERB_CLASSES and form not in ADJECTIVE_FORMS:
        return f"{form!r} is a verb form, and {word} is an adjective"
    if form == "prenominal":
        return f"only na-adjectives have a prenominal form; {word} stands before a noun as it is"
    return f"{word} has no standard {form} form"
