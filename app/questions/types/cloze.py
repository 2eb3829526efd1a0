"""`cloze`: a sentence with a gap （　）; the learner types what fills it."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from app.questions.registry import register
from app.questions.types._typed import TypedModel, TypedType

GAP = "（　）"


class ClozeItem(TypedModel):
    type: Literal["cloze"]

    @field_validator("prompt")
    @classmethod
    def has_one_gap(cls, value: str) -> str:
        if value.count(GAP) != 1:
            raise ValueError(f"the prompt needs exactly one gap written {GAP}")
        return value


@register
class Cloze(TypedType):
    id = "cloze"
    model = ClozeItem
    kind = "word"  # the gap holds a word or particle, graded as a word
