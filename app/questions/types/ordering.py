"""`ordering` (並べ替え): put the chunks in order; the JLPT scores the ★ chunk."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from app.questions.base import ItemModel, QuestionType, Result
from app.questions.registry import register


class OrderingItem(ItemModel):
    type: Literal["ordering"]
    prompt: str = Field(min_length=1, max_length=500)
    chunks: list[str] = Field(min_length=2, max_length=6)  # in the correct order
    star: int = Field(ge=1)

    @model_validator(mode="after")
    def star_in_range(self) -> OrderingItem:
        if self.star > len(self.chunks):
            raise ValueError(f"star must be between 1 and {len(self.chunks)}")
        if len(set(self.chunks)) != len(self.chunks):
            raise ValueError("chunks must all be different")
        return self


@register
class Ordering(QuestionType):
    id = "ordering"
    model = OrderingItem

    def public(self, item: Any) -> dict[str, Any]:
        """The chunks in a fixed order that is never the answer (sorted, or rotated when
        sorting happens to give the answer)."""
        shown = sorted(item.chunks)
        if shown == item.chunks:
            shown = shown[1:] + shown[:1]
        return {**super().public(item), "chunks": shown, "star": item.star}

    def expected(self, item: Any) -> str:
        return " ".join(item.chunks)

    def grade(self, item: Any, response: Any) -> Result:
        """Right when the whole order is right; half credit when only the ★ chunk is."""
        given = list(response) if isinstance(response, list | tuple) else []
        if given == item.chunks:
            return Result(True, 1.0, expected=item.chunks)
        star_right = len(given) >= item.star and given[item.star - 1] == item.chunks[item.star - 1]
        return Result(False, 0.5 if star_right else 0.0, expected=item.chunks)
