"""`sentence`: an English sentence (or one to change) is shown; the learner types Japanese."""

from __future__ import annotations

from typing import Literal

from app.questions.registry import register
from app.questions.types._typed import TypedModel, TypedType


class SentenceItem(TypedModel):
    type: Literal["sentence"]


@register
class Sentence(TypedType):
    id = "sentence"
    model = SentenceItem
    kind = "sentence"
