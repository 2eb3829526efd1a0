"""`meaning`: The Japanese is shown; the learner types the English meaning."""

from __future__ import annotations

from typing import Literal

from app.questions.registry import register
from app.questions.types._typed import TypedModel, TypedType


class MeaningItem(TypedModel):
    type: Literal["meaning"]


@register
class Meaning(TypedType):
    id = "meaning"
    model = MeaningItem
    kind = "meaning"
