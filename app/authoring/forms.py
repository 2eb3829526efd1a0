"""Reading the editors' forms into plain content data, and content data back into the
editors' fields. One shape serves saving, live validation and "try an answer", so what
the instructor sees checked is exactly what is saved.

The forms are plain HTML (their lists grow and shrink in the browser), so fields are read
from any mapping with ``get`` and ``getlist`` (a werkzeug ``MultiDict``); no Flask here.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from app.questions.types import TYPE_IDS

TYPED_TYPES = ("sentence", "word", "reading", "meaning", "cloze", "conjugation")
CHOICE_TYPES = ("choice", "listening", "reading-comprehension")
# Lesson lists written one per line (they hold spaces) or separated by spaces and commas.
LINE_LISTS = ("objectives", "grammar")
WORD_LISTS = ("vocabulary", "kanji", "prerequisites")
LESSON_FIELDS = ("id", "title", "level", "unit", "order", "kind", *LINE_LISTS, *WORD_LISTS)
_SEPARATORS = re.compile(r"[\s,、，]+")


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "") or "").strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return [word for word in _SEPARATORS.split(text) if word]


def _filled(form: FormData, name: str) -> list[str]:
    return [value.strip() for value in form.getlist(name) if value and value.strip()]


# ---- lessons ----------------------------------------------------------------------------


def lesson_front(form: FormData) -> dict[str, Any]:
    """The front matter as typed: the schema (LessonFrontMatter) judges it."""
    front: dict[str, Any] = {name: _text(form, name) for name in ("id", "title", "level")}
    front["unit"] = _text(form, "unit")
    order = _text(form, "order")
    front["order"] = int(order) if order.isdigit() else order
    front["kind"] = _text(form, "kind")
    for name in LINE_LISTS:
        front[name] = _lines(_text(form, name))
    for name in WORD_LISTS:
        front[name] = _words(_text(form, name))
    return front


def lesson_body(form: FormData) -> str:
    """The Markdown as typed, with the browser's CRLF line ends made LF like the files."""
    return str(form.get("body", "") or "").replace("\r\n", "\n")


def lesson_fields(meta: dict[str, Any], body: str) -> dict[str, str]:
    """What the lesson editor's inputs show for saved front matter and body."""
    fields = {name: str(meta.get(name, "") or "") for name in ("id", "title", "level", "unit")}
    fields["order"] = str(meta.get("order", "") or "")
    fields["kind"] = str(meta.get("kind", "") or "")
    for name in LINE_LISTS:
        fields[name] = "\n".join(meta.get(name, []))
    for name in WORD_LISTS:
        fields[name] = " ".join(meta.get(name, []))
    fields["body"] = body
    return fields


def lesson_fields_from_form(form: FormData) -> dict[str, str]:
    """The lesson editor's inputs exactly as submitted, to show them again unchanged."""
    fields = {name: str(form.get(name, "") or "") for name in LESSON_FIELDS}
    fields["body"] = lesson_body(form)
    return fields


# ---- items ------------------------------------------------------------------------------


def _key(form: FormData, options: list[str]) -> str | None:
    """The key: given as text (``answer``) or as the index of the option marked right.
    None when nothing is marked; "" when the mark points at no option."""
    if form.get("answer") is not None:
        return _text(form, "answer")
    index = _text(form, "answer_index")
    if not index:
        return None
    if index.isdigit() and int(index) < len(options):
        return options[int(index)].strip()
    return ""


def item_data(form: FormData) -> dict[str, Any]:
    """The item as authored data (the shape of a question_bank entry), as typed: the
    type's pydantic model judges it. Blank optional fields are left out."""
    item_type = _text(form, "type")
    data: dict[str, Any] = {"id": _text(form, "id"), "type": item_type}
    for name in ("level", "section", "use"):
        data[name] = _text(form, name)
    for name in ("lesson", "form"):
        if value := _text(form, name):
            data[name] = value
    data["skills"] = _words(_text(form, "skills"))
    data["explanation"] = _text(form, "explanation")
    if difficulty := _text(form, "difficulty"):
        try:
            data["difficulty"] = float(difficulty)
        except ValueError:
            data["difficulty"] = difficulty  # the schema says what is wrong with it
    if item_type in CHOICE_TYPES:
        raw_options = [str(o) for o in form.getlist("options")]
        key = _key(form, raw_options)
        data["options"] = [o.strip() for o in raw_options if o.strip()]
        if key is not None:
            data["answer"] = key
    if item_type in ("choice", "ordering", *TYPED_TYPES) and item_type != "conjugation":
        data["prompt"] = _text(form, "prompt")
    if item_type == "ordering":
        data["chunks"] = _filled(form, "chunks")
        star = _text(form, "star")
        data["star"] = int(star) if star.isdigit() else star
    if item_type in TYPED_TYPES:
        accepted = _filled(form, "accepted")
        if item_type != "conjugation" or accepted:
            data["accepted"] = accepted
        cases = [
            {"answer": answer.strip(), "code": code.strip()}
            for answer, code in zip(
                form.getlist("case_answer"), form.getlist("case_code"), strict=False
            )
            if answer.strip()
        ]
        if cases:
            data["cases"] = cases
    if item_type == "conjugation":
        data["word"] = _text(form, "word")
        data["target"] = _text(form, "target")
        if word_class := _text(form, "word_class"):
            data["word_class"] = word_class
    if item_type == "listening":
        data["task"] = _text(form, "task")
        data["script"] = [
            {"speaker": speaker.strip(), "text": text.strip()}
            for speaker, text in zip(
                form.getlist("script_speaker"), form.getlist("script_text"), strict=False
            )
            if text.strip()
        ]
    if item_type in ("listening", "reading-comprehension"):
        data["question"] = _text(form, "question")
    if item_type == "reading-comprehension":
        data["passage_id"] = _text(form, "passage_id")
        if passage := _text(form, "passage"):
            data["passage"] = passage
    return data


def new_item_data(item_type: str) -> dict[str, Any]:
    """An empty item of the type, to open the editor with."""
    if item_type not in TYPE_IDS:
        raise KeyError(item_type)
    data: dict[str, Any] = {"id": "", "type": item_type, "level": "N5", "use": "practice"}
    data["section"] = "listening" if item_type == "listening" else "grammar-reading"
    if item_type in CHOICE_TYPES:
        data["options"] = ["", ""]
    if item_type == "ordering":
        data["chunks"] = ["", "", "", ""]
    if item_type in TYPED_TYPES:
        data["accepted"] = [""]
    if item_type == "listening":
        data["script"] = [{"speaker": "F", "text": ""}, {"speaker": "M", "text": ""}]
    return data
