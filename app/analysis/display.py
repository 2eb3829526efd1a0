"""An item as the analysis page shows it: what trainees read (with furigana as ruby) and
the key, which staff may see. Rendered here so the templates stay free of type rules."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from app.content.render import ruby
from app.japanese.text import is_japanese
from app.models import Item
from app.questions import registry
from app.questions import types as _types  # noqa: F401  (registers the question types)

# The authored fields a trainee reads, in the order the page shows them.
TEXT_FIELDS = ("passage", "prompt", "question")


@dataclass(frozen=True)
class Part:
    name: str  # the authored field: passage, prompt, question or script
    html: Markup  # its text with furigana as <ruby>
    japanese: bool  # so the page marks it lang="ja" (an English prompt is not)


@dataclass(frozen=True)
class ShownItem:
    parts: tuple[Part, ...]
    key: Part  # the right answer as one line
    accepted: tuple[str, ...]  # typed items: every accepted answer as authored


def _part(name: str, text: str) -> Part:
    return Part(name, ruby(text), is_japanese(text))


def shown_item(item: Item) -> ShownItem:
    data = item.data
    parts = [_part(name, data[name]) for name in TEXT_FIELDS if data.get(name)]
    if script := data.get("script"):
        lines = (Markup("{}: {}").format(line["speaker"], ruby(line["text"])) for line in script)
        parts.append(Part("script", Markup("<br>").join(lines), True))
    question = registry.get(item.type)
    key = question.expected(question.model.model_validate(data))
    return ShownItem(tuple(parts), _part("key", key), tuple(data.get("accepted", ())))
