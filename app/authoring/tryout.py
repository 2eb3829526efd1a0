""" "Try an answer": the checker's verdict on a candidate answer for the item as it stands
in the editor, before it is saved. Pure: it decides, it records nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.japanese.accepted import AcceptedSyntaxError
from app.japanese.checker import CheckError
from app.japanese.conjugation import ConjugationError
from app.questions import registry
from app.questions.base import Result
from app.questions.types._typed import TypedType


@dataclass(frozen=True)
class Tried:
    """The verdict, or why the item cannot grade anything yet (``problem``)."""

    result: Result | None
    problem: str = ""
    feedback: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        if self.result is None:
            return {"problem": self.problem}
        return {
            "correct": self.result.correct,
            "score": self.result.score,
            "retry": self.result.retry,
            "feedback": self.feedback,
            "codes": [f["code"] for f in self.feedback],
        }


def try_answer(data: dict[str, Any], answer: str, translate: Callable[[str], str]) -> Tried:
    """Grade ``answer`` against the item's accepted answers as typed (other fields may
    still be unfinished); ``translate`` is the web layer's gettext for the messages."""
    try:
        kind = registry.get(str(data.get("type")))
    except KeyError:
        return Tried(None, "unknown question type")
    if not isinstance(kind, TypedType):
        return Tried(None, "only typed items take a typed answer")
    # Built without validation: an unfinished explanation must not stop a try.
    item = kind.model.model_construct(**data)
    if not kind.accepted(item):
        return Tried(None, "add an accepted answer first")
    try:
        result = kind.grade(item, answer)
    except AcceptedSyntaxError as error:
        return Tried(None, f"fix the accepted answers first: {error}")
    except (CheckError, ConjugationError) as error:
        return Tried(None, str(error))
    feedback = [{**f.to_dict(), "message": f.message_in(translate)} for f in result.feedback]
    return Tried(result, feedback=feedback)
