"""Reading content files with the line of every item and field, for plain error reports.

YAML is read with a loader that records where each mapping and each of its keys starts,
so a problem found by the schema or the content lint can name "file:line".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

LINE_KEY = "__line__"
LINES_KEY = "__lines__"
_EXAMPLES = re.compile(r"^```examples[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n", re.M | re.S)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, said plainly, where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of each mapping and of each of its keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        mapping[LINES_KEY] = {
            self.construct_object(key): key.start_mark.line + 1 for key, _ in node.value
        }
        return mapping


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in (LINE_KEY, LINES_KEY)}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse YAML; a syntax error becomes a Problem at its line."""
    try:
        return yaml.load(text, Loader=_LineLoader), []
    except (yaml.YAMLError, ConstructorError) as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + first_line) if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(path, line, f"this is not valid YAML: {reason}")]


@dataclass
class Example:
    japanese: str
    english: str
    line: int


@dataclass
class LessonFile:
    path: str
    front: dict[str, Any]
    body: str
    body_line: int  # the line the body starts on
    examples: list[Example] = field(default_factory=list)


@dataclass
class ItemEntry:
    path: str
    line: int
    data: dict[str, Any]  # without line bookkeeping
    lines: dict[str, int]  # field → line


def read_lesson(path: Path, root: Path) -> tuple[LessonFile | None, list[Problem]]:
    name = str(path.relative_to(root))
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None, [Problem(name, 1, "a lesson starts with front matter between --- lines")]
    front, problems = load_yaml(match.group(1), name, first_line=2)
    if problems:
        return None, problems
    if not isinstance(front, dict):
        return None, [Problem(name, 2, "the front matter must be a mapping of fields")]
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    lesson = LessonFile(name, front, body, body_line)
    problems = []
    for block in _EXAMPLES.finditer(body):
        start = body_line + body[: block.start()].count("\n") + 1
        offset = 0
        for pair in _pairs(block.group(1)):
            if len(pair) != 2 or not all(s.strip() for s in pair):
                problems.append(
                    Problem(
                        name,
                        start + offset,
                        "an examples block holds pairs: a Japanese line, then its English",
                    )
                )
            else:
                lesson.examples.append(Example(pair[0].strip(), pair[1].strip(), start + offset))
            offset += len(pair) + 1
    return lesson, problems


def _pairs(block: str) -> list[list[str]]:
    return [p.strip().split("\n") for p in re.split(r"\n\s*\n", block.strip()) if p.strip()]


def examples_in(body: str) -> list[tuple[str, str]]:
    """Every (Japanese, English) example of a lesson body, in order."""
    return [pair for block in _EXAMPLES.finditer(body) for pair in parse_examples(block.group(1))]


def parse_examples(block: str) -> list[tuple[str, str]]:
    """The (Japanese, English) pairs of an examples block, skipping malformed ones (which
    `content check` reports)."""
    return [(p[0].strip(), p[1].strip()) for p in _pairs(block) if len(p) == 2]


def read_items(path: Path, root: Path) -> tuple[list[ItemEntry], list[Problem]]:
    name = str(path.relative_to(root))
    data, problems = load_yaml(path.read_text(encoding="utf-8"), name)
    if problems:
        return [], problems
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(name, 1, "an item file is a YAML list of items")]
    entries = []
    for raw in data:
        if not isinstance(raw, dict):
            problems.append(Problem(name, 1, "each entry of the list must be an item (a mapping)"))
            continue
        entries.append(
            ItemEntry(name, raw[LINE_KEY], _strip_lines(raw), dict(raw.get(LINES_KEY, {})))
        )
    return entries, problems
