"""`conjugation`: a word and a form are shown; the learner types that form."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from app.japanese.accepted import expand_all
from app.japanese.conjugation import (
    ADJECTIVE_FORMS,
    FORM_LABELS,
    VERB_FORMS,
    ConjugationError,
    conjugate,
)
from app.questions.base import ItemModel, LintProblem
from app.questions.registry import register
from app.questions.types._typed import Case, TypedType

FORMS = tuple(dict.fromkeys(VERB_FORMS + ADJECTIVE_FORMS))


class ConjugationItem(ItemModel):
    type: Literal["conjugation"]
    word: str = Field(min_length=1, max_length=40)
    target: str
    word_class: str | None = None
    accepted: list[str] | None = None
    cases: list[Case] | None = None  # known wrong answers (see _typed.Case)

    @model_validator(mode="after")
    def known_form(self) -> ConjugationItem:
        if self.target not in FORMS:
            raise ValueError(f"unknown target form {self.target!r}")
        return self


@register
class Conjugation(TypedType):
    id = "conjugation"
    model = ConjugationItem
    kind = "conjugation"
    public_fields = ("word", "target")

    def accepted(self, item: Any) -> list[str]:
        """The author's list, or every standard form the engine knows."""
        return list(item.accepted or conjugate(item.word, item.target, item.word_class))

    def public(self, item: Any) -> dict[str, Any]:
        return {**super().public(item), "target_label": FORM_LABELS[item.target]}

    def lint(self, item: Any) -> list[LintProblem]:
        try:
            forms = conjugate(item.word, item.target, item.word_class)
        except ConjugationError as error:
            return [LintProblem("word", str(error))]
        problems = super().lint(item)
        for answer in expand_all(item.accepted or []):
            if answer not in forms:
                problems.append(
                    LintProblem(
                        "accepted", f"{answer!r} is not a {item.target} form of {item.word}"
                    )
                )
        return problems
