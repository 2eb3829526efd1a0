"""`word`: An English gloss is shown; the learner types the Japanese word."""

from __future__ import annotations

from typing import Literal

from app.questions.registry import register
from app.questions.types._typed import TypedModel, TypedType


class WordItem(TypedModel):
    type: Literal["word"]


@register
class Word(TypedType):
    id = "word"
    model = WordItem
    kind = "word"
