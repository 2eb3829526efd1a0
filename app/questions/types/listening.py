"""`listening`: a spoken script (two voices), then a question with options."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.questions.registry import register
from app.questions.types.choice import ChoiceBase, ChoiceFields


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: Literal["M", "F"]
    text: str = Field(min_length=1, max_length=300)


class ListeningItem(ChoiceFields):
    type: Literal["listening"]
    task: Literal["task", "point", "utterance", "quick-response"]
    script: list[Line] = Field(min_length=1, max_length=20)
    question: str = Field(min_length=1, max_length=300)


@register
class Listening(ChoiceBase):
    id = "listening"
    model = ListeningItem
    # The script is heard, not read, before answering: the page gets audio for it.
    public_fields = ("task", "question", "options")
