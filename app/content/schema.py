"""Lesson front matter: the fields every lesson file starts with (docs/content-format.md).
Items are described by their question type's model in ``app.questions``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.questions.base import SLUG, Level

LESSON_ID = r"^(n5|n4)-[a-z0-9]+(-[a-z0-9]+)*$"
KINDS = ("kana", "grammar", "vocabulary", "kanji", "workplace", "reading", "listening")


class LessonFrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=LESSON_ID, max_length=80)
    level: Level
    unit: str = Field(pattern=SLUG, max_length=40)
    order: int = Field(ge=1, le=999)
    kind: Literal["kana", "grammar", "vocabulary", "kanji", "workplace", "reading", "listening"]
    title: str = Field(min_length=1, max_length=200)
    objectives: list[str] = Field(default_factory=list)
    grammar: list[str] = Field(default_factory=list)
    vocabulary: list[str] = Field(default_factory=list)
    kanji: list[str] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list)
