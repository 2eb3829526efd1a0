"""`reading-comprehension`: a passage and a question; several items may share a passage."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.questions.registry import register
from app.questions.types.choice import ChoiceBase, ChoiceFields


class ReadingComprehensionItem(ChoiceFields):
    type: Literal["reading-comprehension"]
    passage_id: str = Field(pattern=r"^(n5|n4)-[a-z0-9-]+$")
    passage: str | None = Field(default=None, max_length=3000)
    question: str = Field(min_length=1, max_length=500)


@register
class ReadingComprehension(ChoiceBase):
    id = "reading-comprehension"
    model = ReadingComprehensionItem
    public_fields = ("passage_id", "passage", "question", "options")
