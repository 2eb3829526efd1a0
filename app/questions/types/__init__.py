"""The question types. Importing this package registers every one of them."""

from app.questions.types import (  # noqa: F401  (imported to register)
    choice,
    cloze,
    conjugation,
    listening,
    meaning,
    ordering,
    reading,
    reading_comprehension,
    sentence,
    word,
)

TYPE_IDS = (
    "choice",
    "reading",
    "meaning",
    "word",
    "conjugation",
    "sentence",
    "cloze",
    "ordering",
    "listening",
    "reading-comprehension",
)
