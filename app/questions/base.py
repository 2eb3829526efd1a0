"""What every question type has in common, and the fields every item carries."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.japanese.feedback import Feedback, Verdict

Level = Literal["N5", "N4"]
Section = Literal["vocabulary", "grammar-reading", "listening"]
Use = Literal["practice", "exam"]
ITEM_ID = r"^(n5|n4)-[a-z0-9]+(-[a-z0-9]+)*$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class ItemModel(BaseModel):
    """The fields of every item, whatever its type (docs/content-format.md)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=ITEM_ID, max_length=80)
    type: str
    level: Level
    section: Section
    use: Use
    skills: list[str] = Field(default_factory=list)
    lesson: str | None = Field(default=None, pattern=r"^(n5|n4)-[a-z0-9-]+$")
    form: Literal["A", "B", "C"] | None = None
    explanation: str = Field(min_length=1)
    difficulty: float | None = Field(default=None, ge=-6, le=6)


@dataclass(frozen=True)
class Result:
    """The outcome of one response: decided, never recorded here."""

    correct: bool
    score: float
    feedback: tuple[Feedback, ...] = ()
    retry: bool = False
    expected: Any = None  # what was right, to show after answering

    @classmethod
    def from_verdict(cls, verdict: Verdict, expected: Any) -> Result:
        return cls(verdict.correct, verdict.score, verdict.feedback, verdict.retry, expected)


@dataclass(frozen=True)
class LintProblem:
    """Something wrong with an item's content that a schema cannot see."""

    field: str
    message: str


class QuestionType(ABC):
    """Base class: a subclass sets ``id`` and ``model`` and says how to grade."""

    id: ClassVar[str]
    model: ClassVar[type[ItemModel]]
    public_fields: ClassVar[tuple[str, ...]] = ("prompt",)

    def public(self, item: ItemModel) -> dict[str, Any]:
        """What the page may show before the answer is given: never the key."""
        data = item.model_dump()
        return {
            "id": item.id,
            "type": self.id,
            **{name: data[name] for name in self.public_fields if name in data},
        }

    def expected(self, item: Any) -> str:
        """The right answer as one line to show after answering."""
        return str(getattr(item, "answer", ""))

    @abstractmethod
    def grade(self, item: ItemModel, response: Any) -> Result:
        """Score one response. Pure: it decides and records nothing."""

    def lint(self, item: ItemModel) -> list[LintProblem]:
        """Content checks beyond the schema (run by `content check` and the tests)."""
        return []
