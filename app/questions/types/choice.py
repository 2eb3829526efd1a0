"""`choice`: pick one of two to four options; exactly one is the key."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from app.questions.base import ItemModel, LintProblem, QuestionType, Result
from app.questions.registry import register


class ChoiceFields(ItemModel):
    options: list[str] = Field(min_length=2, max_length=4)
    answer: str

    @model_validator(mode="after")
    def one_key(self) -> ChoiceFields:
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must all be different")
        if self.options.count(self.answer) != 1:
            raise ValueError("the answer must be exactly one of the options, written the same")
        return self


class ChoiceItem(ChoiceFields):
    type: Literal["choice"]
    prompt: str = Field(min_length=1, max_length=1000)


class ChoiceBase(QuestionType):
    """Options are compared as given; the key never leaves the server before answering."""

    public_fields = ("prompt", "options")

    def grade(self, item: Any, response: Any) -> Result:
        if isinstance(response, int) and 0 <= response < len(item.options):
            response = item.options[response]
        right = response == item.answer
        return Result(right, 1.0 if right else 0.0, expected=item.answer)

    def lint(self, item: Any) -> list[LintProblem]:
        return []  # one key and distinct options are schema rules


@register
class Choice(ChoiceBase):
    id = "choice"
    model = ChoiceItem
