"""The registry of question types, keyed by id; a duplicate id fails at start-up."""

from __future__ import annotations

from app.questions.base import QuestionType


class RegistryError(RuntimeError):
    """The registry is inconsistent: a programming error, found when the app starts."""


_TYPES: dict[str, QuestionType] = {}


def register(question_type: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: add a type. Refuses a second type with the same id."""
    type_id = getattr(question_type, "id", None)
    if not type_id:
        raise RegistryError(f"{question_type.__name__} has no id")
    if type_id in _TYPES:
        raise RegistryError(f"question type {type_id!r} is registered twice")
    _TYPES[type_id] = question_type()
    return question_type


def get(type_id: str) -> QuestionType:
    try:
        return _TYPES[type_id]
    except KeyError:
        raise KeyError(f"unknown question type {type_id!r}") from None


def type_ids() -> tuple[str, ...]:
    return tuple(_TYPES)


def check_registry(expected: tuple[str, ...]) -> None:
    """Every type DESIGN.md lists is registered and has a model for its own id."""
    missing = set(expected) - set(_TYPES)
    if missing:
        raise RegistryError(f"question types not registered: {', '.join(sorted(missing))}")
    for type_id, question_type in _TYPES.items():
        declared = question_type.model.model_fields["type"].annotation
        if declared is not str and type_id not in getattr(declared, "__args__", ()):
            raise RegistryError(f"{type_id}: its model does not accept type {type_id!r}")
