"""`reading`: the word in kanji is shown; the learner types its reading in kana."""

from __future__ import annotations

from typing import Any, Literal

from app.questions.registry import register
from app.questions.types._typed import TypedModel, TypedType


class ReadingItem(TypedModel):
    type: Literal["reading"]


@register
class Reading(TypedType):
    id = "reading"
    model = ReadingItem
    kind = "reading"

    def prompt_word(self, item: Any) -> str | None:
        return item.prompt  # lets another real reading of its kanji earn a retry
