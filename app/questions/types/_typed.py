"""Shared by every typed-answer type: accepted answers graded by the language engine."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.japanese.accepted import AcceptedSyntaxError, expand, expand_all
from app.japanese.checker import check
from app.questions.base import ItemModel, LintProblem, QuestionType, Result


class Case(BaseModel):
    """A known wrong answer and the feedback code the checker must give it: a regression
    case kept with the item, so a change to the checker or to the accepted list that
    starts grading it differently is caught by `content check`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    answer: str = Field(min_length=1, max_length=500)
    code: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$", max_length=40)


class TypedModel(ItemModel):
    prompt: str = Field(min_length=1, max_length=500)
    accepted: list[str] = Field(min_length=1)
    # None (not []) when there are none, so files without cases round-trip unchanged.
    cases: list[Case] | None = None

    @field_validator("accepted")
    @classmethod
    def accepted_syntax(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                expand(entry)
            except AcceptedSyntaxError as error:
                raise ValueError(f"accepted answer {entry!r}: {error.reason}") from None
        return value


class TypedType(QuestionType):
    """Type the answer; the checker of GRADING.md decides and explains."""

    kind: ClassVar[str]

    def accepted(self, item: Any) -> list[str]:
        return list(item.accepted)

    def grade(self, item: Any, response: Any) -> Result:
        answer = response if isinstance(response, str) else ""
        verdict = check(self.kind, self.accepted(item), answer, prompt=self.prompt_word(item))
        return Result.from_verdict(verdict, expected=self.accepted(item)[0])

    def expected(self, item: Any) -> str:
        return expand_all(self.accepted(item))[0]

    def prompt_word(self, item: Any) -> str | None:
        return None

    def lint(self, item: Any) -> list[LintProblem]:
        """Every accepted answer, written out in full, is graded right."""
        accepted = self.accepted(item)
        problems = []
        for answer in expand_all(accepted):
            verdict = check(self.kind, accepted, answer, prompt=self.prompt_word(item))
            if not verdict.correct:
                codes = ", ".join(verdict.codes)
                problems.append(
                    LintProblem("accepted", f"the checker marks {answer!r} wrong ({codes})")
                )
        return problems
